import type { OfflinePlanResult } from '../src/tools/offline-plan';
import type { Json } from './support/synth';
import { configuredPlan } from './support/tfvars';

/**
 * Both platform stacks with the domain settings, planned offline against the real hashicorp/aws
 * provider: the certificates, their validation, the records and the health check plan with no
 * data source and no AWS call (the hosted zone id is given, never looked up). The plans are those
 * of the configured app, shared with tfvars.test.ts and image-tags.test.ts.
 */
describe('offline terraform plan with a custom domain', () => {
  const results: Record<string, OfflinePlanResult> = {};
  // support/tfvars.ts: ECG_DOMAIN_NAME=example.com, ECG_HOSTED_ZONE_ID=Z0123456789ABCDEFGHIJ.
  beforeAll(async () => {
    const [staging, production] = await Promise.all([
      configuredPlan('staging'),
      configuredPlan('production'),
    ]);
    Object.assign(results, { staging, production });
  });

  const planned = (stack: string, type: string) =>
    (results[stack].plan.planned_values.root_module.resources as Json[]).filter((r) => r.type === type);
  /** The provider configuration a planned resource uses (`aws` or `aws.us_east_1`). */
  const providerOf = (stack: string, address: string): string =>
    (results[stack].plan.configuration.root_module.resources as Json[]).find((r) => r.address === address)!
      .provider_config_key;

  it.each([
    ['staging', 1],
    ['production', 2],
  ])(
    '%s plans cleanly, with %i certificate(s) and their validations, 3 records and the health check',
    (stack, certs) => {
      const r = results[stack];
      expect([r.change, r.destroy]).toEqual([0, 0]);
      expect(r.resourceTypes).toMatchObject({
        aws_acm_certificate: certs,
        aws_acm_certificate_validation: certs,
        aws_route53_record: 3,
        aws_route53_health_check: 1,
      });
      expect(r.plan.configuration.root_module.resources.filter((x: Json) => x.mode === 'data')).toEqual([]);
    },
  );

  it('plans the viewer certificate in us-east-1 and the origin certificate in the stack region', () => {
    const certs = planned('production', 'aws_acm_certificate');
    expect(certs.map((c) => [c.values.domain_name, providerOf('production', c.address)]).sort()).toEqual([
      ['example.com', 'aws'],
      ['example.com', 'aws.us_east_1'],
    ]);
    const [distribution] = planned('production', 'aws_cloudfront_distribution');
    expect(distribution.values.aliases).toEqual(['example.com']);
    expect(distribution.values.viewer_certificate[0]).toMatchObject({
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
    expect(distribution.values.origin_group[0].failover_criteria[0].status_codes).toEqual([
      403, 404, 500, 502, 503, 504,
    ]);
  });

  it('plans the health check alarm through the us-east-1 provider', () => {
    const alarm = planned('production', 'aws_cloudwatch_metric_alarm').find(
      (a) => a.values.namespace === 'AWS/Route53',
    )!;
    expect(providerOf('production', alarm.address)).toBe('aws.us_east_1');
    expect(alarm.values.metric_name).toBe('HealthCheckStatus');
  });
});
