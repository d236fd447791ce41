/** How the CloudWatch agent names the metrics it publishes. */

/** The agent's default CloudWatch namespace. */
export const CLOUDWATCH_AGENT_NAMESPACE = 'CWAgent';

/**
 * Measurements of the agent's `nvidia_gpu` section (CloudWatch User Guide, "Collect NVIDIA GPU
 * metrics"). `utilization_memory` is the percent of time device memory was read or written (memory
 * controller busy), not how full it is; `memory_used` and `memory_total` are MB of GPU memory.
 */
export type NvidiaGpuMeasurement =
  | 'utilization_gpu'
  | 'utilization_memory'
  | 'memory_used'
  | 'memory_total'
  | 'memory_free'
  | 'temperature_gpu'
  | 'power_draw';

/** CloudWatch metric name of an `nvidia_gpu` measurement: the agent publishes `m` as `nvidia_smi_m`. */
export function nvidiaGpuMetric(measurement: NvidiaGpuMeasurement): string {
  return `nvidia_smi_${measurement}`;
}
