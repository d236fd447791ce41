import { Lazy } from 'cdktf';
import {
  ApiLoadBalancer,
  checkApiLoadBalancerProps,
  type ApiLoadBalancerProps,
  type TargetHealthCheck,
} from '../src/modules/alb';
import { IssueCollector, formatIssue } from '../src/lib/validation';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

/**
 * The API's load balancer built on its own (src/modules/alb.ts), outside the staging stack that
 * api-resources.test.ts reads: every default, the HTTPS branch, the options staging leaves off,
 * the 32-character names, the origin header rules and every validation rule at its edges.
 */

const CERT = 'arn:aws:acm:ap-northeast-2:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
const PLACEMENT = {
  namePrefix: 'p-e',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-alb',
  targetPort: 8000,
};

function synthAlb(
  props: ApiLoadBalancerProps,
  after?: (alb: ApiLoadBalancer) => void,
  placement: typeof PLACEMENT = PLACEMENT,
): Json {
  return synthScope((scope) => {
    const alb = new ApiLoadBalancer(scope, placement, props);
    after?.(alb);
  });
}

const FORWARD_BLUE = [{ type: 'forward', target_group_arn: '${aws_lb_target_group.target-group.arn}' }];
const DEFAULT_HEALTH = {
  enabled: true,
  protocol: 'HTTP',
  port: 'traffic-port',
  path: '/health',
  interval: 30,
  timeout: 5,
  healthy_threshold: 5,
  unhealthy_threshold: 2,
  matcher: '200',
};
const FORBIDDEN = [
  {
    type: 'fixed-response',
    fixed_response: { content_type: 'text/plain', status_code: '403', message_body: 'Forbidden' },
  },
];

describe('ApiLoadBalancer defaults (no options)', () => {
  const json = synthAlb({});

  it('is an internet-facing IPv4 ALB that drops invalid headers, idle 60 s, no deletion protection, no access logs', () => {
    expect(resourcesOf(json, 'aws_lb')).toEqual({
      alb: {
        name: 'p-e-alb',
        load_balancer_type: 'application',
        internal: false,
        ip_address_type: 'ipv4',
        subnets: ['subnet-a', 'subnet-b'],
        security_groups: ['sg-alb'],
        drop_invalid_header_fields: true,
        enable_deletion_protection: false,
        idle_timeout: 60,
        tags: { Name: 'p-e-alb' },
      },
    });
  });

  it('has blue and green ip target groups on the task port: /health every 30 s, timeout 5, 5 healthy, 2 unhealthy, 200, drain 30 s', () => {
    expect(resourcesOf(json, 'aws_lb_target_group')).toEqual({
      'target-group': {
        name: 'p-e-api',
        target_type: 'ip',
        protocol: 'HTTP',
        port: 8000,
        vpc_id: 'vpc-1',
        deregistration_delay: '30',
        health_check: DEFAULT_HEALTH,
        tags: { Name: 'p-e-api' },
      },
      'target-group-green': {
        name: 'p-e-api-green',
        target_type: 'ip',
        protocol: 'HTTP',
        port: 8000,
        vpc_id: 'vpc-1',
        deregistration_delay: '30',
        health_check: DEFAULT_HEALTH,
        tags: { Name: 'p-e-api-green' },
      },
    });
  });

  it('forwards HTTP 80 and the HTTP test listener on 8080 to the blue group; no HTTPS listener', () => {
    expect(resourcesOf(json, 'aws_lb_listener')).toEqual({
      http: {
        load_balancer_arn: '${aws_lb.alb.arn}',
        port: 80,
        protocol: 'HTTP',
        default_action: FORWARD_BLUE,
        lifecycle: { ignore_changes: ['default_action'] },
      },
      'test-listener': {
        load_balancer_arn: '${aws_lb.alb.arn}',
        port: 8080,
        protocol: 'HTTP',
        default_action: FORWARD_BLUE,
        lifecycle: { ignore_changes: ['default_action'] },
      },
    });
    expect(resourcesOf(json, 'aws_lb_listener_rule')).toEqual({});
  });

  it('exposes the HTTP listener as the serving one and lists HTTP then test listener', () => {
    synthAlb({}, (alb) => {
      expect(alb.httpsListener).toBeUndefined();
      expect(alb.servingListener).toBe(alb.httpListener);
      expect(alb.listeners).toEqual([alb.httpListener, alb.testListener]);
      expect(alb.testListenerPort).toBe(8080);
      expect(alb.accessLogsPrefix).toBe('alb');
    });
  });
});

