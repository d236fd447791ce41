/** Cost lines, by service. Edge: CloudFront and WAF. */
import { EDGE_NAMES, cents, type CloudFrontPricing } from '../model';
import { asArray, plural, type Pricer } from '../pricing';

/** CloudFront viewer traffic and functions, WAF web ACLs; returns the traffic by price class. */
export function priceEdge(p: Pricer): CloudFrontPricing | undefined {
  const { a, of, add, lines, notes, book, all } = p;
  let cloudFront: CloudFrontPricing | undefined;
  const distributions = of('aws_cloudfront_distribution');
  if (distributions.length > 0) {
    const classes = [...new Set(distributions.map(([, d]) => String(d.price_class ?? 'PriceClass_All')))];
    if (classes.length > 1) notes.push(`distributions use ${classes.join(', ')}; priced at ${classes[0]}`);
    const edge = classes[0] === 'PriceClass_100' ? 'northAmerica' : a.cloudFrontViewerEdge;
    const where = `${plural(distributions.length, 'distribution')}, ${classes[0]}, ${EDGE_NAMES[edge]} edges`;
    add({
      key: 'cloudfront-data',
      category: 'Edge',
      item: 'CloudFront data transfer out',
      basis: `${a.cloudFrontGb} GB (assumption); ${where}`,
      quantity: a.cloudFrontGb,
      unit: 'GB',
      priceKey: `cloudfront.dataOut.${edge}.gb`,
    });
    add({
      key: 'cloudfront-requests',
      category: 'Edge',
      item: 'CloudFront HTTPS requests',
      basis: `${a.cloudFrontRequestsMillions} M requests (assumption)`,
      quantity: a.cloudFrontRequestsMillions * 100,
      unit: '10k requests',
      priceKey: `cloudfront.httpsRequests.${edge}.tenThousand`,
    });
    const viewerTraffic = lines.filter((l) => l.key === 'cloudfront-data' || l.key === 'cloudfront-requests');
    cloudFront = {
      priceClass: classes[0],
      edge,
      monthlyUsd: cents(viewerTraffic.reduce((sum, l) => sum + l.monthlyUsd, 0)),
      atPriceClass100Usd: cents(
        cents(a.cloudFrontGb * book.get('cloudfront.dataOut.northAmerica.gb').usd) +
          cents(
            a.cloudFrontRequestsMillions *
              100 *
              book.get('cloudfront.httpsRequests.northAmerica.tenThousand').usd,
          ),
      ),
    };
    const functions = Object.keys(all.aws_cloudfront_function ?? {}).length;
    if (functions > 0) {
      add({
        key: 'cloudfront-functions',
        category: 'Edge',
        item: 'CloudFront Functions',
        basis: `${a.cloudFrontRequestsMillions} M requests, at most one viewer-request function each (${plural(functions, 'function')})`,
        quantity: a.cloudFrontRequestsMillions,
        unit: '1M invocations',
        priceKey: 'cloudfront.functions.million',
      });
    }
  }
  const acls = of('aws_wafv2_web_acl');
  if (acls.length > 0) {
    const rules = acls.reduce((sum, [, acl]) => sum + asArray(acl.rule).length, 0);
    add({
      key: 'waf-web-acls',
      category: 'Edge',
      item: 'WAF web ACLs',
      basis: plural(acls.length, 'web ACL'),
      quantity: acls.length,
      unit: 'ACL-month',
      priceKey: 'waf.webAcl.month',
    });
    add({
      key: 'waf-rules',
      category: 'Edge',
      item: 'WAF rules',
      basis: `${plural(rules, 'rule')} (a managed rule group counts as one)`,
      quantity: rules,
      unit: 'rule-month',
      priceKey: 'waf.rule.month',
    });
    add({
      key: 'waf-requests',
      category: 'Edge',
      item: 'WAF requests inspected',
      basis: `${a.wafRequestsMillions} M requests (assumption)`,
      quantity: a.wafRequestsMillions,
      unit: '1M requests',
      priceKey: 'waf.requests.million',
    });
  }

  return cloudFront;
}

/**
 * The custom domain: Route 53 health checks (a CloudFront distribution is an AWS endpoint; HTTPS
 * is an optional feature billed on top, Amazon Route 53 pricing, Health checks). Public ACM
 * certificates and alias queries to CloudFront have no charge (NOT_BILLED); the hosted zone is
 * the team's own, not created here.
 */
export function priceDomain(p: Pricer): void {
  const { of, add } = p;
  const checks = of('aws_route53_health_check');
  if (checks.length === 0) return;
  add({
    key: 'route53-health-checks',
    category: 'Edge',
    item: 'Route 53 health checks',
    basis: `${plural(checks.length, 'health check')} of an AWS endpoint (the distribution)`,
    quantity: checks.length,
    unit: 'health check-month',
    priceKey: 'route53.healthCheck.awsEndpoint',
  });
  const https = checks.filter(([, c]) => String(c.type).startsWith('HTTPS')).length;
  if (https > 0) {
    add({
      key: 'route53-health-checks-https',
      category: 'Edge',
      item: 'Route 53 health checks: HTTPS',
      basis: `${plural(https, 'health check')} over HTTPS (an optional feature)`,
      quantity: https,
      unit: 'feature-month',
      priceKey: 'route53.healthCheck.optionalFeature',
    });
  }
}
