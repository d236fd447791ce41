import type { Rule } from '../types';
import { blocks, isSet, isTrue, show } from '../values';

export const ec2MonitoringProfile: Rule = {
  id: 'ECG-EC2-03',
  anchor: 44,
  scannerIds: ['CKV_AWS_126', 'AwsSolutions-EC28', 'CKV_AWS_135', 'CKV2_AWS_41'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_launch_template'],
  description:
    'Every launch template is EBS-optimized and has an instance profile; in production it also enables detailed monitoring.',
  checks: {
    'no-detailed-monitoring': 'monitoring.enabled is not true (production)',
    'not-ebs-optimized': 'ebs_optimized is not true',
    'no-instance-profile': 'iam_instance_profile names no profile',
  },
  check(ctx) {
    return ctx.resources('aws_launch_template').flatMap((lt) => {
      const findings = [];
      if (ctx.isProduction && !blocks(lt.values.monitoring).some((m) => isTrue(m.enabled))) {
        findings.push(
          ctx.finding(
            lt,
            'no-detailed-monitoring',
            'monitoring.enabled is not true (detailed monitoring required in production)',
          ),
        );
      }
      if (!isTrue(lt.values.ebs_optimized)) {
        findings.push(
          ctx.finding(
            lt,
            'not-ebs-optimized',
            `ebs_optimized is ${show(lt.values.ebs_optimized)} (must be "true")`,
          ),
        );
      }
      if (!blocks(lt.values.iam_instance_profile).some((p) => isSet(p.name) || isSet(p.arn))) {
        findings.push(ctx.finding(lt, 'no-instance-profile', 'has no iam_instance_profile'));
      }
      return findings;
    });
  },
};