describe('ApiLoadBalancer with a certificate', () => {
  it('serves HTTPS 443 with the TLS 1.3/1.2 policy, redirects 80 to 443 with a 301, and tests over HTTPS on 8080', () => {
    const json = synthAlb({ certificateArn: CERT });
    expect(resourcesOf(json, 'aws_lb_listener')).toEqual({
      https: {
        load_balancer_arn: '${aws_lb.alb.arn}',
        port: 443,
        protocol: 'HTTPS',
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificate_arn: CERT,
        default_action: FORWARD_BLUE,
        lifecycle: { ignore_changes: ['default_action'] },
      },
      // The redirect is Terraform's own: CodeDeploy never touches it.
      http: {
        load_balancer_arn: '${aws_lb.alb.arn}',
        port: 80,
        protocol: 'HTTP',
        default_action: [
          { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } },
        ],
      },
      'test-listener': {
        load_balancer_arn: '${aws_lb.alb.arn}',
        port: 8080,
        protocol: 'HTTPS',
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificate_arn: CERT,
        default_action: FORWARD_BLUE,
        lifecycle: { ignore_changes: ['default_action'] },
      },
    });
  });

  it('uses the given TLS policy on the HTTPS and test listeners', () => {
    const json = synthAlb({ certificateArn: CERT, sslPolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01' });
    const listeners = resourcesOf(json, 'aws_lb_listener');
    expect([listeners.https.ssl_policy, listeners['test-listener'].ssl_policy]).toEqual([
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
    ]);
  });

  it('makes HTTPS the serving listener and lists HTTP, HTTPS, test', () => {
    synthAlb({ certificateArn: CERT }, (alb) => {
      expect(alb.httpsListener).toBeDefined();
      expect(alb.servingListener).toBe(alb.httpsListener);
      expect(alb.listeners).toEqual([alb.httpListener, alb.httpsListener, alb.testListener]);
    });
  });

  it('passes a certificate given as a Terraform expression through to the HTTPS listener', () => {
    const json = synthAlb({ certificateArn: '${var.certificate_arn}' });
    expect(resourcesOf(json, 'aws_lb_listener').https.certificate_arn).toBe('${var.certificate_arn}');
  });
});

describe('ApiLoadBalancer options', () => {
  it('is internal, deletion-protected, with its idle timeout and access logs under the default prefix alb', () => {
    const json = synthAlb({
      internalAlb: true,
      deletionProtection: true,
      idleTimeoutSeconds: 120,
      accessLogsBucket: 'logs-bucket',
    });
    expect(resourcesOf(json, 'aws_lb').alb).toEqual({
      name: 'p-e-alb',
      load_balancer_type: 'application',
      internal: true,
      ip_address_type: 'ipv4',
      subnets: ['subnet-a', 'subnet-b'],
      security_groups: ['sg-alb'],
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      idle_timeout: 120,
      access_logs: { bucket: 'logs-bucket', prefix: 'alb', enabled: true },
      tags: { Name: 'p-e-alb' },
    });
  });

  it('writes access logs under the given prefix, and none for an empty bucket name', () => {
    const json = synthAlb({ accessLogsBucket: 'logs-bucket', accessLogsPrefix: 'lb/api' });
    expect(resourcesOf(json, 'aws_lb').alb.access_logs).toEqual({
      bucket: 'logs-bucket',
      prefix: 'lb/api',
      enabled: true,
    });
    expect(resourcesOf(synthAlb({ accessLogsBucket: '' }), 'aws_lb').alb.access_logs).toBeUndefined();
  });

  it('puts the given health check and drain time on both target groups', () => {
    const targetHealthCheck: TargetHealthCheck = {
      path: '/ready',
      intervalSeconds: 10,
      timeoutSeconds: 3,
      healthyThreshold: 2,
      unhealthyThreshold: 4,
      matcher: '200-299',
    };
    const json = synthAlb({ targetHealthCheck, deregistrationDelaySeconds: 0 }, undefined, {
      ...PLACEMENT,
      targetPort: 9000,
    });
    for (const group of Object.values(resourcesOf(json, 'aws_lb_target_group'))) {
      expect(group).toMatchObject({
        port: 9000,
        deregistration_delay: '0',
        health_check: {
          enabled: true,
          protocol: 'HTTP',
          port: 'traffic-port',
          path: '/ready',
          interval: 10,
          timeout: 3,
          healthy_threshold: 2,
          unhealthy_threshold: 4,
          matcher: '200-299',
        },
      });
    }
  });

  it('puts the test listener on the given port', () => {
    let port = 0;
    const json = synthAlb({ testListenerPort: 9443 }, (alb) => (port = alb.testListenerPort));
    expect(resourcesOf(json, 'aws_lb_listener')['test-listener'].port).toBe(9443);
    expect(port).toBe(9443);
  });

  it('writes the access-logs bucket statement under the configured prefix', () => {
    synthAlb({ accessLogsPrefix: 'lb/api' }, (alb) => {
      expect(alb.accessLogsBucketStatement('ap-northeast-2', 'arn:aws:s3:::logs')).toEqual({
        Sid: 'AlbAccessLogs',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::600734575887:root' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::logs/lb/api/AWSLogs/*',
      });
    });
  });
});

// Elastic Load Balancing: load balancer and target group names have at most 32 characters.
describe('ALB and target group names', () => {
  const names = (namePrefix: string) => {
    const json = synthAlb({}, undefined, { ...PLACEMENT, namePrefix });
    const groups = resourcesOf(json, 'aws_lb_target_group');
    return [
      resourcesOf(json, 'aws_lb').alb.name,
      groups['target-group'].name,
      groups['target-group-green'].name,
    ];
  };

  it('keeps a <prefix>-<thing> name of exactly 32 characters as it is', () => {
    expect(names('abcdefghijklmnopqrstuvwxyz01')).toEqual([
      'abcdefghijklmnopqrstuvwxyz01-alb',
      'abcdefghijklmnopqrstuvwxyz01-api',
      // 38 characters: shortened.
      'abcdefghijklmnopq-1998-api-green',
    ]);
  });

  it('shortens a 33-character name to 32: the prefix start, 4 hex of the full name, the thing', () => {
    expect(names('abcdefghijklmnopqrstuvwxyz012')).toEqual([
      'abcdefghijklmnopqrstuvw-6333-alb',
      'abcdefghijklmnopqrstuvw-0585-api',
      'abcdefghijklmnopq-57f8-api-green',
    ]);
  });

  it('drops the hyphens a cut prefix ends with', () => {
    expect(names('abcdefghijklmnopqrstu--vwxyz0123')).toEqual([
      'abcdefghijklmnopqrstu-087d-alb',
      'abcdefghijklmnopqrstu-0ea3-api',
      'abcdefghijklmnopq-f5e6-api-green',
    ]);
  });

  it('tags the ALB and groups with the full names', () => {
    const json = synthAlb({}, undefined, { ...PLACEMENT, namePrefix: 'abcdefghijklmnopqrstuvwxyz012' });
    expect(resourcesOf(json, 'aws_lb').alb.tags).toEqual({ Name: 'abcdefghijklmnopqrstuvwxyz012-alb' });
    expect(Object.values(resourcesOf(json, 'aws_lb_target_group')).map((g) => g.tags.Name as string)).toEqual(
      ['abcdefghijklmnopqrstuvwxyz012-api', 'abcdefghijklmnopqrstuvwxyz012-api-green'],
    );
  });
});

describe('requireHeader', () => {
  const RULE = {
    priority: 1,
    condition: [{ http_header: { http_header_name: 'X-Origin-Verify', values: ['v1'] } }],
    action: FORWARD_BLUE,
    lifecycle: { ignore_changes: ['action'] },
  };

  it('without a certificate: HTTP 80 answers 403 by default and one rule on it forwards requests with the header', () => {
    let count = 0;
    const json = synthAlb({}, (alb) => (count = alb.requireHeader('X-Origin-Verify', 'v1').length));
    expect(count).toBe(1);
    expect(resourcesOf(json, 'aws_lb_listener').http.default_action).toEqual(FORBIDDEN);
    // The test listener keeps forwarding: CodeDeploy's test traffic never carries the header.
    expect(resourcesOf(json, 'aws_lb_listener')['test-listener'].default_action).toEqual(FORWARD_BLUE);
    expect(resourcesOf(json, 'aws_lb_listener_rule')).toEqual({
      'origin-header': { listener_arn: '${aws_lb_listener.http.arn}', ...RULE },
    });
  });

  it('with a certificate: HTTPS answers 403, HTTP keeps its redirect, and both get a rule (HTTP first)', () => {
    const json = synthAlb({ certificateArn: CERT }, (alb) => {
      const rules = alb.requireHeader('X-Origin-Verify', 'v1');
      expect(rules).toHaveLength(2);
    });
    const listeners = resourcesOf(json, 'aws_lb_listener');
    expect(listeners.https.default_action).toEqual(FORBIDDEN);
    expect(listeners.http.default_action).toEqual([
      { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } },
    ]);
    expect(resourcesOf(json, 'aws_lb_listener_rule')).toEqual({
      'origin-header': { listener_arn: '${aws_lb_listener.http.arn}', ...RULE },
      'origin-header-https': { listener_arn: '${aws_lb_listener.https.arn}', ...RULE },
    });
  });

  it('takes a header name of 40 characters and the token characters of RFC 9110', () => {
    const name = `${'A'.repeat(31)}!#$%&'*+`;
    expect(name).toHaveLength(39);
    const json = synthAlb({}, (alb) => alb.requireHeader(`${name}z`, 'v'));
    expect(resourcesOf(json, 'aws_lb_listener_rule')['origin-header'].condition).toEqual([
      { http_header: { http_header_name: `${name}z`, values: ['v'] } },
    ]);
    synthAlb({}, (alb) => alb.requireHeader('.^_`|~-x', 'v'));
  });

  const failure = (name: string, value: string) =>
    errorOf(() => synthAlb({}, (alb) => alb.requireHeader(name, value)));

  it('fails when the header name has 41 characters', () => {
    expect(failure('A'.repeat(41), 'v')).toBe(
      [
        'Invalid configuration (1 problem):',
        `  - stack.requireHeader.headerName ${'A'.repeat(41)} must be an HTTP header name of 1-40 characters`,
      ].join('\n'),
    );
  });

  it.each([[''], ['X Origin'], ['X-Origin:'], ['Ä']])('fails when the header name is %j', (name) => {
    expect(failure(name, 'v')).toContain('must be an HTTP header name of 1-40 characters');
  });

  it('fails when the header value is empty', () => {
    expect(failure('X-Origin-Verify', '')).toBe(
      ['Invalid configuration (1 problem):', '  - stack.requireHeader.headerValue "" must not be empty'].join(
        '\n',
      ),
    );
  });

  it('fails when called a second time', () => {
    expect(
      errorOf(() =>
        synthAlb({}, (alb) => {
          alb.requireHeader('X-Origin-Verify', 'a');
          alb.requireHeader('X-Origin-Verify', 'b');
        }),
      ),
    ).toBe(
      [
        'Invalid configuration (1 problem):',
        '  - stack.requireHeader X-Origin-Verify was already called: one origin header per ALB',
      ].join('\n'),
    );
  });
});

