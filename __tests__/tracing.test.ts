import { architectureModel } from '../src/tools/diagram';
import { XraySampling, xrayRuleName } from '../src/modules/xray-sampling';
import { userDataText } from './support/cloudwatch-agent-rules';
import { synthStack } from './support/app';
import { errorOf, parseInterpolatedJson, resourcesOf, synthScope, type Json } from './support/synth';
import { parseTerraformJson } from './support/terraform-json';

/**
 * Tracing to X-Ray: the ADOT collector beside the API, the OpenTelemetry settings of every
 * container the app runs, the GPU hosts' CloudWatch agent receiving OTLP, the queue-depth function
 * traced, per-environment sampling rules and trace-only permissions. Expected values are written
 * out here.
 */

const STACKS = ['staging', 'production'] as const;
type Stack = (typeof STACKS)[number];

const XRAY_WRITE = {
  Sid: 'XRayWrite',
  Effect: 'Allow',
  Action: [
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'xray:GetSamplingStatisticSummaries',
  ],
  Resource: '*',
};

function containers(json: Json): Json[] {
  const [definition] = Object.values(resourcesOf(json, 'aws_ecs_task_definition'));
  return parseTerraformJson(definition.container_definitions) as Json[];
}

function rolePolicy(json: Json, prefix: string): Json {
  const [, policy] = Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([k]) =>
    k.startsWith(prefix),
  ) as [string, Json];
  return parseInterpolatedJson(policy.policy as string) as Json;
}

function envOf(container: Json): Record<string, string> {
  return Object.fromEntries((container.environment as Json[]).map((e) => [e.name, e.value]));
}

