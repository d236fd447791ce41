import { IssueCollector, formatIssue } from '../src/lib/validation';
import {
  apiTracingSettings,
  collectorConfig,
  collectorContainerDefinition,
} from '../src/modules/ecs-collector';
import {
  apiContainerDefinition,
  checkContainerEnvironment,
  checkContainerHealthCheck,
  type ContainerSpec,
} from '../src/modules/ecs-container';

/**
 * The API container and its collector as plain functions (src/modules/ecs-container.ts,
 * ecs-collector.ts): other regions, images and ports than staging's, sorting, the jsonKey and
 * exec branches, the environment winning over OTEL_*, and each container check at its edges.
 */

const HEALTH = {
  command: ['CMD', '/bin/check'],
  intervalSeconds: 10,
  timeoutSeconds: 4,
  retries: 2,
  startPeriodSeconds: 0,
};
const SPEC: ContainerSpec = {
  name: 'web',
  image: 'repo/web:2',
  port: 9000,
  healthCheck: HEALTH,
  environment: {},
  secrets: [],
  logGroupName: '/ecs/web',
  region: 'eu-west-1',
  exec: false,
};

const COLLECTOR_CONFIG_EU = {
  extensions: { awsproxy: { endpoint: '127.0.0.1:2000', region: 'eu-west-1' } },
  receivers: {
    otlp: { protocols: { grpc: { endpoint: '127.0.0.1:4317' }, http: { endpoint: '127.0.0.1:4318' } } },
  },
  processors: {
    resourcedetection: { detectors: ['env', 'ecs'] },
    batch: { timeout: '1s', send_batch_size: 50 },
  },
  exporters: { awsxray: { region: 'eu-west-1' } },
  service: {
    extensions: ['awsproxy'],
    pipelines: {
      traces: { receivers: ['otlp'], processors: ['resourcedetection', 'batch'], exporters: ['awsxray'] },
    },
  },
};

describe('the collector (ecs-collector.ts)', () => {
  it('configures OTLP on the loopback and X-Ray in the given region', () => {
    expect(collectorConfig('eu-west-1')).toEqual(COLLECTOR_CONFIG_EU);
  });

  it('defines a non-essential, read-only collector container that logs to the API group under its own prefix', () => {
    const definition = collectorContainerDefinition({
      image: 'example.com/otel:1',
      region: 'eu-west-1',
      logGroupName: '/ecs/web',
    });
    const { environment, ...rest } = definition as { environment: { name: string; value: string }[] };
    expect(rest).toEqual({
      name: 'otel-collector',
      image: 'example.com/otel:1',
      essential: false,
      privileged: false,
      readonlyRootFilesystem: true,
      command: ['--config=env:AOT_CONFIG_CONTENT'],
      secrets: [],
      portMappings: [],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': 'otel-collector',
        },
      },
      mountPoints: [],
      volumesFrom: [],
    });
    expect(environment.map((e) => e.name)).toEqual(['AOT_CONFIG_CONTENT']);
    expect(JSON.parse(environment[0].value)).toEqual(COLLECTOR_CONFIG_EU);
  });

  it('points the API at the collector on 127.0.0.1 and starts it first, without waiting for health', () => {
    expect(apiTracingSettings({ serviceName: 'svc', deploymentEnvironment: 'qa' })).toEqual({
      environment: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=qa',
        OTEL_SERVICE_NAME: 'svc',
        OTEL_TRACES_SAMPLER: 'xray',
        OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://127.0.0.1:2000',
      },
      dependsOn: [{ containerName: 'otel-collector', condition: 'START' }],
    });
  });
});

