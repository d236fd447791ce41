import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Fn, Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  CLOUDFRONT_HOSTED_ZONE_ID,
  HEALTH_CHECKER_REGIONS,
  MIN_HEALTH_CHECKER_REGIONS,
  dnsNameProblems,
} from '../lib/aws/dns';
import {
  cloudwatchAlarmsKeyStatement,
  cloudwatchAlarmsPublishStatement,
  kmsAccountAdministrationStatement,
} from '../lib/aws/iam';
import { IssueCollector, throwIfIssues } from '../lib/validation';

export interface DomainDnsProps {
  /** `<project>-<env>`, the prefix of every name this module gives a resource. */
  readonly namePrefix: string;
  /** The name served (an alias of the distribution). */
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** `<id>.cloudfront.net`, the alias target. */
  readonly distributionDomainName: string;
  /** Path the health check requests over HTTPS through `domainName`. @default '/api/health' */
  readonly healthCheckPath?: string;
  /**
   * Regions of the Route 53 health checkers (at least three), e.g. those a WAF country allow-list
   * lets through. @default every health checker region
   */
  readonly healthCheckRegions?: readonly string[];
  /**
   * Provider for us-east-1: Route 53 publishes health check metrics there only ("Route 53 metrics
   * are not available if you select any other region", Route 53 developer guide, Monitoring health
   * checks using CloudWatch), so the alarm, and the topic it notifies, live there.
   */
  readonly usEast1Provider: TerraformProvider;
  /** Account id, for the key and topic policies. */
  readonly accountId: string;
  /** Address that receives the alarm; empty or unset: no subscription. @default none */
  readonly alarmEmail?: string;
}

/**
 * The public DNS of one environment: alias A and AAAA records of `domainName` to the CloudFront
 * distribution, an HTTPS health check of the API through that name, and its alarm (us-east-1)
 * with an encrypted topic there.
 */
export class DomainDns extends Construct {
  public readonly ipv4: Route53Record;
  public readonly ipv6: Route53Record;
  public readonly healthCheck: Route53HealthCheck;
  public readonly alarm: CloudwatchMetricAlarm;
  public readonly key: KmsKey;
  public readonly topic: SnsTopic;
  public readonly topicArn: string;

  constructor(scope: Construct, id: string, props: DomainDnsProps) {
    super(scope, id);
    const path = props.healthCheckPath ?? '/api/health';
    validate(this.node.path, props, path);
    const { namePrefix, usEast1Provider: provider } = props;

    const alias = (recordId: string, type: 'A' | 'AAAA') =>
      new Route53Record(this, recordId, {
        zoneId: props.hostedZoneId,
        name: props.domainName,
        type,
        alias: {
          name: props.distributionDomainName,
          zoneId: CLOUDFRONT_HOSTED_ZONE_ID,
          // CloudFront alias targets cannot evaluate target health (Route 53, AliasTarget).
          evaluateTargetHealth: false,
        },
      });
    this.ipv4 = alias('ipv4', 'A');
    // The distribution has IPv6 on (is_ipv6_enabled): AAAA lets IPv6 viewers use it.
    this.ipv6 = alias('ipv6', 'AAAA');

    this.healthCheck = new Route53HealthCheck(this, 'health-check', {
      type: 'HTTPS',
      fqdn: props.domainName,
      port: 443,
      resourcePath: path,
      // SNI with the domain: CloudFront serves the custom certificate only to SNI clients.
      enableSni: true,
      requestInterval: 30,
      failureThreshold: 3,
      regions: props.healthCheckRegions ? [...props.healthCheckRegions] : undefined,
      tags: { Name: `${namePrefix}-api` },
    });

    this.key = new KmsKey(this, 'key', {
      provider,
      description: `${namePrefix} health check alarm topic encryption (us-east-1)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [kmsAccountAdministrationStatement(props.accountId), cloudwatchAlarmsKeyStatement()],
      }),
    });
    new KmsAlias(this, 'key-alias', {
      provider,
      name: `alias/${namePrefix}-edge-alarms`,
      targetKeyId: this.key.keyId,
    });
    this.topic = new SnsTopic(this, 'topic', {
      provider,
      name: `${namePrefix}-edge-alarms`,
      kmsMasterKeyId: this.key.arn,
    });
    this.topicArn = this.topic.arn;
    new SnsTopicPolicy(this, 'topic-policy', {
      provider,
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [cloudwatchAlarmsPublishStatement(this.topic.arn, props.accountId)],
      }),
    });
    if (props.alarmEmail !== undefined) {
      const subscription = new SnsTopicSubscription(this, 'email', {
        provider,
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.alarmEmail,
      });
      // The address is a deploy-time variable: no subscription while it is empty.
      subscription.count = Token.asNumber(Fn.min([Fn.lengthOf(props.alarmEmail), 1]));
    }

    // HealthCheckStatus is 1 (healthy) or 0, across all checker regions; Minimum is its only
    // valid statistic (Route 53 developer guide, CloudWatch metrics for Route 53 health checks).
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      provider,
      alarmName: `${namePrefix}-api-health-check`,
      alarmDescription: `${props.domainName}${path} fails the Route 53 health check (HTTPS through CloudFront)`,
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensions: { HealthCheckId: this.healthCheck.id },
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: 2,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      // No data means the checkers report nothing: treat it as down.
      treatMissingData: 'breaching',
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    });
  }
}

function validate(path: string, props: DomainDnsProps, resourcePath: string): void {
  const v = new IssueCollector(path);
  for (const problem of dnsNameProblems(props.domainName))
    v.at('domainName').report(props.domainName, problem);
  v.at('healthCheckPath').matches(
    resourcePath,
    /^\/[A-Za-z0-9._~/-]*$/,
    'must be a URI path starting with /',
  );
  const regions = props.healthCheckRegions;
  if (regions !== undefined) {
    v.at('healthCheckRegions').check(
      regions.length >= MIN_HEALTH_CHECKER_REGIONS,
      regions,
      `must name at least ${MIN_HEALTH_CHECKER_REGIONS} regions (Route 53 HealthCheckConfig.Regions)`,
    );
    regions.forEach((r, i) => v.at('healthCheckRegions').at(i).oneOf(r, Object.keys(HEALTH_CHECKER_REGIONS)));
  }
  throwIfIssues(v.issues);
}