describe.each(STACKS)('tracing (%s)', (stack: Stack) => {
  const json = synthStack(stack);
  const prefix = `ecg-video-pipeline-${stack}`;

  describe('the API task', () => {
    const [api, collector] = containers(json);

    it('runs the ADOT collector, pinned, beside the API; its exit never stops the task', () => {
      expect(containers(json).map((c) => c.name)).toEqual(['api', 'otel-collector']);
      expect(collector).toMatchObject({
        image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0',
        essential: false,
        privileged: false,
        readonlyRootFilesystem: true,
        command: ['--config=env:AOT_CONFIG_CONTENT'],
        portMappings: [],
        secrets: [],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '${aws_cloudwatch_log_group.api_logs_F993657F.name}',
            'awslogs-region': 'ap-northeast-2',
            'awslogs-stream-prefix': 'otel-collector',
          },
        },
      });
      expect(collector.image).not.toMatch(/:latest$/);
    });

    it('gives the collector empty mountPoints and volumesFrom, as ECS returns them (no diff on every plan)', () => {
      expect({ mountPoints: collector.mountPoints, volumesFrom: collector.volumesFrom }).toEqual({
        mountPoints: [],
        volumesFrom: [],
      });
    });

    it('configures the collector: OTLP on the task loopback only, X-Ray sampling proxy, awsxray exporter', () => {
      const config = JSON.parse(envOf(collector).AOT_CONFIG_CONTENT) as Json;
      expect(config).toEqual({
        extensions: { awsproxy: { endpoint: '127.0.0.1:2000', region: 'ap-northeast-2' } },
        receivers: {
          otlp: { protocols: { grpc: { endpoint: '127.0.0.1:4317' }, http: { endpoint: '127.0.0.1:4318' } } },
        },
        processors: {
          resourcedetection: { detectors: ['env', 'ecs'] },
          batch: { timeout: '1s', send_batch_size: 50 },
        },
        exporters: { awsxray: { region: 'ap-northeast-2' } },
        service: {
          extensions: ['awsproxy'],
          pipelines: {
            traces: {
              receivers: ['otlp'],
              processors: ['resourcedetection', 'batch'],
              exporters: ['awsxray'],
            },
          },
        },
      });
    });

    it('starts the API once the collector has started, without waiting for it to be healthy', () => {
      expect(api.essential).toBe(true);
      expect(api.dependsOn).toEqual([{ containerName: 'otel-collector', condition: 'START' }]);
    });

    it('gives the API the OpenTelemetry environment', () => {
      const otel = Object.fromEntries(Object.entries(envOf(api)).filter(([k]) => k.startsWith('OTEL_')));
      expect(otel).toEqual({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
        OTEL_RESOURCE_ATTRIBUTES: `deployment.environment=${stack}`,
        OTEL_SERVICE_NAME: `${prefix}-api`,
        OTEL_TRACES_SAMPLER: 'xray',
        OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://127.0.0.1:2000',
      });
    });

    it('lets the task role send traces (AWSXrayWriteOnlyAccess actions, "*" as X-Ray requires)', () => {
      expect(rolePolicy(json, 'api_task-policy').Statement).toContainEqual(XRAY_WRITE);
    });
  });

  describe.each(['model-server', 'render-worker'])('the %s hosts', (fleet) => {
    const [template] = Object.entries(resourcesOf(json, 'aws_launch_template'))
      .filter(([k]) => k.startsWith(`${fleet}_`))
      .map(([, t]) => t);
    const script = userDataText(template.user_data as string);

    it('give the container the OpenTelemetry environment, pointing at the host agent', () => {
      for (const line of [
        'OTEL_EXPORTER_OTLP_ENDPOINT=http://host.docker.internal:4318',
        'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        `OTEL_SERVICE_NAME=${prefix}-${fleet}`,
        `OTEL_RESOURCE_ATTRIBUTES=deployment.environment=${stack}`,
        'OTEL_PROPAGATORS=xray,tracecontext,baggage',
        'OTEL_TRACES_SAMPLER=xray',
        'OTEL_TRACES_SAMPLER_ARG=endpoint=http://host.docker.internal:2000',
      ])
        expect(script).toContain(`\n${line}\n`);
      expect(script).toMatch(/docker run [^\n]* --add-host host\.docker\.internal:host-gateway /);
    });

    it('have the CloudWatch agent receive OTLP and serve X-Ray sampling for the containers', () => {
      const start = script.indexOf("<<'EOF'\n{");
      const config = JSON.parse(script.slice(start + 8, script.indexOf('\nEOF\n', start))) as Json;
      expect(config.traces).toEqual({
        traces_collected: {
          otlp: { grpc_endpoint: '0.0.0.0:4317', http_endpoint: '0.0.0.0:4318' },
          xray: { bind_address: '127.0.0.1:2000', tcp_proxy: { bind_address: '0.0.0.0:2000' } },
        },
      });
    });

    it('admit nothing on the agent ports from outside the host (security group)', () => {
      const group = Object.keys(resourcesOf(json, 'aws_security_group')).find((k) =>
        k.startsWith(`${fleet}_security-group_`),
      );
      const rules = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter(
        (r) => r.security_group_id === `\${aws_security_group.${group}.id}`,
      );
      expect(rules.length).toBeGreaterThan(0);
      for (const port of [2000, 4317, 4318])
        expect(rules.filter((r) => r.from_port <= port && port <= r.to_port)).toEqual([]);
    });

    it('let the instance role send traces', () => {
      expect(rolePolicy(json, `${fleet}_access`).Statement).toContainEqual(XRAY_WRITE);
    });
  });

  describe('the queue-depth function', () => {
    it('is traced actively, and its role may put segments and telemetry only', () => {
      const [fn] = Object.values(resourcesOf(json, 'aws_lambda_function'));
      expect(fn.tracing_config).toEqual({ mode: 'Active' });
      expect(rolePolicy(json, 'queue-depth-publisher_access').Statement).toContainEqual({
        Sid: 'XRayWrite',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: '*',
      });
    });
  });

  describe('the sampling rules', () => {
    const rules = Object.values(resourcesOf(json, 'aws_xray_sampling_rule'));
    const expected: Record<Stack, Json[]> = {
      staging: [
        {
          rule_name: 'ecg-video-pi-staging-5a75-health',
          priority: 100,
          fixed_rate: 0,
          reservoir_size: 0,
          url_path: '/health',
        },
        {
          rule_name: 'ecg-video-staging-a9c2-services',
          priority: 1000,
          fixed_rate: 0.2,
          reservoir_size: 1,
          url_path: '*',
        },
      ],
      production: [
        {
          rule_name: 'ecg-video-production-dcc2-health',
          priority: 100,
          fixed_rate: 0,
          reservoir_size: 0,
          url_path: '/health',
        },
        {
          rule_name: 'ecg-vid-production-e437-services',
          priority: 1000,
          fixed_rate: 0.05,
          reservoir_size: 1,
          url_path: '*',
        },
      ],
    };

    it('never record health checks, then sample the environment at its own rate', () => {
      expect(
        rules.map((r) => ({
          rule_name: r.rule_name,
          priority: r.priority,
          fixed_rate: r.fixed_rate,
          reservoir_size: r.reservoir_size,
          url_path: r.url_path,
        })),
      ).toEqual(expected[stack]);
      for (const r of rules)
        expect(r).toMatchObject({
          service_name: `${prefix}-*`,
          service_type: '*',
          host: '*',
          http_method: '*',
          resource_arn: '*',
          version: 1,
        });
    });

    it('fit X-Ray: names of at most 32 characters, distinct priorities from 1 to 9999', () => {
      for (const r of rules) expect((r.rule_name as string).length).toBeLessThanOrEqual(32);
      const priorities = rules.map((r) => r.priority as number);
      expect(new Set(priorities).size).toBe(priorities.length);
      for (const p of priorities) expect(p >= 1 && p <= 9999).toBe(true);
    });
  });
});

