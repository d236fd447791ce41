/** Service limits and allowed values that AWS enforces and a plan cannot see. */

/** CloudWatch Logs' allowed retention values (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Fargate CPU units and the memory (MiB) each allows (ECS task definition size table). */
const FARGATE_MEMORY: Readonly<Record<number, (m: number) => boolean>> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
  8192: (m) => m >= 16384 && m <= 61440 && m % 4096 === 0,
  16384: (m) => m >= 32768 && m <= 122880 && m % 8192 === 0,
};

/** ECS container definition `name`: up to 255 letters, numbers, hyphens and underscores. */
export const ECS_CONTAINER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * A Fargate task size's problems, by the field they belong to (`cpu` or `memoryMiB`): the CPU
 * must be a Fargate value and the memory one that CPU allows.
 */
export function fargateSizeProblems(cpu: number, memoryMiB: number): { cpu?: string; memoryMiB?: string } {
  const memoryOk = FARGATE_MEMORY[cpu];
  if (!memoryOk) return { cpu: `must be a Fargate CPU value: ${Object.keys(FARGATE_MEMORY).join(', ')}` };
  return memoryOk(memoryMiB) ? {} : { memoryMiB: `is not a Fargate memory size allowed with cpu ${cpu}` };
}

/** A custom CloudWatch namespace: 1-255 of these characters, never the reserved `AWS/` prefix. */
export const CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN = /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/;

/** A CloudWatch metric name: 1-255 characters without white space. */
export const CLOUDWATCH_METRIC_NAME_PATTERN = /^\S{1,255}$/;
