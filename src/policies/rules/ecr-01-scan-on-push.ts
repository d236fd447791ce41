import type { Rule } from '../types';
import { blocks, isTrue } from '../values';

export const ecrScanOnPush: Rule = {
  id: 'ECG-ECR-01',
  anchor: 24,
  scannerIds: ['CKV_AWS_163', 'AVD-AWS-0030'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecr_repository'],
  description: 'Every ECR repository scans images on push.',
  checks: { 'no-scan-on-push': 'image_scanning_configuration.scan_on_push is not true' },
  check(ctx) {
    return ctx
      .resources('aws_ecr_repository')
      .filter((r) => !blocks(r.values.image_scanning_configuration).some((c) => isTrue(c.scan_on_push)))
      .map((r) => ctx.finding(r, 'no-scan-on-push', 'image_scanning_configuration.scan_on_push is not true'));
  },
};
