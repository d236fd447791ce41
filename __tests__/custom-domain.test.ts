import { Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DomainCertificate } from '../src/modules/domain-certificate';
import { DomainDns } from '../src/modules/domain-dns';
import { buildTestApp, synthStack } from './support/app';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * The team's own domain (settings domainName + hostedZoneId): certificates, aliases, records, the
 * HTTPS path to production's API origin and the health check; and the /videos/* origin group.
 */

const ZONE = 'Z0123456789ABCDEFGHIJ';
const DOMAIN_ENV = { ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: ZONE };

const synthWithDomain = (() => {
  const cache = new Map<string, Json>();
  return (stack: 'staging' | 'production'): Json => {
    if (!cache.has(stack)) {
      const built = buildTestApp(DOMAIN_ENV);
      for (const name of ['staging', 'production'])
        cache.set(name, JSON.parse(Testing.synth(built.platforms[name])) as Json);
    }
    return cache.get(stack)!;
  };
})();

const only = (json: Json, type: string): [string, Json] => {
  const all = Object.entries(resourcesOf(json, type));
  expect(all, type).toHaveLength(1);
  return all[0];
};
const distribution = (json: Json) => only(json, 'aws_cloudfront_distribution')[1];
const ref = (type: string, name: string, attr: string) => `\${${type}.${name}.${attr}}`;

describe('custom domain: certificates', () => {
  it.each([
    ['staging', 'staging.example.com'],
    ['production', 'example.com'],
  ])(
    '%s: the viewer certificate is in us-east-1, DNS-validated in the zone, and the distribution waits for its issuance',
    (stack, name) => {
      const json = synthWithDomain(stack as 'staging');
      const certs = Object.entries(resourcesOf(json, 'aws_acm_certificate'));
      const [certName, cert] = certs.find(([, c]) => c.provider === 'aws.us_east_1')!;
      expect(cert).toMatchObject({ domain_name: name, validation_method: 'DNS' });
      const validations = Object.entries(resourcesOf(json, 'aws_acm_certificate_validation'));
      const [validationName, validation] = validations.find(([, v]) => v.provider === 'aws.us_east_1')!;
      expect(validation.certificate_arn).toBe(ref('aws_acm_certificate', certName, 'arn'));
      // One validation record, in the given zone, from the certificate's own validation option.
      const records = Object.entries(resourcesOf(json, 'aws_route53_record')).filter(([, r]) =>
        String(r.name).includes('domain_validation_options'),
      );
      expect(records).toHaveLength(1);
      const [recordName, record] = records[0];
      expect(record.zone_id).toBe(ZONE);
      expect(record.name).toContain(`aws_acm_certificate.${certName}.domain_validation_options`);
      expect(validation.validation_record_fqdns).toEqual([ref('aws_route53_record', recordName, 'fqdn')]);
      // The distribution names the validation's ARN, not the certificate's: it is created after issuance.
      expect(distribution(json).viewer_certificate).toEqual({
        acm_certificate_arn: ref('aws_acm_certificate_validation', validationName, 'certificate_arn'),
        ssl_support_method: 'sni-only',
        minimum_protocol_version: 'TLSv1.2_2021',
      });
      expect(distribution(json).aliases).toEqual([name]);
    },
  );

  it('production: a regional certificate of the same name, validated through the same record (ACM: one CNAME per name and account, any region)', () => {
    const json = synthWithDomain('production');
    const regional = Object.entries(resourcesOf(json, 'aws_acm_certificate')).filter(([, c]) => !c.provider);
    expect(regional).toHaveLength(1);
    expect(regional[0][1].domain_name).toBe('example.com');
    const validations = Object.values(resourcesOf(json, 'aws_acm_certificate_validation'));
    expect(validations).toHaveLength(2);
    expect(validations[0].validation_record_fqdns).toEqual(validations[1].validation_record_fqdns);
  });

  it('staging keeps its public ALB on HTTP: no regional certificate', () => {
    const json = synthWithDomain('staging');
    expect(Object.keys(resourcesOf(json, 'aws_acm_certificate'))).toHaveLength(1);
    const alb = distribution(json).origin.find((o: Json) => o.origin_id === 'alb');
    expect(alb.custom_origin_config.origin_protocol_policy).toBe('http-only');
  });
});

