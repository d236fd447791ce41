import type { Rule } from '../types';
import { blocks, show } from '../values';

export const ecsContainerInsights: Rule = {
  id: 'ECG-ECS-01',
  anchor: 27,
  scannerIds: ['CKV_AWS_65', 'AVD-AWS-0034', 'AwsSolutions-ECS4'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecs_cluster'],
  description: 'Every ECS cluster has Container Insights enabled (or enhanced).',
  checks: { 'insights-off': 'the containerInsights setting is not enabled' },
  check(ctx) {
    return ctx.resources('aws_ecs_cluster').flatMap((cluster) => {
      const value = blocks(cluster.values.setting).find((s) => s.name === 'containerInsights')?.value;
      return value === 'enabled' || value === 'enhanced'
        ? []
        : [
            ctx.finding(
              cluster,
              'insights-off',
              `setting containerInsights is ${show(value)} (must be "enabled" or "enhanced")`,
            ),
          ];
    });
  },
};
