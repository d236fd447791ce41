/** Validation of the `edge`, `monitoring` and `overrides` sections of an environment. */
import type { EnvironmentConfig } from './types';
import { IssueCollector } from '../lib/validation';
import { acmCertificateArnPattern } from '../lib/aws/arns';
import { isWafCountryCode } from '../lib/aws/countries';
import { alarmThresholdProblem } from '../modules/monitoring';

/** `edge`: price class, logs, WAF (rate limit, countries, body-size exemptions), custom domain. */
export function validateEdge(root: IssueCollector, cfg: EnvironmentConfig): void {
  const edge = root.at('edge');
  edge.at('priceClass').oneOf(cfg.edge.priceClass, ['PriceClass_100', 'PriceClass_200', 'PriceClass_All']);
  edge
    .at('logPrefix')
    .matches(
      cfg.edge.logPrefix,
      /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/,
      'must be an S3 key prefix ending in /',
    );
  edge.at('wafRateLimitPer5Min').intRange(cfg.edge.wafRateLimitPer5Min, 10, 2000000000);
  cfg.edge.allowedCountries.forEach((cc, i) =>
    edge
      .at('allowedCountries')
      .at(i)
      .check(
        isWafCountryCode(cc),
        cc,
        'must be an ISO 3166-1 alpha-2 country code WAF geo match knows, like KR',
      ),
  );
  cfg.edge.wafUploadPaths.forEach((path, i) => {
    const at = edge.at('wafUploadPaths').at(i);
    at.matches(path, /^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/?$/, 'must be a URI path like /api/uploads');
    at.check(cfg.edge.wafUploadPaths.indexOf(path) === i, path, 'is listed twice');
  });
  edge
    .at('wafUploadPaths')
    .check(
      cfg.edge.waf || cfg.edge.wafUploadPaths.length === 0,
      cfg.edge.wafUploadPaths,
      'needs waf: true (the upload exemption is a WAF rule)',
    );
  edge
    .at('acmCertificateArn')
    .check(
      (cfg.edge.acmCertificateArn === undefined) === (cfg.edge.aliases.length === 0),
      cfg.edge.acmCertificateArn,
      'and aliases go together: a custom domain needs both',
    );
  if (cfg.edge.acmCertificateArn !== undefined) {
    edge
      .at('acmCertificateArn')
      .matches(
        cfg.edge.acmCertificateArn,
        acmCertificateArnPattern('us-east-1'),
        'must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there)',
      );
  }
  cfg.edge.aliases.forEach((a, i) =>
    edge
      .at('aliases')
      .at(i)
      .matches(a, /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a DNS name'),
  );
}

/** `monitoring`: every alarm threshold. */
export function validateMonitoring(root: IssueCollector, cfg: EnvironmentConfig): void {
  const mon = root.at('monitoring');
  for (const [key, value] of Object.entries(cfg.monitoring)) {
    const problem = alarmThresholdProblem(key, value);
    if (problem) mon.at(key).report(value, problem);
  }
}

/** `tracing`: X-Ray SamplingRule ReservoirSize (an integer >= 0) and FixedRate (0 to 1). */
export function validateTracing(root: IssueCollector, cfg: EnvironmentConfig): void {
  const t = root.at('tracing');
  t.at('reservoirPerSecond').intRange(cfg.tracing.reservoirPerSecond, 0, 1000);
  t.at('fixedRate').check(
    typeof cfg.tracing.fixedRate === 'number' && cfg.tracing.fixedRate >= 0 && cfg.tracing.fixedRate <= 1,
    cfg.tracing.fixedRate,
    'must be a share from 0 to 1 (X-Ray SamplingRule FixedRate)',
  );
}

/** `overrides`: every exception carries a written reason. */
export function validateOverrides(root: IssueCollector, cfg: EnvironmentConfig): void {
  const ov = root.at('overrides');
  for (const [key, value] of Object.entries(cfg.overrides)) {
    const reason = (value as { reason?: unknown } | undefined)?.reason;
    ov.at(key)
      .at('reason')
      .check(
        typeof reason === 'string' && reason.trim().length >= 10,
        reason,
        'must explain the exception (at least 10 characters)',
      );
  }
}
