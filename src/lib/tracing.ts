/**
 * The OpenTelemetry settings every container of the app runs with, and the ports of the local
 * collector that receives them (the ADOT collector beside the API, the CloudWatch agent on a GPU
 * host). One place, so the API and the GPU hosts cannot drift apart.
 */

/** OTLP over gRPC (OpenTelemetry specification, OTLP default ports). */
export const OTLP_GRPC_PORT = 4317;
/** OTLP over HTTP/protobuf: what OTEL_EXPORTER_OTLP_ENDPOINT points at. */
export const OTLP_HTTP_PORT = 4318;
/**
 * The X-Ray sampling proxy (GetSamplingRules/GetSamplingTargets): the ADOT collector's `awsproxy`
 * extension and the CloudWatch agent's `traces.traces_collected.xray.tcp_proxy` both serve it.
 */
export const XRAY_PROXY_PORT = 2000;

/** What one service's OpenTelemetry environment depends on. */
export interface OtelSettings {
  /** `service.name`: the X-Ray service (node) name; sampling rules match it. */
  readonly serviceName: string;
  /** `deployment.environment` (staging, production). */
  readonly deploymentEnvironment: string;
  /** Host of the collector as the container sees it (`localhost` in the API task). */
  readonly collectorHost: string;
}

/**
 * The OpenTelemetry SDK environment (OpenTelemetry "Environment Variable Specification"):
 * OTLP/HTTP to the local collector, the X-Ray and W3C propagators, and X-Ray remote sampling
 * through the collector's sampling proxy (`xray` is the ADOT SDK's sampler; see the README for
 * the plain SDK's fallback).
 */
export function otelEnvironment(s: OtelSettings): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${s.collectorHost}:${OTLP_HTTP_PORT}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_SERVICE_NAME: s.serviceName,
    OTEL_RESOURCE_ATTRIBUTES: `deployment.environment=${s.deploymentEnvironment}`,
    OTEL_PROPAGATORS: 'xray,tracecontext,baggage',
    OTEL_TRACES_SAMPLER: 'xray',
    OTEL_TRACES_SAMPLER_ARG: `endpoint=http://${s.collectorHost}:${XRAY_PROXY_PORT}`,
  };
}
