import { OTLP_GRPC_PORT, OTLP_HTTP_PORT, XRAY_PROXY_PORT, otelEnvironment } from '../lib/tracing';

/**
 * The OpenTelemetry collector beside the API (split from ecs-container.ts): the AWS Distro for
 * OpenTelemetry (ADOT) collector as a sidecar of the API task, receiving OTLP on the task's
 * loopback and sending traces to X-Ray. Not the X-Ray daemon: AWS put the X-Ray SDKs and daemon in
 * maintenance mode on 2026-02-25 and ends their support on 2027-02-25, recommending OpenTelemetry
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html).
 */

/**
 * The ADOT collector image, pinned (ADOT collector release v0.50.0). Pulled from ECR Public, which
 * the private subnets reach through their NAT gateways, like every image that is not in the
 * account's own ECR.
 */
export const ADOT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0';

/** Name of the collector container in the API task. */
export const COLLECTOR_CONTAINER_NAME = 'otel-collector';

/** The API's tracing: its OpenTelemetry identity; the collector is added when this is set. */
export interface ApiTracing {
  /** `service.name` of the API, the X-Ray node name that sampling rules match. */
  readonly serviceName: string;
  /** `deployment.environment` of its traces. */
  readonly deploymentEnvironment: string;
  /** @default ADOT_COLLECTOR_IMAGE */
  readonly collectorImage?: string;
}

/**
 * The collector's configuration (JSON is YAML, which the collector reads): OTLP gRPC and HTTP on
 * 127.0.0.1 only (the task's containers share its loopback in awsvpc mode; nothing outside the task
 * can send), the X-Ray sampling proxy for the SDK's remote sampler, ECS resource attributes, a
 * batch, and the awsxray exporter. Metrics and logs are not collected here.
 */
export function collectorConfig(region: string): Record<string, unknown> {
  const local = (port: number) => `127.0.0.1:${port}`;
  return {
    extensions: { awsproxy: { endpoint: local(XRAY_PROXY_PORT), region } },
    receivers: {
      otlp: {
        protocols: { grpc: { endpoint: local(OTLP_GRPC_PORT) }, http: { endpoint: local(OTLP_HTTP_PORT) } },
      },
    },
    processors: {
      resourcedetection: { detectors: ['env', 'ecs'] },
      batch: { timeout: '1s', send_batch_size: 50 },
    },
    exporters: { awsxray: { region } },
    service: {
      extensions: ['awsproxy'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['resourcedetection', 'batch'], exporters: ['awsxray'] },
      },
    },
  };
}

/** What the collector container needs of the task. */
export interface CollectorSpec {
  readonly image: string;
  readonly region: string;
  /** The API's log group: the collector's own logs go there under its own stream prefix. */
  readonly logGroupName: string;
}

/**
 * The collector's container definition. Not essential: if it exits, the task (and the API) keeps
 * running and the SDK drops spans it cannot export, so tracing never takes the API down. Read-only
 * root: the collector keeps its batch in memory. No port mappings: its receivers are loopback-only.
 */
export function collectorContainerDefinition(spec: CollectorSpec): Record<string, unknown> {
  return {
    name: COLLECTOR_CONTAINER_NAME,
    image: spec.image,
    essential: false,
    privileged: false,
    readonlyRootFilesystem: true,
    // The collector reads its configuration from this variable (confmap env provider).
    command: ['--config=env:AOT_CONFIG_CONTENT'],
    environment: [{ name: 'AOT_CONFIG_CONTENT', value: JSON.stringify(collectorConfig(spec.region)) }],
    secrets: [],
    portMappings: [],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': spec.logGroupName,
        'awslogs-region': spec.region,
        'awslogs-stream-prefix': COLLECTOR_CONTAINER_NAME,
      },
    },
    mountPoints: [],
    volumesFrom: [],
  };
}

/**
 * What tracing adds to the API container: the OpenTelemetry environment pointing at the
 * collector on the task's loopback (127.0.0.1: `localhost` may resolve to ::1 first, where the
 * collector does not listen), and a START dependency on the collector: ECS starts the collector
 * first, but the API does not wait for it to be healthy, so a collector that fails to come up
 * delays nothing (ECS task definition parameters, "Container dependency").
 */
export function apiTracingSettings(tracing: ApiTracing): {
  readonly environment: Record<string, string>;
  readonly dependsOn: readonly { containerName: string; condition: 'START' }[];
} {
  return {
    environment: otelEnvironment({
      serviceName: tracing.serviceName,
      deploymentEnvironment: tracing.deploymentEnvironment,
      collectorHost: '127.0.0.1',
    }),
    dependsOn: [{ containerName: COLLECTOR_CONTAINER_NAME, condition: 'START' }],
  };
}
