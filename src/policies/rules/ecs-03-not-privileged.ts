import { UNREADABLE_DEFINITIONS, containerFindings } from '../ecs';
import type { Rule } from '../types';
import { isTrue } from '../values';

export const ecsNotPrivileged: Rule = {
  id: 'ECG-ECS-03',
  anchor: 29,
  // CKV_AWS_334 reads the wrong key upstream; this rule checks `privileged` itself.
  scannerIds: ['CKV_AWS_334'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecs_task_definition'],
  description: 'No container of a task definition runs privileged.',
  checks: {
    privileged: 'a container sets privileged: true',
    ...UNREADABLE_DEFINITIONS,
  },
  check(ctx) {
    return ctx
      .resources('aws_ecs_task_definition')
      .flatMap((td) =>
        containerFindings(ctx, td, (c, label) =>
          isTrue(c.privileged) ? [ctx.finding(td, 'privileged', `${label} is privileged`)] : [],
        ),
      );
  },
};
