/** Cost lines, by service. Containers: Fargate services, on-demand and spot. */
import { asArray, construct, plural, type Json, type Pricer } from '../pricing';

/** Fargate vCPU and memory of every ECS service, split into on-demand and spot tasks. */
export function priceContainers(p: Pricer): void {
  const { a, H, of, add, num, resolve, notes } = p;
  for (const [name, svc] of of('aws_ecs_service')) {
    const where = `aws_ecs_service.${name}`;
    const td = resolve('aws_ecs_task_definition', svc.task_definition, `${where}.task_definition`);
    const strategy = asArray(svc.capacity_provider_strategy);
    const fargate =
      svc.launch_type === 'FARGATE' ||
      strategy.some((s) => String(s.capacity_provider).startsWith('FARGATE')) ||
      asArray(td.requires_compatibilities).some((c) => String(c) === 'FARGATE');
    if (!fargate) {
      notes.push(`${where} runs on EC2 capacity, which is not priced here`);
      continue;
    }
    const tasks = num(svc.desired_count ?? 1, `${where}.desired_count`);
    const vcpu = num(td.cpu, `task definition of ${where}: cpu`) / 1024;
    const gb = num(td.memory, `task definition of ${where}: memory`) / 1024;
    const arch = td.runtime_platform?.cpu_architecture === 'ARM64' ? 'arm' : 'x86';
    const { onDemand, spot } = fargateSplit(tasks, strategy, (w) =>
      num(w, `${where}.capacity_provider_strategy`),
    );
    const id = construct(name);
    for (const [purchase, count, factor] of [
      ['on-demand', onDemand, 1],
      ['spot', spot, 1 - a.fargateSpotDiscount],
    ] as const) {
      if (count === 0 && (purchase === 'spot' || spot > 0)) continue;
      const suffix = purchase === 'spot' ? `, Fargate Spot at ${a.fargateSpotDiscount * 100} % off` : '';
      add({
        key: `fargate-vcpu:${purchase}:${id}`,
        category: 'Containers',
        item: `Fargate vCPU (${id}${purchase === 'spot' ? ', spot' : ''})`,
        basis: `${plural(count, 'task')} x ${vcpu} vCPU x ${H} h${suffix}`,
        quantity: count * vcpu * H,
        unit: 'vCPU-h',
        priceKey: `fargate.${arch}.vcpuHour`,
        factor,
      });
      add({
        key: `fargate-memory:${purchase}:${id}`,
        category: 'Containers',
        item: `Fargate memory (${id}${purchase === 'spot' ? ', spot' : ''})`,
        basis: `${plural(count, 'task')} x ${gb} GB x ${H} h${suffix}`,
        quantity: count * gb * H,
        unit: 'GB-h',
        priceKey: `fargate.${arch}.gbHour`,
        factor,
      });
    }
  }
}

/**
 * Tasks per purchase option under a capacity provider strategy: each provider's base first, in
 * order, then the rest by weight (spot share rounded down, as ECS favours the base provider).
 */
function fargateSplit(
  tasks: number,
  strategy: readonly Json[],
  n: (value: unknown) => number,
): { onDemand: number; spot: number } {
  if (strategy.length === 0) return { onDemand: tasks, spot: 0 };
  let remaining = tasks;
  let spot = 0;
  for (const s of strategy) {
    const take = Math.min(remaining, n(s.base ?? 0));
    if (s.capacity_provider === 'FARGATE_SPOT') spot += take;
    remaining -= take;
  }
  const weights = strategy.map((s) => n(s.weight ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const spotWeight = strategy.reduce(
    (sum, s, i) => sum + (s.capacity_provider === 'FARGATE_SPOT' ? weights[i] : 0),
    0,
  );
  if (total > 0) spot += Math.floor((remaining * spotWeight) / total);
  return { onDemand: tasks - spot, spot };
}