describe('apiContainerDefinition', () => {
  it('without exec or tracing: only /tmp is writable, no sidecar, no dependsOn', () => {
    expect(apiContainerDefinition(SPEC)).toEqual({
      definition: {
        name: 'web',
        image: 'repo/web:2',
        essential: true,
        privileged: false,
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: 9000, hostPort: 9000, protocol: 'tcp' }],
        environment: [],
        secrets: [],
        healthCheck: { command: ['CMD', '/bin/check'], interval: 10, timeout: 4, retries: 2, startPeriod: 0 },
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/web',
            'awslogs-region': 'eu-west-1',
            'awslogs-stream-prefix': 'web',
          },
        },
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
        volumesFrom: [],
        linuxParameters: { initProcessEnabled: true },
      },
      volumes: ['tmp'],
      sidecars: [],
    });
  });

  // ECS Exec writes under /managed-agents and /var/{lib,log}/amazon/ssm (read-only root workaround).
  it('with exec: adds the agent volumes after /tmp', () => {
    const { definition, volumes } = apiContainerDefinition({ ...SPEC, exec: true });
    expect(volumes).toEqual(['tmp', 'exec-agents', 'ssm-lib', 'ssm-log']);
    expect(definition.mountPoints).toEqual([
      { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
      { sourceVolume: 'exec-agents', containerPath: '/managed-agents', readOnly: false },
      { sourceVolume: 'ssm-lib', containerPath: '/var/lib/amazon/ssm', readOnly: false },
      { sourceVolume: 'ssm-log', containerPath: '/var/log/amazon/ssm', readOnly: false },
    ]);
  });

  it('sorts environment and secrets by name and reads a JSON key as <arn>:<key>::', () => {
    const { definition } = apiContainerDefinition({
      ...SPEC,
      environment: { ZED: 'z', ALPHA: 'a', MID: 'm' },
      secrets: [
        { name: 'Z_URL', secretArn: 'arn:z' },
        { name: 'A_PASS', secretArn: 'arn:a', jsonKey: 'password' },
        { name: 'M_KEY', secretArn: 'arn:m', jsonKey: '' },
      ],
    });
    expect(definition.environment).toEqual([
      { name: 'ALPHA', value: 'a' },
      { name: 'MID', value: 'm' },
      { name: 'ZED', value: 'z' },
    ]);
    // An empty JSON key reads the whole value.
    expect(definition.secrets).toEqual([
      { name: 'A_PASS', valueFrom: 'arn:a:password::' },
      { name: 'M_KEY', valueFrom: 'arn:m' },
      { name: 'Z_URL', valueFrom: 'arn:z' },
    ]);
  });

  it('with tracing: the OTEL_* environment (the API environment wins), the START dependency and the collector with the default image', () => {
    const { definition, sidecars } = apiContainerDefinition({
      ...SPEC,
      environment: { OTEL_SERVICE_NAME: 'mine', APP: '1' },
      tracing: { serviceName: 'svc', deploymentEnvironment: 'qa' },
    });
    expect(definition.environment).toEqual([
      { name: 'APP', value: '1' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://127.0.0.1:4318' },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
      { name: 'OTEL_PROPAGATORS', value: 'xray,tracecontext,baggage' },
      { name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'deployment.environment=qa' },
      { name: 'OTEL_SERVICE_NAME', value: 'mine' },
      { name: 'OTEL_TRACES_SAMPLER', value: 'xray' },
      { name: 'OTEL_TRACES_SAMPLER_ARG', value: 'endpoint=http://127.0.0.1:2000' },
    ]);
    expect(definition.dependsOn).toEqual([{ containerName: 'otel-collector', condition: 'START' }]);
    expect(sidecars).toHaveLength(1);
    expect(sidecars[0]).toMatchObject({
      name: 'otel-collector',
      image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0',
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': 'otel-collector',
        },
      },
    });
  });

  it('with tracing and a collector image: runs that image', () => {
    const { sidecars } = apiContainerDefinition({
      ...SPEC,
      tracing: { serviceName: 'svc', deploymentEnvironment: 'qa', collectorImage: 'example.com/otel:2' },
    });
    expect(sidecars.map((s) => s.image)).toEqual(['example.com/otel:2']);
  });
});

