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

/**
 * CloudWatch unit declared for each `nvidia_gpu` measurement the fleets collect. The agent
 * publishes `nvidia_smi_*` with no unit (None) unless the measurement declares one (CloudWatch
 * User Guide, "Collect NVIDIA GPU metrics"); its `mem` and `disk` percentages default to Percent.
 * `memory_used` and `memory_total` are what nvidia-smi reports in MiB.
 */
export const NVIDIA_GPU_UNITS = {
  utilization_gpu: 'Percent',
  utilization_memory: 'Percent',
  memory_used: 'Megabytes',
  memory_total: 'Megabytes',
} as const satisfies Partial<Record<NvidiaGpuMeasurement, string>>;
