import type { Rule } from '../types';
import { blocks, isTrue } from '../values';

export const ecsNoPublicIp: Rule = {
  id: 'ECG-ECS-02',
  anchor: 28,
  scannerIds: ['CKV_AWS_333'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecs_service'],
  description: 'No ECS service assigns public IPs to its tasks.',
  checks: { 'public-ip': 'network_configuration.assign_public_ip is true' },
  check(ctx) {
    return ctx
      .resources('aws_ecs_service')
      .filter((s) => blocks(s.values.network_configuration).some((n) => isTrue(n.assign_public_ip)))
      .map((s) =>
        ctx.finding(s, 'public-ip', 'network_configuration.assign_public_ip is true (must be false)'),
      );
  },
};
