import { UNREADABLE_DEFINITIONS, containerFindings } from '../ecs';
import type { Rule } from '../types';
import { isTrue } from '../values';

export const ecsReadOnlyRoot: Rule = {
  id: 'ECG-ECS-04',
  anchor: 30,
  scannerIds: ['CKV_AWS_336'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecs_task_definition'],
  description: 'Every container has a read-only root filesystem (writable paths come from volumes).',
  checks: {
    'writable-root': 'a container does not set readonlyRootFilesystem: true',
    ...UNREADABLE_DEFINITIONS,
  },
  check(ctx) {
    return ctx
      .resources('aws_ecs_task_definition')
      .flatMap((td) =>
        containerFindings(ctx, td, (c, label) =>
          isTrue(c.readonlyRootFilesystem)
            ? []
            : [ctx.finding(td, 'writable-root', `${label} does not set readonlyRootFilesystem: true`)],
        ),
      );
  },
};
