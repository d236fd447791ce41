import { containerLabel, containers } from '../ecs';
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
    'unreadable-definitions': 'container_definitions cannot be read at synth time',
  },
  check(ctx) {
    return ctx.resources('aws_ecs_task_definition').flatMap((td) => {
      const list = containers(td);
      if (!list)
        return [ctx.finding(td, 'unreadable-definitions', 'has container_definitions that cannot be parsed')];
      return list.flatMap((c, i) =>
        isTrue(c.readonlyRootFilesystem)
          ? []
          : [
              ctx.finding(
                td,
                'writable-root',
                `${containerLabel(c, i)} does not set readonlyRootFilesystem: true`,
              ),
            ],
      );
    });
  },
};
