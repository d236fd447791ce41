import { createHash } from 'node:crypto';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { ACM_CERTIFICATE_ARN_PATTERN } from '../lib/aws/arns';
import { elbAccessLogsStatement } from '../lib/elb-access-logs';
import type { PolicyStatement } from '../lib/secure-bucket';
import { IssueCollector, throwIfIssues } from '../lib/validation';

/** Health check of the ALB target group. */
export interface TargetHealthCheck {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** HTTP codes, e.g. `200` or `200-299`. */
  readonly matcher: string;
}

/** The ALB part of the API service's props (`EcsApiServiceProps` extends it). */
export interface ApiLoadBalancerProps {
  /**
   * Make the ALB internal: it sits in `privateSubnetIds` (at least two, in different AZs) with no
   * public address and no ingress from the internet; callers open it with `allowToAlb` (for
   * example to a CloudFront VPC origin).
   * @default false - internet-facing in `publicSubnetIds`, open on 80 and 443
   */
  readonly internalAlb?: boolean;
  /** ACM certificate of the ALB. With it: HTTPS on 443 and 80 redirects to 443. @default HTTP only */
  readonly certificateArn?: string;
  /** TLS policy of the HTTPS listener. @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** @default `/health`, interval 30, timeout 5, healthy 5, unhealthy 2, matcher 200 */
  readonly targetHealthCheck?: TargetHealthCheck;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Time the target group drains a deregistering task. @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Bucket of the ALB access logs. The bucket owner must allow ELB to write (see
   * `accessLogsBucketStatement`), and ELB checks that when the ALB is created: pass the name
   * through the bucket policy resource (e.g. `bucket.policy.bucket`) so the ALB waits for it.
   * The bucket must use SSE-S3.
   * @default no access logs
   */
  readonly accessLogsBucket?: string;
  /** Key prefix of the access logs (no leading or trailing slash). @default 'alb' */
  readonly accessLogsPrefix?: string;
  /**
   * Port of the blue/green test listener (same protocol as the serving listener): CodeDeploy
   * points it at the replacement tasks before production traffic moves. Callers open it to the
   * VPC only (`allowToAlb`).
   * @default 8080
   */
  readonly testListenerPort?: number;
}

/** Where the ALB sits and what it forwards to, decided by the service that owns it. */
export interface ApiLoadBalancerPlacement {
  readonly namePrefix: string;
  readonly vpcId: string;
  /** The ALB's subnets: public ones, or the private ones for an internal ALB. */
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  /** Port of the API tasks: the target group's port. */
  readonly targetPort: number;
}

const DEFAULT_TARGET_HEALTH_CHECK: TargetHealthCheck = {
  path: '/health',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  matcher: '200',
};

/**
 * A release swaps the forwarding target group of the production and test listeners (CodeDeploy
 * ModifyListener / ModifyRule, in the AWSCodeDeployRoleForECS policy): Terraform must not put the
 * blue group back on the next apply (ECS developer guide, "CodeDeploy blue/green deployments").
 */
const CODEDEPLOY_OWNS_FORWARD = { ignoreChanges: ['default_action'] };
const CODEDEPLOY_OWNS_RULE = { ignoreChanges: ['action'] };

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/;

/** The ALB props with their defaults filled in. */
function withDefaults(props: ApiLoadBalancerProps) {
  return {
    sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY,
    targetHealthCheck: props.targetHealthCheck ?? DEFAULT_TARGET_HEALTH_CHECK,
    idleTimeout: props.idleTimeoutSeconds ?? 60,
    deregistrationDelay: props.deregistrationDelaySeconds ?? 30,
    accessLogsPrefix: props.accessLogsPrefix ?? 'alb',
    testListenerPort: props.testListenerPort ?? 8080,
  };
}

/**
 * ALB and target group names may have 32 characters. Longer `<prefix>-<thing>` names keep their
 * start and `thing` and get a short hash of the full name, so they stay unique and stable.
 */
function awsLbName(prefix: string, thing: string): string {
  const full = `${prefix}-${thing}`;
  if (full.length <= 32) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 4);
  const head = prefix.slice(0, 32 - thing.length - hash.length - 2).replace(/-+$/, '');
  return `${head}-${hash}-${thing}`;
}

