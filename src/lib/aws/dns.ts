/**
 * DNS names, Route 53 and ACM facts the custom domain relies on, checked offline (no lookup).
 */

/**
 * Hosted zone id of every CloudFront distribution, the alias target zone of an A/AAAA record that
 * points at one (Route 53 API reference, AliasTarget: "Specify Z2FDTNDATAQYW2" for a CloudFront
 * distribution; the provider's `hosted_zone_id` attribute of a distribution is this constant).
 */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

/**
 * A Route 53 hosted zone id as the console and `aws route53 list-hosted-zones` show it, without
 * the `/hostedzone/` prefix: `Z` and up to 31 upper-case letters or digits (API: at most 32
 * characters).
 */
export const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;

/**
 * ACM RequestCertificate, DomainName: "The first domain name you enter cannot exceed 64 octets,
 * including periods" (RFC 5280 limits the Common Name to 64).
 */
export const ACM_MAX_DOMAIN_NAME_LENGTH = 64;

/**
 * Regions Route 53 health checkers run in (API reference, HealthCheckObservation.Region), with
 * the country their addresses are in, for a WAF that allows some countries only. A health check
 * needs at least three (HealthCheckConfig.Regions).
 */
export const HEALTH_CHECKER_REGIONS: Readonly<Record<string, string>> = {
  'us-east-1': 'US',
  'us-west-1': 'US',
  'us-west-2': 'US',
  'eu-west-1': 'IE',
  'ap-southeast-1': 'SG',
  'ap-southeast-2': 'AU',
  'ap-northeast-1': 'JP',
  'sa-east-1': 'BR',
};
export const MIN_HEALTH_CHECKER_REGIONS = 3;

/** Problems of a fully qualified public DNS name (no trailing dot, no wildcard), each as a rule. */
export function dnsNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name !== name.toLowerCase()) problems.push('must be lower case (CloudFront aliases are)');
  if (name.endsWith('.')) problems.push('must not end with a dot');
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.length < 2) problems.push('must have at least two labels, like example.com');
  if (name.length > 253) problems.push(`is ${name.length} characters; a DNS name has at most 253`);
  for (const label of labels) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label)) {
      problems.push(
        `has the label "${label}": each label is 1-63 letters, digits or hyphens, not starting or ending with a hyphen`,
      );
      break;
    }
  }
  const tld = labels[labels.length - 1];
  if (labels.length >= 2 && /^\d+$/.test(tld)) problems.push('must not be an IP address');
  return problems;
}

/** True when `name` is `zone` itself or a name below it. */
export function isWithin(name: string, zone: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const z = zone.toLowerCase().replace(/\.$/, '');
  return n === z || n.endsWith(`.${z}`);
}

/**
 * The health checker regions whose addresses a WAF country allow-list lets through; every region
 * when there is no allow-list.
 */
export function healthCheckerRegionsFor(allowedCountries: readonly string[]): string[] {
  const all = Object.keys(HEALTH_CHECKER_REGIONS);
  if (allowedCountries.length === 0) return all;
  return all.filter((r) => allowedCountries.includes(HEALTH_CHECKER_REGIONS[r]));
}
