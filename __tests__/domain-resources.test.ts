import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { DomainCertificate, type DomainCertificateProps } from '../src/modules/domain-certificate';
import { DomainDns, type DomainDnsProps } from '../src/modules/domain-dns';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * The custom-domain modules read whole: the DNS-validated certificate (with and without its own
 * validation record) and the public DNS (alias records, health check, its alarm, key and topic),
 * each prop on and off, and their prop checks with the whole report a user reads.
 */

const ZONE = 'Z0123456789ABCDEFGHIJ';
const ACCOUNT = '123456789012';
const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

/** A string known only at apply time (a Terraform variable). */
const token = (scope: Construct, name: string) =>
  new TerraformVariable(scope, name, { type: 'string' }).stringValue;

function certificate(
  props: Partial<DomainCertificateProps> | ((scope: Construct) => Partial<DomainCertificateProps>),
  provider = false,
): { json: Json; cert: DomainCertificate } {
  let cert: DomainCertificate | undefined;
  const json = synthScope((scope) => {
    const usEast1 = new AwsProvider(scope, 'use1', { region: 'us-east-1', alias: 'use1' });
    cert = new DomainCertificate(scope, 'cert', {
      namePrefix: 'p-e',
      domainName: 'app.example.com',
      ...(provider ? { provider: usEast1 } : {}),
      ...(typeof props === 'function' ? props(scope) : props),
    });
    new TerraformOutput(scope, 'certificate_arn', { value: cert.certificateArn });
    new TerraformOutput(scope, 'validation_record_fqdns', { value: cert.validationRecordFqdns });
  });
  return { json, cert: cert! };
}

const CERT_NAME = 'cert_certificate_EC6438D5';
const OPTION = `element(tolist(tolist(aws_acm_certificate.${CERT_NAME}.domain_validation_options)), 0)`;
const RECORD_FQDN = '${aws_route53_record.cert_validation_F370F6AE.fqdn}';

describe('DomainCertificate with a hosted zone', () => {
  const { json, cert } = certificate({ hostedZoneId: ZONE }, true);

  it('requests a DNS-validated certificate for the name, created before the old one is destroyed', () => {
    expect(resourcesOf(json, 'aws_acm_certificate')).toEqual({
      [CERT_NAME]: {
        provider: 'aws.use1',
        domain_name: 'app.example.com',
        validation_method: 'DNS',
        tags: { Name: 'p-e-app.example.com' },
        lifecycle: { create_before_destroy: true },
      },
    });
  });

  // ACM gives one CNAME per name and account; the record may already exist from an earlier certificate.
  it('writes the validation CNAME of the first validation option into the zone, 300 s, overwriting', () => {
    expect(resourcesOf(json, 'aws_route53_record')).toEqual({
      cert_validation_F370F6AE: {
        zone_id: ZONE,
        name: `\${${OPTION}.resource_record_name}`,
        type: `\${${OPTION}.resource_record_type}`,
        records: [`\${${OPTION}.resource_record_value}`],
        ttl: 300,
        allow_overwrite: true,
      },
    });
    expect(cert.validationRecord).toBeDefined();
  });

  it('waits for issuance through that record, and exposes the ARN of the validation resource', () => {
    expect(resourcesOf(json, 'aws_acm_certificate_validation')).toEqual({
      cert_issued_3BB23B41: {
        provider: 'aws.use1',
        certificate_arn: `\${aws_acm_certificate.${CERT_NAME}.arn}`,
        validation_record_fqdns: [RECORD_FQDN],
      },
    });
    expect(json.output.certificate_arn.value).toBe(
      '${aws_acm_certificate_validation.cert_issued_3BB23B41.certificate_arn}',
    );
    expect(json.output.validation_record_fqdns.value).toEqual([RECORD_FQDN]);
  });
});