/** Reports every problem of the ALB props into `v` (the owning service's collector). */
export function checkApiLoadBalancerProps(v: IssueCollector, props: ApiLoadBalancerProps): void {
  const {
    sslPolicy,
    targetHealthCheck,
    idleTimeout,
    deregistrationDelay,
    accessLogsPrefix,
    testListenerPort,
  } = withDefaults(props);
  v.at('testListenerPort').intRange(testListenerPort, 1, 65535);
  v.at('testListenerPort').check(
    testListenerPort !== 80 && testListenerPort !== 443,
    testListenerPort,
    'must differ from the production listener ports 80 and 443 (an ALB has one listener per port)',
  );
  if (props.certificateArn !== undefined && !Token.isUnresolved(props.certificateArn))
    v.at('certificateArn').matches(
      props.certificateArn,
      ACM_CERTIFICATE_ARN_PATTERN,
      'must be an ACM certificate ARN',
    );
  v.at('sslPolicy').matches(
    sslPolicy,
    /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2)/,
    'must be an ELB security policy that requires TLS 1.2+',
  );
  const thc = v.at('targetHealthCheck');
  thc.at('path').matches(targetHealthCheck.path, /^\/\S*$/, 'must be a path starting with /');
  thc.at('intervalSeconds').intRange(targetHealthCheck.intervalSeconds, 5, 300);
  thc.at('timeoutSeconds').intRange(targetHealthCheck.timeoutSeconds, 2, 120);
  thc
    .at('timeoutSeconds')
    .check(
      targetHealthCheck.timeoutSeconds < targetHealthCheck.intervalSeconds,
      targetHealthCheck.timeoutSeconds,
      `must be less than intervalSeconds (${targetHealthCheck.intervalSeconds})`,
    );
  thc.at('healthyThreshold').intRange(targetHealthCheck.healthyThreshold, 2, 10);
  thc.at('unhealthyThreshold').intRange(targetHealthCheck.unhealthyThreshold, 2, 10);
  thc
    .at('matcher')
    .matches(targetHealthCheck.matcher, /^\d{3}([,-]\d{3})*$/, 'must be HTTP codes like 200 or 200-299');
  v.at('idleTimeoutSeconds').intRange(idleTimeout, 1, 4000);
  v.at('deregistrationDelaySeconds').intRange(deregistrationDelay, 0, 3600);
  v.at('accessLogsPrefix').matches(
    accessLogsPrefix,
    /^(?!.*AWSLogs)[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/,
    'must be an S3 key prefix without leading or trailing slash and without AWSLogs',
  );
}

/**
 * The API's application load balancer: the ALB, the target group of the API tasks, the HTTP
 * listener (forwarding, or redirecting to 443 with a certificate), the HTTPS listener and the
 * origin-header rules. Not a construct of its own: its resources are created in the owner's scope
 * with the ids they had inside EcsApiService, so their Terraform addresses stay the same (another
 * construct level would rename them, and a renamed resource is destroyed and re-created).
 */
export class ApiLoadBalancer {
  public readonly alb: Lb;
  /** The blue target group: the one the service starts on. */
  public readonly targetGroup: LbTargetGroup;
  /** The green target group: CodeDeploy registers the replacement tasks here, then they swap roles. */
  public readonly greenTargetGroup: LbTargetGroup;
  /** The blue/green test listener (VPC-only), on `testListenerPort`. */
  public readonly testListener: LbListener;
  public readonly testListenerPort: number;
  /** Port 80: forwards to the target group, or redirects to 443 when a certificate is set. */
  public readonly httpListener: LbListener;
  /** Port 443; only with a certificate. */
  public readonly httpsListener?: LbListener;
  /** The listener that forwards to the API (HTTPS with a certificate, else HTTP). */
  public readonly servingListener: LbListener;
  public readonly accessLogsPrefix: string;

  private headerRule?: LbListenerRule;