describe('checkApiLoadBalancerProps', () => {
  const issues = (props: ApiLoadBalancerProps): string[] => {
    const v = new IssueCollector('alb');
    checkApiLoadBalancerProps(v, props);
    return v.issues.map(formatIssue);
  };
  const health = (change: Partial<TargetHealthCheck>): ApiLoadBalancerProps => ({
    targetHealthCheck: {
      path: '/health',
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 5,
      unhealthyThreshold: 2,
      matcher: '200',
      ...change,
    },
  });

  it('passes the defaults', () => {
    expect(issues({})).toEqual([]);
  });

  it.each([
    ['the lowest port', { testListenerPort: 1 }],
    ['the highest port', { testListenerPort: 65535 }],
    ['a port next to 80', { testListenerPort: 81 }],
    ['a port next to 443', { testListenerPort: 442 }],
    ['the TLS 1.2 policy', { sslPolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01' }],
    ['the TLS 1.3 policy', { sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06' }],
    ['an ACM certificate', { certificateArn: CERT }],
    ['a certificate as a Terraform token', { certificateArn: Lazy.stringValue({ produce: () => 'x' }) }],
    ['the root health path', health({ path: '/' })],
    ['interval 5, timeout 2', health({ intervalSeconds: 5, timeoutSeconds: 2 })],
    ['interval 300, timeout 120', health({ intervalSeconds: 300, timeoutSeconds: 120 })],
    ['timeout one less than interval', health({ intervalSeconds: 10, timeoutSeconds: 9 })],
    ['thresholds 2', health({ healthyThreshold: 2, unhealthyThreshold: 2 })],
    ['thresholds 10', health({ healthyThreshold: 10, unhealthyThreshold: 10 })],
    ['a matcher range', health({ matcher: '200-299' })],
    ['a matcher list', health({ matcher: '200,201,204' })],
    ['idle timeout 1', { idleTimeoutSeconds: 1 }],
    ['idle timeout 4000', { idleTimeoutSeconds: 4000 }],
    ['deregistration delay 0', { deregistrationDelaySeconds: 0 }],
    ['deregistration delay 3600', { deregistrationDelaySeconds: 3600 }],
    ['a nested prefix with every allowed character', { accessLogsPrefix: "lb/a!_.*'()-Z9" }],
  ] as const)('passes %s', (_, props) => {
    expect(issues(props)).toEqual([]);
  });

  // ELB limits: listener port 1-65535, health check interval 5-300 s, timeout 2-120 s,
  // thresholds 2-10, idle timeout 1-4000 s, deregistration delay 0-3600 s.
  it.each([
    [{ testListenerPort: 0 }, 'alb.testListenerPort 0 must be an integer from 1 to 65535'],
    [{ testListenerPort: 65536 }, 'alb.testListenerPort 65536 must be an integer from 1 to 65535'],
    [{ testListenerPort: 8080.5 }, 'alb.testListenerPort 8080.5 must be an integer from 1 to 65535'],
    [
      { testListenerPort: 80 },
      'alb.testListenerPort 80 must differ from the production listener ports 80 and 443 (an ALB has one listener per port)',
    ],
    [
      { testListenerPort: 443 },
      'alb.testListenerPort 443 must differ from the production listener ports 80 and 443 (an ALB has one listener per port)',
    ],
    [{ certificateArn: 'not-an-arn' }, 'alb.certificateArn not-an-arn must be an ACM certificate ARN'],
    [{ certificateArn: '' }, 'alb.certificateArn "" must be an ACM certificate ARN'],
    [
      { sslPolicy: 'ELBSecurityPolicy-2016-08' },
      'alb.sslPolicy ELBSecurityPolicy-2016-08 must be an ELB security policy that requires TLS 1.2+',
    ],
    [
      { sslPolicy: 'XELBSecurityPolicy-TLS13-1-2-2021-06' },
      'alb.sslPolicy XELBSecurityPolicy-TLS13-1-2-2021-06 must be an ELB security policy that requires TLS 1.2+',
    ],
    [health({ path: 'health' }), 'alb.targetHealthCheck.path health must be a path starting with /'],
    [health({ path: 'x/health' }), 'alb.targetHealthCheck.path x/health must be a path starting with /'],
    [health({ path: '/he alth' }), 'alb.targetHealthCheck.path /he alth must be a path starting with /'],
    [
      health({ intervalSeconds: 4, timeoutSeconds: 2 }),
      'alb.targetHealthCheck.intervalSeconds 4 must be an integer from 5 to 300',
    ],
    [
      health({ intervalSeconds: 301 }),
      'alb.targetHealthCheck.intervalSeconds 301 must be an integer from 5 to 300',
    ],
    [
      health({ timeoutSeconds: 1 }),
      'alb.targetHealthCheck.timeoutSeconds 1 must be an integer from 2 to 120',
    ],
    [
      health({ intervalSeconds: 300, timeoutSeconds: 121 }),
      'alb.targetHealthCheck.timeoutSeconds 121 must be an integer from 2 to 120',
    ],
    [
      health({ intervalSeconds: 10, timeoutSeconds: 10 }),
      'alb.targetHealthCheck.timeoutSeconds 10 must be less than intervalSeconds (10)',
    ],
    [
      health({ healthyThreshold: 1 }),
      'alb.targetHealthCheck.healthyThreshold 1 must be an integer from 2 to 10',
    ],
    [
      health({ healthyThreshold: 11 }),
      'alb.targetHealthCheck.healthyThreshold 11 must be an integer from 2 to 10',
    ],
    [
      health({ unhealthyThreshold: 1 }),
      'alb.targetHealthCheck.unhealthyThreshold 1 must be an integer from 2 to 10',
    ],
    [
      health({ unhealthyThreshold: 11 }),
      'alb.targetHealthCheck.unhealthyThreshold 11 must be an integer from 2 to 10',
    ],
    [health({ matcher: '20' }), 'alb.targetHealthCheck.matcher 20 must be HTTP codes like 200 or 200-299'],
    [
      health({ matcher: '200-' }),
      'alb.targetHealthCheck.matcher 200- must be HTTP codes like 200 or 200-299',
    ],
    [
      health({ matcher: 'x200' }),
      'alb.targetHealthCheck.matcher x200 must be HTTP codes like 200 or 200-299',
    ],
    [
      health({ matcher: '2000' }),
      'alb.targetHealthCheck.matcher 2000 must be HTTP codes like 200 or 200-299',
    ],
    [{ idleTimeoutSeconds: 0 }, 'alb.idleTimeoutSeconds 0 must be an integer from 1 to 4000'],
    [{ idleTimeoutSeconds: 4001 }, 'alb.idleTimeoutSeconds 4001 must be an integer from 1 to 4000'],
    [
      { deregistrationDelaySeconds: -1 },
      'alb.deregistrationDelaySeconds -1 must be an integer from 0 to 3600',
    ],
    [
      { deregistrationDelaySeconds: 3601 },
      'alb.deregistrationDelaySeconds 3601 must be an integer from 0 to 3600',
    ],
    [
      { accessLogsPrefix: '/alb' },
      'alb.accessLogsPrefix /alb must be an S3 key prefix without leading or trailing slash and without AWSLogs',
    ],
    [
      { accessLogsPrefix: 'alb/' },
      'alb.accessLogsPrefix alb/ must be an S3 key prefix without leading or trailing slash and without AWSLogs',
    ],
    [
      { accessLogsPrefix: 'a//b' },
      'alb.accessLogsPrefix a//b must be an S3 key prefix without leading or trailing slash and without AWSLogs',
    ],
    [
      { accessLogsPrefix: 'lb/AWSLogs' },
      'alb.accessLogsPrefix lb/AWSLogs must be an S3 key prefix without leading or trailing slash and without AWSLogs',
    ],
    [
      { accessLogsPrefix: 'a b' },
      'alb.accessLogsPrefix a b must be an S3 key prefix without leading or trailing slash and without AWSLogs',
    ],
  ] as const)('fails when %j', (props, line) => {
    expect(issues(props)).toEqual([line]);
  });
});
