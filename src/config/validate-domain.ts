/**
 * Validation of the custom domain: the settings (`domainName`, `hostedZoneId`, `hostedZoneName`)
 * and each environment's `edge.domainName`, offline (the zone is never looked up).
 */
import type { EnvironmentConfig, ProjectSettings } from './types';
import { type ConfigIssue, IssueCollector } from '../lib/validation';
import {
  ACM_MAX_DOMAIN_NAME_LENGTH,
  MIN_HEALTH_CHECKER_REGIONS,
  healthCheckerRegionsFor,
  HOSTED_ZONE_ID_PATTERN,
  dnsNameProblems,
  isWithin,
} from '../lib/aws/dns';
import type { SettingKey, SettingPaths } from './settings';
import { pinnedToSeparateAccounts } from './environments';

/** The settings: syntax, both or neither, and a domain the zone can hold. */
export function validateDomainSettings(settings: ProjectSettings, paths: SettingPaths): ConfigIssue[] {
  const sink: ConfigIssue[] = [];
  const at = (key: SettingKey) => new IssueCollector(paths[key], sink);
  const { domainName, hostedZoneId, hostedZoneName } = settings;
  if (domainName !== undefined) {
    for (const problem of dnsNameProblems(domainName)) at('domainName').report(domainName, problem);
  }
  if (hostedZoneId !== undefined) {
    at('hostedZoneId').matches(
      hostedZoneId,
      HOSTED_ZONE_ID_PATTERN,
      'must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ (without /hostedzone/)',
    );
  }
  if (hostedZoneName !== undefined) {
    for (const problem of dnsNameProblems(hostedZoneName))
      at('hostedZoneName').report(hostedZoneName, problem);
  }
  const both =
    'needs domainName and hostedZoneId together (ECG_DOMAIN_NAME and ECG_HOSTED_ZONE_ID, or both cdktf.json keys): the certificates are validated and the records created in that zone';
  if (domainName !== undefined && hostedZoneId === undefined) at('hostedZoneId').report(hostedZoneId, both);
  if (domainName === undefined && hostedZoneId !== undefined) at('domainName').report(domainName, both);
  if (hostedZoneName !== undefined && domainName === undefined) {
    at('hostedZoneName').report(hostedZoneName, 'needs domainName (it only checks the names served)');
  }
  if (domainName !== undefined && hostedZoneName !== undefined) {
    at('domainName').check(
      isWithin(domainName, hostedZoneName),
      domainName,
      `is not within the hosted zone ${hostedZoneName} (hostedZoneName): Route 53 refuses a record outside its zone`,
    );
  }
  if (domainName !== undefined && pinnedToSeparateAccounts(settings)) {
    at('hostedZoneId').report(
      hostedZoneId,
      'is one zone, but staging and production are pinned to different accounts: a hosted zone belongs to one account, so the other stack cannot create its records there',
    );
  }
  return sink;
}

/** `edge.domainName` of one environment: needs the settings, lies within the zone, fits ACM. */
export function validateEdgeDomain(
  root: IssueCollector,
  cfg: EnvironmentConfig,
  settings: ProjectSettings,
): void {
  const edge = root.at('edge');
  const name = cfg.edge.domainName;
  const path = cfg.edge.apiHealthCheckPath;
  if (path !== undefined) {
    edge
      .at('apiHealthCheckPath')
      .matches(
        path,
        /^\/api\/[A-Za-z0-9._~/-]*$/,
        'must be a path under /api/ (only /api/* reaches the API)',
      );
  }
  if (name === undefined) return;
  const at = edge.at('domainName');
  if (settings.domainName === undefined || settings.hostedZoneId === undefined) {
    at.report(name, 'needs the domainName and hostedZoneId settings (ECG_DOMAIN_NAME, ECG_HOSTED_ZONE_ID)');
    return;
  }
  for (const problem of dnsNameProblems(name)) at.report(name, problem);
  const zone = settings.hostedZoneName ?? settings.domainName;
  const which =
    settings.hostedZoneName !== undefined
      ? 'hostedZoneName'
      : 'domainName, the one name the zone is known to hold (set hostedZoneName to allow more)';
  at.check(
    isWithin(name, zone),
    name,
    `is not within ${zone} (${which}): the zone ${settings.hostedZoneId} cannot hold its records`,
  );
  at.check(
    name.length <= ACM_MAX_DOMAIN_NAME_LENGTH,
    name,
    `is ${name.length} characters; an ACM certificate's domain name has at most ${ACM_MAX_DOMAIN_NAME_LENGTH}`,
  );
  edge
    .at('aliases')
    .check(
      cfg.edge.aliases.length === 0,
      cfg.edge.aliases,
      'must be empty with edge.domainName: the stack creates the certificate and records of that name',
    );
  if (cfg.edge.waf && cfg.edge.allowedCountries.length > 0) {
    const regions = healthCheckerRegionsFor(cfg.edge.allowedCountries);
    edge
      .at('allowedCountries')
      .check(
        regions.length >= MIN_HEALTH_CHECKER_REGIONS,
        cfg.edge.allowedCountries,
        `lets Route 53 health checkers in only ${regions.length} region(s) (${regions.join(', ') || 'none'}) through the WAF, and the health check of edge.domainName needs ${MIN_HEALTH_CHECKER_REGIONS}: allow US (3 checker regions) or JP, IE, SG, AU, BR`,
      );
  }
  root
    .at('alb')
    .at('certificateArn')
    .check(
      cfg.alb.certificateArn === undefined || cfg.alb.internetFacing,
      cfg.alb.certificateArn,
      'must be unset with edge.domainName on an internal ALB: the stack issues the ALB a certificate for that name',
    );
}