  constructor(
    private readonly scope: Construct,
    placement: ApiLoadBalancerPlacement,
    props: ApiLoadBalancerProps,
  ) {
    const {
      sslPolicy,
      targetHealthCheck,
      idleTimeout,
      deregistrationDelay,
      accessLogsPrefix,
      testListenerPort,
    } = withDefaults(props);
    const prefix = placement.namePrefix;
    this.accessLogsPrefix = accessLogsPrefix;

    const albName = `${prefix}-alb`;
    this.alb = new Lb(scope, 'alb', {
      name: awsLbName(prefix, 'alb'),
      loadBalancerType: 'application',
      internal: props.internalAlb ?? false,
      ipAddressType: 'ipv4',
      subnets: [...placement.subnetIds],
      securityGroups: [placement.securityGroupId],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? false,
      idleTimeout: idleTimeout,
      accessLogs: props.accessLogsBucket
        ? { bucket: props.accessLogsBucket, prefix: accessLogsPrefix, enabled: true }
        : undefined,
      tags: { Name: albName },
    });

    const targetGroup = (id: string, thing: string) =>
      new LbTargetGroup(scope, id, {
        name: awsLbName(prefix, thing),
        targetType: 'ip',
        protocol: 'HTTP',
        port: placement.targetPort,
        vpcId: placement.vpcId,
        deregistrationDelay: String(deregistrationDelay),
        healthCheck: {
          enabled: true,
          protocol: 'HTTP',
          port: 'traffic-port',
          path: targetHealthCheck.path,
          interval: targetHealthCheck.intervalSeconds,
          timeout: targetHealthCheck.timeoutSeconds,
          healthyThreshold: targetHealthCheck.healthyThreshold,
          unhealthyThreshold: targetHealthCheck.unhealthyThreshold,
          matcher: targetHealthCheck.matcher,
        },
        tags: { Name: `${prefix}-${thing}` },
      });
    this.targetGroup = targetGroup('target-group', 'api');
    this.greenTargetGroup = targetGroup('target-group-green', 'api-green');

    const forward = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    if (props.certificateArn) {
      this.httpsListener = new LbListener(scope, 'https', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy,
        certificateArn: props.certificateArn,
        defaultAction: forward,
        lifecycle: CODEDEPLOY_OWNS_FORWARD,
      });
      this.httpListener = new LbListener(scope, 'http', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [
          { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
        ],
      });
      this.servingListener = this.httpsListener;
    } else {
      this.httpListener = new LbListener(scope, 'http', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: forward,
        lifecycle: CODEDEPLOY_OWNS_FORWARD,
      });
      this.servingListener = this.httpListener;
    }
    // CodeDeploy's test traffic route: starts on the blue group like the production listener
    // (ECS developer guide, "CodeDeploy blue/green deployments"), same protocol and certificate.
    this.testListenerPort = testListenerPort;
    this.testListener = new LbListener(scope, 'test-listener', {
      loadBalancerArn: this.alb.arn,
      port: testListenerPort,
      protocol: props.certificateArn ? 'HTTPS' : 'HTTP',
      sslPolicy: props.certificateArn ? sslPolicy : undefined,
      certificateArn: props.certificateArn,
      defaultAction: forward,
      lifecycle: CODEDEPLOY_OWNS_FORWARD,
    });
  }

  /** The listeners, for the service that must wait until its target group is attached. */
  public get listeners(): LbListener[] {
    return [this.httpListener, ...(this.httpsListener ? [this.httpsListener] : []), this.testListener];
  }

  /**
   * Makes the ALB answer only requests carrying `headerName: headerValue` (CloudFront's origin
   * header): the serving listener's default becomes a fixed 403 and a rule on each listener
   * forwards matching requests (on port 80 ahead of the HTTPS redirect, since CloudFront's ALB
   * origin is http-only). Returns the rules, the HTTP listener's first.
   */
  public requireHeader(headerName: string, headerValue: string): LbListenerRule[] {
    const v = new IssueCollector(`${this.scope.node.path}.requireHeader`);
    v.check(this.headerRule === undefined, headerName, 'was already called: one origin header per ALB');
    v.at('headerName').matches(
      headerName,
      HEADER_NAME_PATTERN,
      'must be an HTTP header name of 1-40 characters',
    );
    v.at('headerValue').check(headerValue !== '', headerValue, 'must not be empty');
    throwIfIssues(v.issues);

    // CloudFront reaches the ALB on port 80 (an http-only origin), so the forwarding rule sits on
    // the HTTP listener ahead of any redirect; every listener refuses requests without the header.
    const forbidden = [
      {
        type: 'fixed-response',
        fixedResponse: { contentType: 'text/plain', statusCode: '403', messageBody: 'Forbidden' },
      },
    ];
    this.servingListener.putDefaultAction(forbidden);
    const condition = [{ httpHeader: { httpHeaderName: headerName, values: [headerValue] } }];
    const action = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    this.headerRule = new LbListenerRule(this.scope, 'origin-header', {
      listenerArn: this.httpListener.arn,
      priority: 1,
      condition,
      action,
      lifecycle: CODEDEPLOY_OWNS_RULE,
    });
    const rules = [this.headerRule];
    if (this.httpsListener) {
      rules.push(
        new LbListenerRule(this.scope, 'origin-header-https', {
          listenerArn: this.httpsListener.arn,
          priority: 1,
          condition,
          action,
          lifecycle: CODEDEPLOY_OWNS_RULE,
        }),
      );
    }
    return rules;
  }

  /**
   * The bucket-policy statement that lets ELB deliver this ALB's access logs into `bucketArn`
   * under the configured prefix: the region's ELB account where one exists, else the log
   * delivery service principal.
   */
  public accessLogsBucketStatement(region: string, bucketArn: string): PolicyStatement {
    return elbAccessLogsStatement('AlbAccessLogs', region, bucketArn, this.accessLogsPrefix);
  }
}
