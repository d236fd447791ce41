import { containerLabel, containers } from '../ecs';
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
    'unreadable-definitions': 'container_definitions cannot be read at synth time',
  },
  check(ctx) {
    return ctx.resources('aws_ecs_task_definition').flatMap((td) => {
      const list = containers(td);
      if (!list)
        return [ctx.finding(td, 'unreadable-definitions', 'has container_definitions that cannot be parsed')];
      return list.flatMap((c, i) =>
        isTrue(c.privileged) ? [ctx.finding(td, 'privileged', `${containerLabel(c, i)} is privileged`)] : [],
      );
    });
  },
};
