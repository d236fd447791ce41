/**
 * The custom domain of a platform stack (settings `domainName` + `hostedZoneId`, the environment's
 * `edge.domainName`): certificates before the distribution and the load balancer exist, DNS and
 * the health check after. Without `edge.domainName` nothing here creates anything.
 */
import { TerraformOutput, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig, ProjectSettings } from '../config';
import { healthCheckerRegionsFor } from '../lib/aws/dns';
import { DomainCertificate } from '../modules/domain-certificate';
import { DomainDns } from '../modules/domain-dns';

/** The certificates of the environment's name. */
export interface DomainCertificates {
  /** The name served: an alias of the distribution, the Host CloudFront forwards to the API. */
  readonly name: string;
  readonly hostedZoneId: string;
  /** us-east-1, for the distribution (CloudFront uses certificates from there only). */
  readonly viewer: DomainCertificate;
  /** The stack's region, for the internal ALB's HTTPS listener; production's VPC origin only. */
  readonly origin?: DomainCertificate;
}

/**
 * The us-east-1 certificate of `edge.domainName` with its validation record, and, for an internal
 * ALB (a VPC origin), a regional certificate of the same name. The `/api/*` behavior forwards
 * every viewer header (Managed-AllViewer), Host included, and CloudFront accepts an origin
 * certificate that covers either the origin domain name or, when the Host header is forwarded,
 * that header's value (CloudFront developer guide, "Require HTTPS for communication between
 * CloudFront and your custom origin": "The domain name in the Host header, if the cache behavior
 * is configured to forward the Host header to the origin"). The Host is the name served, so the
 * ALB's certificate covers exactly that name; no ACM certificate could cover the ALB's own
 * `*.elb.amazonaws.com` origin domain name.
 */
export function domainCertificates(
  scope: Construct,
  props: {
    readonly settings: ProjectSettings;
    readonly config: EnvironmentConfig;
    readonly namePrefix: string;
    readonly usEast1: TerraformProvider;
  },
): DomainCertificates | undefined {
  const { settings, config, namePrefix } = props;
  const name = config.edge.domainName;
  const hostedZoneId = settings.hostedZoneId;
  if (name === undefined || hostedZoneId === undefined) return undefined;
  const viewer = new DomainCertificate(scope, 'certificate', {
    namePrefix,
    domainName: name,
    hostedZoneId,
    provider: props.usEast1,
  });
  // The same name in the same account validates through the same record, in any region.
  const origin = config.alb.internetFacing
    ? undefined
    : new DomainCertificate(scope, 'origin-certificate', {
        namePrefix,
        domainName: name,
        validationRecordFqdns: viewer.validationRecordFqdns,
      });
  return { name, hostedZoneId, viewer, origin };
}

/** Alias records, the health check of the API through the name, and its us-east-1 alarm. */
export function domainDns(
  scope: Construct,
  certificates: DomainCertificates,
  props: {
    readonly config: EnvironmentConfig;
    readonly namePrefix: string;
    readonly distributionDomainName: string;
    readonly usEast1: TerraformProvider;
    readonly accountId: string;
    readonly alarmEmail?: string;
  },
): DomainDns {
  const edge = props.config.edge;
  // Health checkers outside a WAF country allow-list would be blocked (403) and count as failures.
  const restricted = edge.waf && edge.allowedCountries.length > 0;
  const dns = new DomainDns(scope, 'domain', {
    namePrefix: props.namePrefix,
    domainName: certificates.name,
    hostedZoneId: certificates.hostedZoneId,
    distributionDomainName: props.distributionDomainName,
    healthCheckPath: edge.apiHealthCheckPath,
    healthCheckRegions: restricted ? healthCheckerRegionsFor(edge.allowedCountries) : undefined,
    usEast1Provider: props.usEast1,
    accountId: props.accountId,
    alarmEmail: props.alarmEmail,
  });
  new TerraformOutput(scope, 'site_url', {
    value: `https://${certificates.name}`,
    description: 'URL of the platform on its own domain (frontend, /api/*, /videos/*)',
  });
  new TerraformOutput(scope, 'domain_health_check_id', {
    value: dns.healthCheck.id,
    description: 'Route 53 health check of the API through the domain (its alarm is in us-east-1)',
  });
  return dns;
}