describe('custom domain: HTTPS to the production API origin', () => {
  const json = synthWithDomain('production');

  it('has an HTTPS listener with the issued regional certificate; port 80 redirects', () => {
    const listeners = Object.values(resourcesOf(json, 'aws_lb_listener')).filter((l) =>
      String(l.load_balancer_arn).includes('aws_lb.api_alb'),
    );
    const https = listeners.find((l) => l.port === 443)!;
    const regionalValidation = Object.entries(resourcesOf(json, 'aws_acm_certificate_validation')).find(
      ([, v]) => !v.provider,
    )!;
    expect(https).toMatchObject({
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: ref('aws_acm_certificate_validation', regionalValidation[0], 'certificate_arn'),
    });
    const http = listeners.find((l) => l.port === 80)!;
    expect(http.default_action[0]).toMatchObject({ type: 'redirect' });
  });

  it('reaches the VPC origin https-only, TLSv1.2, and the ALB admits the VPC on 443 only', () => {
    const [, origin] = only(json, 'aws_cloudfront_vpc_origin');
    expect(origin.vpc_origin_endpoint_config[0]).toMatchObject({
      origin_protocol_policy: 'https-only',
      https_port: 443,
      origin_ssl_protocols: [{ items: ['TLSv1.2'], quantity: 1 }],
    });
    const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter((r) =>
      String(r.description).startsWith('CloudFront VPC origin'),
    );
    expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([[443, 443, '10.0.0.0/16']]);
  });

  it('forwards the viewer Host to the origin, and the ALB certificate covers every Host a viewer can send (CloudFront: the certificate must cover the origin domain name or the forwarded Host header)', () => {
    const d = distribution(json);
    const api = d.ordered_cache_behavior.find((b: Json) => b.path_pattern === '/api/*');
    // Managed-AllViewer: every viewer header, Host included.
    expect(api.origin_request_policy_id).toBe('216adef6-5c7f-47e4-b989-5492eafa07d3');
    const originCert = Object.values(resourcesOf(json, 'aws_acm_certificate')).find((c) => !c.provider)!;
    // CloudFront answers only its aliases on HTTPS with this certificate; each is what Host carries.
    for (const alias of d.aliases as string[]) expect(originCert.domain_name).toBe(alias);
    // The origin domain name stays the ALB's own name, which no ACM certificate can cover.
    const alb = d.origin.find((o: Json) => o.origin_id === 'alb');
    expect(alb.domain_name).toMatch(/^\$\{aws_lb\.api_alb_[0-9A-F]+\.dns_name\}$/);
    expect(json.output.api_url.value).toBe('https://example.com/api');
  });

  it('fails on the old wiring: without the domain, production origin stays http-only on port 80', () => {
    const plain = synthStack('production');
    const [, origin] = only(plain, 'aws_cloudfront_vpc_origin');
    expect(origin.vpc_origin_endpoint_config[0].origin_protocol_policy).toBe('http-only');
    expect(Object.keys(resourcesOf(plain, 'aws_acm_certificate'))).toHaveLength(0);
  });
});

