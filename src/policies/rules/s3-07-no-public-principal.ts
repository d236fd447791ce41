import type { Rule } from '../types';
import { policyStatements } from '../values';

export const s3NoPublicPrincipal: Rule = {
  id: 'ECG-S3-07',
  anchor: 7,
  scannerIds: ['CKV_AWS_70', 'CKV2_AWS_43', 'AwsSolutions-S5'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_s3_bucket_policy', 'aws_s3_bucket'],
  description: 'No bucket policy statement allows Principal "*".',
  checks: {
    'public-principal': 'an Allow statement names Principal "*"',
    'unreadable-policy': 'the policy document cannot be read at synth time',
  },
  check(ctx) {
    const owners = [
      ...ctx.resources('aws_s3_bucket_policy'),
      ...ctx.resources('aws_s3_bucket').filter((b) => b.values.policy !== undefined),
    ];
    return owners.flatMap((owner) => {
      const statements = policyStatements(owner.values.policy);
      if (!statements)
        return [ctx.finding(owner, 'unreadable-policy', 'has a policy document that cannot be parsed')];
      return statements.flatMap((s, i) =>
        s.effect === 'Allow' && s.principals.includes('*')
          ? [ctx.finding(owner, 'public-principal', `statement ${s.sid ?? `#${i + 1}`} allows Principal "*"`)]
          : [],
      );
    });
  },
};
