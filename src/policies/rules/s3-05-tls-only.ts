import { bucketArns, bucketPolicies } from '../s3';
import type { Rule } from '../types';
import type { Statement } from '../values';
import { policyStatements } from '../values';

function deniesInsecureTransport(s: Statement): boolean {
  const secure = (s.condition?.Bool as Record<string, unknown> | undefined)?.['aws:SecureTransport'];
  return (
    s.effect === 'Deny' &&
    s.principals.includes('*') &&
    s.actions.some((a) => a === 's3:*' || a === '*') &&
    (secure === 'false' || secure === false)
  );
}

export const s3TlsOnly: Rule = {
  id: 'ECG-S3-05',
  anchor: 5,
  scannerIds: ['CKV_AWS_379', 'AwsSolutions-S10'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_s3_bucket'],
  description:
    'Every bucket policy denies s3:* on the bucket and its objects when aws:SecureTransport is false.',
  checks: {
    'missing-policy': 'the bucket has no bucket policy',
    'unreadable-policy': 'the policy document cannot be read at synth time',
    'no-tls-deny': 'the policy does not deny non-TLS requests to the bucket and its objects',
  },
  check(ctx) {
    return ctx.resources('aws_s3_bucket').flatMap((bucket) => {
      const policies = bucketPolicies(ctx, bucket);
      if (policies.length === 0) {
        return [ctx.finding(bucket, 'missing-policy', 'has no bucket policy denying requests without TLS')];
      }
      const arns = bucketArns(bucket);
      return policies.flatMap(({ owner, policy }) => {
        const statements = policyStatements(policy);
        if (!statements)
          return [ctx.finding(owner, 'unreadable-policy', 'has a policy document that cannot be parsed')];
        const covered = statements.filter(deniesInsecureTransport).flatMap((s) => s.resources);
        const bucketLevel = covered.some((r) => r === '*' || arns.includes(r));
        const objectLevel = covered.some((r) => r === '*' || arns.some((arn) => r === `${arn}/*`));
        return bucketLevel && objectLevel
          ? []
          : [
              ctx.finding(
                owner,
                'no-tls-deny',
                'policy does not deny s3:* on the bucket and its objects (/*) when aws:SecureTransport is false',
              ),
            ];
      });
    });
  },
};
