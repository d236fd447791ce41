import type { Rule } from '../types';
import { show } from '../values';

export const ecsAwsvpc: Rule = {
  id: 'ECG-ECS-06',
  anchor: 32,
  scannerIds: [],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecs_task_definition'],
  description: 'Every task definition uses network_mode awsvpc (a security group per task).',
  checks: { 'not-awsvpc': 'network_mode is not awsvpc' },
  check(ctx) {
    return ctx
      .resources('aws_ecs_task_definition')
      .filter((td) => td.values.network_mode !== 'awsvpc')
      .map((td) =>
        ctx.finding(td, 'not-awsvpc', `network_mode is ${show(td.values.network_mode)} (must be "awsvpc")`),
      );
  },
};
