import type { NotApplicableRow } from './types';

/** Scanner-anchor rows deliberately without a rule; the policy report prints them. */
export const NOT_APPLICABLE: readonly NotApplicableRow[] = [
  {
    id: 'ECG-ECR-03',
    anchor: 26,
    scannerIds: ['CKV_AWS_136', 'AVD-AWS-0033'],
    description: 'ECR repositories encrypted with a customer-managed KMS key.',
    reason:
      'Optional (LOW) among the scanner anchors: ECR already encrypts every image at rest with AES-256; a customer-managed key adds cost and key administration without a requirement asking for it.',
  },
];