describe('custom domain: records, health check and its alarm', () => {
  it.each([
    ['staging', 'staging.example.com'],
    ['production', 'example.com'],
  ])('%s: alias A and AAAA records of %s to the distribution (zone Z2FDTNDATAQYW2)', (stack, name) => {
    const json = synthWithDomain(stack as 'staging');
    const [distName] = only(json, 'aws_cloudfront_distribution');
    const aliases = Object.values(resourcesOf(json, 'aws_route53_record')).filter((r) => r.alias);
    expect(aliases.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    for (const r of aliases) {
      expect(r).toMatchObject({
        zone_id: ZONE,
        name,
        alias: {
          name: ref('aws_cloudfront_distribution', distName, 'domain_name'),
          zone_id: 'Z2FDTNDATAQYW2',
          evaluate_target_health: false,
        },
      });
    }
    expect(json.output.site_url.value).toBe(`https://${name}`);
  });

  it('checks the API over HTTPS through the domain, from the checker regions the WAF lets through', () => {
    const [, production] = only(synthWithDomain('production'), 'aws_route53_health_check');
    expect(production).toMatchObject({
      type: 'HTTPS',
      fqdn: 'example.com',
      port: 443,
      resource_path: '/api/health',
      enable_sni: true,
      // KR, US, JP allowed: Virginia, California, Oregon and Tokyo, not Ireland, Singapore, Sydney, Sao Paulo.
      regions: ['us-east-1', 'us-west-1', 'us-west-2', 'ap-northeast-1'],
    });
    const [, staging] = only(synthWithDomain('staging'), 'aws_route53_health_check');
    expect(staging.fqdn).toBe('staging.example.com');
    expect(staging.regions).toBeUndefined();
  });

  it('alarms in us-east-1 on HealthCheckStatus with the HealthCheckId dimension, into a topic there', () => {
    const json = synthWithDomain('production');
    const [checkName] = only(json, 'aws_route53_health_check');
    const alarms = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).filter(
      (a) => a.namespace === 'AWS/Route53',
    );
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0];
    expect(alarm).toMatchObject({
      provider: 'aws.us_east_1',
      metric_name: 'HealthCheckStatus',
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      dimensions: { HealthCheckId: ref('aws_route53_health_check', checkName, 'id') },
    });
    const topics = resourcesOf(json, 'aws_sns_topic');
    const [topicName] = alarm.alarm_actions[0].match(/aws_sns_topic\.([^.]+)\.arn/).slice(1);
    expect(topics[topicName].provider).toBe('aws.us_east_1');
    expect(topics[topicName].kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  it('creates none of it without the settings', () => {
    for (const stack of ['staging', 'production'] as const) {
      const json = synthStack(stack);
      for (const type of [
        'aws_acm_certificate',
        'aws_acm_certificate_validation',
        'aws_route53_record',
        'aws_route53_health_check',
      ])
        expect(resourcesOf(json, type), `${stack} ${type}`).toEqual({});
      expect(distribution(json).viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    }
  });
});

describe('/videos/* survives a Seoul S3 outage: origin group over the us-west-2 replica', () => {
  const json = synthStack('production');
  const d = distribution(json);

  it('reads the primary, then the replica on 403, 404 and 5xx', () => {
    expect(d.origin_group).toEqual([
      {
        origin_id: 'videos-failover',
        failover_criteria: { status_codes: [403, 404, 500, 502, 503, 504] },
        member: [{ origin_id: 'videos' }, { origin_id: 'videos-replica' }],
      },
    ]);
    const videos = d.ordered_cache_behavior.find((b: Json) => b.path_pattern === '/videos/*');
    expect(videos.target_origin_id).toBe('videos-failover');
    // Origin groups fail over GET, HEAD and OPTIONS only: the behavior allows nothing else.
    expect(videos.allowed_methods).toEqual(['GET', 'HEAD']);
  });

  it('reaches the replica with its own origin access control, and the replica lets only this distribution read rendered/', () => {
    const replicaOrigin = d.origin.find((o: Json) => o.origin_id === 'videos-replica');
    const primary = d.origin.find((o: Json) => o.origin_id === 'videos');
    expect(replicaOrigin.domain_name).toMatch(
      /aws_s3_bucket\.video-replication_replica_bucket_[0-9A-F]+\.bucket_regional_domain_name/,
    );
    expect(replicaOrigin.origin_access_control_id).not.toBe(primary.origin_access_control_id);
    expect(replicaOrigin.origin_access_control_id).toMatch(
      /aws_cloudfront_origin_access_control\.cdn_oac-replica_/,
    );
    const [distName] = only(json, 'aws_cloudfront_distribution');
    const policy = Object.entries(resourcesOf(json, 'aws_s3_bucket_policy')).find(([n]) =>
      n.startsWith('video-replication_replica_policy'),
    )![1];
    const statement = (JSON.parse(policy.policy) as Json).Statement.find(
      (s: Json) => s.Sid === 'AllowCloudFrontReadRenderedVideos',
    );
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': ref('aws_cloudfront_distribution', distName, 'arn') } },
    });
    expect(statement.Resource).toMatch(/\/rendered\/\*$/);
  });

  it('keeps uploads on the primary: nothing but reads goes through the group, and staging (no replica) has none', () => {
    expect(
      d.ordered_cache_behavior.filter((b: Json) => b.target_origin_id === 'videos-failover'),
    ).toHaveLength(1);
    expect(distribution(synthStack('staging')).origin_group).toBeUndefined();
  });
});

describe('domain modules refuse bad props', () => {
  it('a certificate nothing validates, and a name longer than ACM takes', () => {
    const message = errorOf(() =>
      synthScope(
        (scope) =>
          new DomainCertificate(scope, 'cert', {
            namePrefix: 'p',
            domainName: `${'a'.repeat(60)}.example.com`,
          }),
      ),
    );
    expect(message).toContain('cert.domainName');
    expect(message).toContain('at most 64 characters');
    expect(message).toContain('cert.validationRecordFqdns (unset) must name the validation record');
  });

  it('a health check with fewer than three checker regions', () => {
    const message = errorOf(() =>
      synthScope((scope) => {
        const usEast1 = new AwsProvider(scope, 'use1', { region: 'us-east-1', alias: 'use1' });
        new DomainDns(scope, 'dns', {
          namePrefix: 'p',
          domainName: 'example.com',
          hostedZoneId: ZONE,
          distributionDomainName: 'd111111abcdef8.cloudfront.net',
          healthCheckRegions: ['ap-northeast-1'],
          usEast1Provider: usEast1,
          accountId: '123456789012',
        });
      }),
    );
    expect(message).toContain('dns.healthCheckRegions ["ap-northeast-1"] must name at least 3 regions');
  });
});
