import type { Rule } from '../types';
import { blocks, show } from '../values';

export const ec2Imdsv2: Rule = {
  id: 'ECG-EC2-01',
  anchor: 42,
  scannerIds: ['CKV_AWS_79', 'AVD-AWS-0028'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_instance', 'aws_launch_template'],
  description:
    'Every instance and launch template requires IMDSv2 (metadata_options.http_tokens = required).',
  checks: { 'imdsv1-allowed': 'metadata_options.http_tokens is not required' },
  check(ctx) {
    return [...ctx.resources('aws_instance'), ...ctx.resources('aws_launch_template')].flatMap((r) => {
      const tokens = blocks(r.values.metadata_options)[0]?.http_tokens;
      return tokens === 'required'
        ? []
        : [
            ctx.finding(
              r,
              'imdsv1-allowed',
              `metadata_options.http_tokens is ${show(tokens)} (must be "required")`,
            ),
          ];
    });
  },
};
