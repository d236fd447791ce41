import type { Rule } from '../types';
import { show } from '../values';

export const ecrImmutableTags: Rule = {
  id: 'ECG-ECR-02',
  configField: 'ecr.imageTagMutability',
  anchor: 25,
  scannerIds: ['CKV_AWS_51', 'AVD-AWS-0031'],
  environments: ['production'],
  resourceTypes: ['aws_ecr_repository'],
  description: 'Every ECR repository has immutable image tags.',
  checks: { 'mutable-tags': 'image_tag_mutability is not IMMUTABLE' },
  check(ctx) {
    return ctx
      .resources('aws_ecr_repository')
      .filter((r) => r.values.image_tag_mutability !== 'IMMUTABLE')
      .map((r) =>
        ctx.finding(
          r,
          'mutable-tags',
          `image_tag_mutability is ${show(r.values.image_tag_mutability)} (must be "IMMUTABLE" in production)`,
        ),
      );
  },
};