describe('the sampling rules across environments', () => {
  it('have names no other environment uses', () => {
    const names = STACKS.flatMap((s) =>
      Object.values(resourcesOf(synthStack(s), 'aws_xray_sampling_rule')).map((r) => r.rule_name),
    );
    expect(new Set(names).size).toBe(4);
  });
});

describe('xrayRuleName', () => {
  it('keeps a name that fits and shortens the project part of one that does not', () => {
    expect(xrayRuleName('ecg-dev', 'health')).toBe('ecg-dev-health');
    expect(xrayRuleName('a-very-long-project-name-staging', 'services')).toMatch(
      /^a-very-lon-staging-[0-9a-f]{4}-services$/,
    );
    expect(xrayRuleName('a-very-long-project-name-staging', 'services')).toHaveLength(32);
  });
});

describe('xrayRuleName at the 32-character limit', () => {
  /** [namePrefix, thing, rule name]: the names written out, hashes included. */
  const cases: [string, string, string][] = [
    // 32 characters: kept whole; 33: shortened.
    ['ecg-video-pipeline-prod', 'services', 'ecg-video-pipeline-prod-services'],
    ['ecg-video-pipeline-stage', 'services', 'ecg-video-pi-stage-eb11-services'],
    // No hyphen: no environment part; the prefix is cut to the room before the hash.
    ['ecgvideopipelinestaging', 'services', 'ecgvideopipelinestaging-services'],
    ['ecgvideopipelineproduction', 'services', 'ecgvideopipelinepr-f5e2-services'],
    // A leading hyphen does not start an environment part either.
    ['-ecgvideopipelinestaging', 'services', '-ecgvideopipelines-92b5-services'],
    ['-ecgvideopipelineproduction', 'services', '-ecgvideopipelinep-e1c5-services'],
    // The cut lands after '--': every trailing hyphen of the kept head goes.
    ['abcdefgh--ijklmn-staging', 'services', 'abcdefgh-staging-170e-services'],
    ['abcdefgh--ijklmn-production', 'services', 'abcdefg-production-0af7-services'],
    // A thing too long for the room: one character of the prefix, the whole cut at 32.
    ['ecg-staging', 'a-very-long-rule-thing-past-the-limit', 'e-staging-8b7d-a-very-long-rule-'],
    ['ecg-production', 'a-very-long-rule-thing-past-the-limit', 'e-production-8caf-a-very-long-ru'],
  ];

  it.each(cases)('%s + %s -> %s', (namePrefix, thing, name) => {
    expect(xrayRuleName(namePrefix, thing)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(32);
  });

  it('keeps a 32-character name whole and shortens a 33-character one to 32', () => {
    expect(xrayRuleName('ecg-video-pipeline-prod', 'services')).toHaveLength(32);
    expect(xrayRuleName('ecg-video-pipeline-stage', 'services')).toHaveLength(32);
  });

  it('gives each environment its own names', () => {
    const names = cases.map(([namePrefix, thing]) => xrayRuleName(namePrefix, thing));
    expect(new Set(names).size).toBe(10);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(32);
  });
});

describe('XraySampling props', () => {
  const base = {
    namePrefix: 'ecg-staging',
    reservoirPerSecond: 1,
    fixedRate: 0.2,
    healthCheckPath: '/health',
  };
  const rulesOf = (props: Partial<typeof base>) =>
    Object.values(
      resourcesOf(
        synthScope((scope) => void new XraySampling(scope, 'xray-sampling', { ...base, ...props })),
        'aws_xray_sampling_rule',
      ),
    ).map((r) => ({ rule_name: r.rule_name, fixed_rate: r.fixed_rate, url_path: r.url_path }));

  it('accepts a fixedRate of 0 and of 1 (the ends of the share)', () => {
    expect(rulesOf({ fixedRate: 0 })).toEqual([
      { rule_name: 'ecg-staging-health', fixed_rate: 0, url_path: '/health' },
      { rule_name: 'ecg-staging-services', fixed_rate: 0, url_path: '*' },
    ]);
    expect(rulesOf({ fixedRate: 1 })).toEqual([
      { rule_name: 'ecg-staging-health', fixed_rate: 0, url_path: '/health' },
      { rule_name: 'ecg-staging-services', fixed_rate: 1, url_path: '*' },
    ]);
  });

  it('accepts a health check path of exactly 128 characters', () => {
    const path128 = `/${'h'.repeat(127)}`;
    expect(path128).toHaveLength(128);
    expect(rulesOf({ healthCheckPath: path128 })[0]).toEqual({
      rule_name: 'ecg-staging-health',
      fixed_rate: 0,
      url_path: path128,
    });
  });

  const errorFor = (props: Partial<typeof base>) =>
    errorOf(() =>
      synthScope((scope) => void new XraySampling(scope, 'xray-sampling', { ...base, ...props })),
    );
  const HEALTH_RULE = 'must be a path starting with / of at most 128 characters (X-Ray SamplingRule URLPath)';

  it('fails when the name prefix is bad', () => {
    expect(errorFor({ namePrefix: 'Ecg--staging-' })).toBe(
      [
        'Invalid configuration (1 problem):',
        '  - stack/xray-sampling.namePrefix Ecg--staging- must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
      ].join('\n'),
    );
  });

  it.each([
    [
      -0.01,
      '  - stack/xray-sampling.fixedRate -0.01 must be a share from 0 to 1 (X-Ray SamplingRule FixedRate)',
    ],
    [
      1.01,
      '  - stack/xray-sampling.fixedRate 1.01 must be a share from 0 to 1 (X-Ray SamplingRule FixedRate)',
    ],
  ])('fails when the fixedRate is %s, outside 0 to 1', (fixedRate, line) => {
    expect(errorFor({ fixedRate })).toBe(['Invalid configuration (1 problem):', line].join('\n'));
  });

  it.each([
    ['x/health', `  - stack/xray-sampling.healthCheckPath x/health ${HEALTH_RULE}`],
    ['health/x', `  - stack/xray-sampling.healthCheckPath health/x ${HEALTH_RULE}`],
  ])('fails when the health check path %s does not start with /', (healthCheckPath, line) => {
    expect(errorFor({ healthCheckPath })).toBe(['Invalid configuration (1 problem):', line].join('\n'));
  });

  it('fails when the health check path ends with a space', () => {
    expect(errorFor({ healthCheckPath: '/health ' })).toBe(
      [
        'Invalid configuration (1 problem):',
        `  - stack/xray-sampling.healthCheckPath "/health " ${HEALTH_RULE} (the value ends with a space)`,
      ].join('\n'),
    );
  });

  it('fails when the health check path is 129 characters', () => {
    const path129 = `/${'h'.repeat(128)}`;
    expect(path129).toHaveLength(129);
    expect(errorFor({ healthCheckPath: path129 })).toBe(
      [
        'Invalid configuration (1 problem):',
        `  - stack/xray-sampling.healthCheckPath ${path129} ${HEALTH_RULE}`,
      ].join('\n'),
    );
  });
});

describe('XraySampling fails when', () => {
  it('the rate, the reservoir and the health path break X-Ray SamplingRule, all reported at once', () => {
    expect(() =>
      synthScope(
        (scope) =>
          new XraySampling(scope, 'xray-sampling', {
            namePrefix: 'ecg-staging',
            reservoirPerSecond: -1,
            fixedRate: 1.5,
            healthCheckPath: 'health',
          }),
      ),
    ).toThrow(
      [
        'Invalid configuration (3 problems):',
        '  - stack/xray-sampling.reservoirPerSecond -1 must be an integer from 0 to 1000',
        '  - stack/xray-sampling.fixedRate 1.5 must be a share from 0 to 1 (X-Ray SamplingRule FixedRate)',
        '  - stack/xray-sampling.healthCheckPath health must be a path starting with / of at most 128 characters (X-Ray SamplingRule URLPath)',
      ].join('\n'),
    );
  });
});

describe('the architecture diagram', () => {
  it.each(STACKS)('%s: shows where traces go and the sampling', (stack) => {
    const model = architectureModel(synthStack(stack));
    expect(model.nodes.find((n) => n.id === 'xray')?.label).toEqual([
      'AWS X-Ray',
      stack === 'production' ? 'sampling 1/s + 5 %' : 'sampling 1/s + 20 %',
    ]);
    expect(model.edges.filter((e) => e.to === 'xray').map((e) => [e.from, e.label])).toEqual([
      ['api_service', 'traces (OTLP collector sidecar)'],
      ['model_server_asg', 'traces (CloudWatch agent)'],
      ['render_worker_asg', 'traces (CloudWatch agent)'],
    ]);
  });
});