describe('DomainCertificate without a hosted zone', () => {
  const { json, cert } = certificate({ validationRecordFqdns: ['_x.app.example.com', '_y.app.example.com'] });

  it('writes no record and waits for the records named, in the stack provider', () => {
    expect(resourcesOf(json, 'aws_route53_record')).toEqual({});
    expect(cert.validationRecord).toBeUndefined();
    expect(resourcesOf(json, 'aws_acm_certificate')).toEqual({
      [CERT_NAME]: {
        domain_name: 'app.example.com',
        validation_method: 'DNS',
        tags: { Name: 'p-e-app.example.com' },
        lifecycle: { create_before_destroy: true },
      },
    });
    expect(resourcesOf(json, 'aws_acm_certificate_validation')).toEqual({
      cert_issued_3BB23B41: {
        certificate_arn: `\${aws_acm_certificate.${CERT_NAME}.arn}`,
        validation_record_fqdns: ['_x.app.example.com', '_y.app.example.com'],
      },
    });
    expect(cert.validationRecordFqdns).toEqual(['_x.app.example.com', '_y.app.example.com']);
  });
});

describe('DomainCertificate with a zone and existing records', () => {
  it('waits for the records named, then its own', () => {
    const { json } = certificate({ hostedZoneId: ZONE, validationRecordFqdns: ['_x.app.example.com'] });
    expect(
      resourcesOf(json, 'aws_acm_certificate_validation').cert_issued_3BB23B41.validation_record_fqdns,
    ).toEqual(['_x.app.example.com', RECORD_FQDN]);
  });
});

describe('DomainCertificate validation', () => {
  const report = (props: Parameters<typeof certificate>[0]) => errorOf(() => certificate(props));

  // ACM RequestCertificate: the first domain name has at most 64 octets, periods included.
  it('takes a name of 64 characters', () => {
    const name = `${'a'.repeat(52)}.example.com`;
    expect(name).toHaveLength(64);
    const { json } = certificate({ domainName: name, hostedZoneId: ZONE });
    expect(resourcesOf(json, 'aws_acm_certificate')[CERT_NAME].domain_name).toBe(name);
  });

  it('fails when the name has 65 characters', () => {
    const name = `${'a'.repeat(53)}.example.com`;
    expect(report({ domainName: name, hostedZoneId: ZONE })).toBe(
      one(
        `stack/cert.domainName ${name} must have at most 64 characters (ACM RequestCertificate, DomainName)`,
      ),
    );
  });

  it('fails when the name is not a lower-case DNS name, with each problem', () => {
    expect(report({ domainName: 'App.example.com.', hostedZoneId: ZONE })).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - stack/cert.domainName App.example.com. must be lower case (CloudFront aliases are)',
        '  - stack/cert.domainName App.example.com. must not end with a dot',
      ].join('\n'),
    );
  });

  it('fails when the hosted zone id is not a Route 53 zone id', () => {
    expect(report({ hostedZoneId: 'z0123' })).toBe(
      one('stack/cert.hostedZoneId z0123 must be a Route 53 hosted zone id'),
    );
    expect(report({ hostedZoneId: '/hostedzone/Z0123' })).toBe(
      one('stack/cert.hostedZoneId /hostedzone/Z0123 must be a Route 53 hosted zone id'),
    );
  });

  it('takes a hosted zone id known only at apply time', () => {
    const { json } = certificate((scope) => ({ hostedZoneId: token(scope, 'zone') }));
    expect(resourcesOf(json, 'aws_route53_record').cert_validation_F370F6AE.zone_id).toBe('${var.zone}');
  });

  it('fails when nothing would validate the certificate (no zone, no record)', () => {
    const rule =
      'must name the validation record when no hostedZoneId is given (nothing would validate the certificate)';
    expect(report({})).toBe(one(`stack/cert.validationRecordFqdns (unset) ${rule}`));
    expect(report({ validationRecordFqdns: [] })).toBe(one(`stack/cert.validationRecordFqdns [] ${rule}`));
  });

  it('takes a zone without records', () => {
    expect(() => certificate({ hostedZoneId: ZONE, validationRecordFqdns: [] })).not.toThrow();
  });
});

function dns(props: Partial<DomainDnsProps> | ((scope: Construct) => Partial<DomainDnsProps>) = {}): {
  json: Json;
  built: DomainDns;
} {
  let built: DomainDns | undefined;
  const json = synthScope((scope) => {
    const usEast1 = new AwsProvider(scope, 'use1', { region: 'us-east-1', alias: 'use1' });
    built = new DomainDns(scope, 'dns', {
      namePrefix: 'p-e',
      domainName: 'app.example.com',
      hostedZoneId: ZONE,
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      usEast1Provider: usEast1,
      accountId: ACCOUNT,
      ...(typeof props === 'function' ? props(scope) : props),
    });
    new TerraformOutput(scope, 'topic_arn', { value: built.topicArn });
  });
  return { json, built: built! };
}