describe('checkContainerHealthCheck', () => {
  const issues = (change: Partial<typeof HEALTH>) => {
    const v = new IssueCollector('hc');
    checkContainerHealthCheck(v, { ...HEALTH, ...change });
    return v.issues.map(formatIssue);
  };

  // ECS HealthCheck: interval 5-300, timeout 2-60, retries 1-10, startPeriod 0-300.
  it.each([
    [{ command: ['CMD-SHELL', 'true'] }],
    [{ command: ['CMD', 'a', 'b'] }],
    [{ intervalSeconds: 5, timeoutSeconds: 2, retries: 1, startPeriodSeconds: 0 }],
    [{ intervalSeconds: 300, timeoutSeconds: 60, retries: 10, startPeriodSeconds: 300 }],
  ])('passes %j', (change) => {
    expect(issues(change)).toEqual([]);
  });

  it.each([
    [
      { command: ['CMD-SHELL'] },
      'hc.command ["CMD-SHELL"] must start with CMD or CMD-SHELL followed by the command',
    ],
    [
      { command: ['cmd', 'x'] },
      'hc.command ["cmd","x"] must start with CMD or CMD-SHELL followed by the command',
    ],
    [{ command: [] }, 'hc.command [] must start with CMD or CMD-SHELL followed by the command'],
    [{ intervalSeconds: 4.5 }, 'hc.intervalSeconds 4.5 must be an integer from 5 to 300'],
    [{ timeoutSeconds: 1 }, 'hc.timeoutSeconds 1 must be an integer from 2 to 60'],
    [{ retries: 10.5 }, 'hc.retries 10.5 must be an integer from 1 to 10'],
    [{ startPeriodSeconds: 301 }, 'hc.startPeriodSeconds 301 must be an integer from 0 to 300'],
  ] as const)('fails when %j', (change, line) => {
    expect(issues(change as Partial<typeof HEALTH>)).toEqual([line]);
  });
});

describe('checkContainerEnvironment', () => {
  const SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:db-AbCdEf';
  const issues = (
    environment: Record<string, string>,
    secrets: Parameters<typeof checkContainerEnvironment>[2] = [],
  ) => {
    const v = new IssueCollector('c');
    checkContainerEnvironment(v, environment, secrets);
    return v.issues.map(formatIssue);
  };

  it('passes plain names and distinct secrets', () => {
    expect(
      issues({ A: '1', _b9: '2' }, [
        { name: 'DB', secretArn: SECRET, jsonKey: 'pass-word.1' },
        { name: 'DB2', secretArn: SECRET },
      ]),
    ).toEqual([]);
  });

  it.each([
    'PASSWORD',
    'passwd',
    'Secret',
    'API_TOKEN',
    'PRIVATE_KEY',
    'my_api_key',
    'ACCESS_KEY',
    'CREDENTIALS',
  ])('fails when the plain variable %s looks like a secret, without echoing its value', (name) => {
    expect(issues({ [name]: 'hunter2' })).toEqual([
      `c.environment.${name} (value hidden) looks like a secret: pass it through secrets (Secrets Manager), never as plain environment`,
    ]);
  });

  it('fails when a secret name is invalid, reserved, repeated or also plain', () => {
    expect(
      issues({ PLAIN: 'x' }, [
        { name: '9X', secretArn: SECRET },
        { name: 'SECRET_KEY', secretArn: SECRET },
        { name: 'DB', secretArn: SECRET },
        { name: 'DB', secretArn: SECRET },
        { name: 'PLAIN', secretArn: SECRET },
      ]),
    ).toEqual([
      'c.secrets[0].name 9X must be an environment variable name (letters, digits, _)',
      'c.secrets[1].name SECRET_KEY is reserved: this construct generates SECRET_KEY',
      'c.secrets[3].name DB is listed twice',
      'c.secrets[4].name PLAIN is also a plain environment variable',
    ]);
  });

  it('fails when a secret ARN has a :key:: suffix or a JSON key has a colon', () => {
    expect(
      issues({}, [
        { name: 'A', secretArn: `${SECRET}:password::` },
        { name: 'B', secretArn: SECRET, jsonKey: 'a:b' },
      ]),
    ).toEqual([
      `c.secrets[0].secretArn ${SECRET}:password:: must be a Secrets Manager secret ARN without a :key:: suffix`,
      'c.secrets[1].jsonKey a:b must be a JSON key without colons or spaces',
    ]);
  });
});