const TOPIC_ARN = '${aws_sns_topic.dns_topic_1CFB3311.arn}';
const HEALTH_CHECK = (extra: Json = {}) => ({
  'dns_health-check_1EFBD3AF': {
    type: 'HTTPS',
    fqdn: 'app.example.com',
    port: 443,
    resource_path: '/api/health',
    enable_sni: true,
    request_interval: 30,
    failure_threshold: 3,
    tags: { Name: 'p-e-api' },
    ...extra,
  },
});

describe('DomainDns with the defaults', () => {
  const { json } = dns();

  // A CloudFront alias target is zone Z2FDTNDATAQYW2 and cannot evaluate target health (AliasTarget).
  it('points A and AAAA records of the name at the distribution', () => {
    const alias = (type: string) => ({
      zone_id: ZONE,
      name: 'app.example.com',
      type,
      alias: {
        name: 'd111111abcdef8.cloudfront.net',
        zone_id: 'Z2FDTNDATAQYW2',
        evaluate_target_health: false,
      },
    });
    expect(resourcesOf(json, 'aws_route53_record')).toEqual({
      dns_ipv4_3780C0E0: alias('A'),
      dns_ipv6_A5CF24B2: alias('AAAA'),
    });
  });

  // Route 53 health checks: SNI so CloudFront serves the custom certificate; every checker region by default.
  it('checks /api/health over HTTPS on 443 with SNI every 30 s, 3 failures, from every checker region', () => {
    expect(resourcesOf(json, 'aws_route53_health_check')).toEqual(HEALTH_CHECK());
  });

  // HealthCheckStatus is 1 or 0 and published in us-east-1 only; Minimum is its valid statistic.
  it('alarms in us-east-1 when the check fails for two minutes, or reports nothing', () => {
    expect(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).toEqual({
      dns_alarm_E0C1DFA3: {
        provider: 'aws.use1',
        alarm_name: 'p-e-api-health-check',
        alarm_description:
          'app.example.com/api/health fails the Route 53 health check (HTTPS through CloudFront)',
        namespace: 'AWS/Route53',
        metric_name: 'HealthCheckStatus',
        dimensions: { HealthCheckId: '${aws_route53_health_check.dns_health-check_1EFBD3AF.id}' },
        statistic: 'Minimum',
        period: 60,
        evaluation_periods: 2,
        threshold: 1,
        comparison_operator: 'LessThanThreshold',
        treat_missing_data: 'breaching',
        alarm_actions: [TOPIC_ARN],
        ok_actions: [TOPIC_ARN],
      },
    });
  });

  it('encrypts the alarm topic with a rotated key CloudWatch alarms may use', () => {
    const { policy, ...key } = resourcesOf(json, 'aws_kms_key').dns_key_2B0053ED;
    expect(key).toEqual({
      provider: 'aws.use1',
      description: 'p-e health check alarm topic encryption (us-east-1)',
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(JSON.parse(policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountAdministration',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ],
    });
    expect(resourcesOf(json, 'aws_kms_alias')).toEqual({
      'dns_key-alias_CAB2B4B6': {
        provider: 'aws.use1',
        name: 'alias/p-e-edge-alarms',
        target_key_id: '${aws_kms_key.dns_key_2B0053ED.key_id}',
      },
    });
  });

  it('lets CloudWatch alarms of the account publish to the topic, and exposes its ARN', () => {
    expect(resourcesOf(json, 'aws_sns_topic')).toEqual({
      dns_topic_1CFB3311: {
        provider: 'aws.use1',
        name: 'p-e-edge-alarms',
        kms_master_key_id: '${aws_kms_key.dns_key_2B0053ED.arn}',
      },
    });
    const { policy, ...topicPolicy } = resourcesOf(json, 'aws_sns_topic_policy')['dns_topic-policy_3B4E5DFD'];
    expect(topicPolicy).toEqual({ provider: 'aws.use1', arn: TOPIC_ARN });
    expect(JSON.parse(policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: TOPIC_ARN,
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ],
    });
    expect(json.output.topic_arn.value).toBe(TOPIC_ARN);
  });

  it('subscribes nobody without an alarm email', () => {
    expect(resourcesOf(json, 'aws_sns_topic_subscription')).toEqual({});
  });
});

describe('DomainDns options', () => {
  it('subscribes the alarm email, only while the address is not empty', () => {
    const { json } = dns({ alarmEmail: 'ops@example.com' });
    expect(resourcesOf(json, 'aws_sns_topic_subscription')).toEqual({
      dns_email_5480E2F5: {
        provider: 'aws.use1',
        topic_arn: TOPIC_ARN,
        protocol: 'email',
        endpoint: 'ops@example.com',
        count: '${min(length("ops@example.com"), 1)}',
      },
    });
  });

  it('counts an email variable: no subscription while it is empty', () => {
    const { json } = dns((scope) => ({ alarmEmail: token(scope, 'email') }));
    expect(resourcesOf(json, 'aws_sns_topic_subscription').dns_email_5480E2F5.count).toBe(
      '${min(length(var.email), 1)}',
    );
  });

  it('checks the path given, and names it in the alarm', () => {
    const { json } = dns({ healthCheckPath: '/healthz' });
    expect(resourcesOf(json, 'aws_route53_health_check')).toEqual(
      HEALTH_CHECK({ resource_path: '/healthz' }),
    );
    expect(resourcesOf(json, 'aws_cloudwatch_metric_alarm').dns_alarm_E0C1DFA3.alarm_description).toBe(
      'app.example.com/healthz fails the Route 53 health check (HTTPS through CloudFront)',
    );
  });

  it('checks from the regions given, at least three (Route 53 HealthCheckConfig.Regions)', () => {
    const regions = ['us-east-1', 'us-west-2', 'ap-northeast-1'];
    const { json } = dns({ healthCheckRegions: regions });
    expect(resourcesOf(json, 'aws_route53_health_check')).toEqual(HEALTH_CHECK({ regions }));
  });
});

describe('DomainDns validation', () => {
  const report = (props: Parameters<typeof dns>[0]) => errorOf(() => dns(props));

  it('fails when the name is not a DNS name', () => {
    expect(report({ domainName: 'localhost' })).toBe(
      one('stack/dns.domainName localhost must have at least two labels, like example.com'),
    );
  });

  it.each(['/', '/api/health', '/a-z.0_9~/x'])('takes the health check path %s', (healthCheckPath) => {
    expect(() => dns({ healthCheckPath })).not.toThrow();
  });

  it.each([
    ['api/health', 'api/health'],
    ['x/api/health', 'x/api/health'],
    ['/api/health?x=1', '/api/health?x=1'],
    ['/api/health ', '"/api/health " must be a URI path starting with / (the value ends with a space)'],
    ['', '"" must be a URI path starting with /'],
  ])('fails when the health check path is %j', (healthCheckPath, shown) => {
    const rest = shown.includes(' must ') ? shown : `${shown} must be a URI path starting with /`;
    expect(report({ healthCheckPath })).toBe(one(`stack/dns.healthCheckPath ${rest}`));
  });

  it('fails with two checker regions, takes three', () => {
    expect(report({ healthCheckRegions: ['us-east-1', 'us-west-1'] })).toBe(
      one(
        'stack/dns.healthCheckRegions ["us-east-1","us-west-1"] must name at least 3 regions (Route 53 HealthCheckConfig.Regions)',
      ),
    );
    expect(() => dns({ healthCheckRegions: ['us-east-1', 'us-west-1', 'sa-east-1'] })).not.toThrow();
  });

  it('fails for each region that has no health checkers, by index', () => {
    expect(report({ healthCheckRegions: ['us-east-1', 'eu-central-1', 'us-west-2', 'ap-northeast-2'] })).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - stack/dns.healthCheckRegions[1] eu-central-1 must be one of us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1',
        '  - stack/dns.healthCheckRegions[3] ap-northeast-2 must be one of us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1',
      ].join('\n'),
    );
  });
});
