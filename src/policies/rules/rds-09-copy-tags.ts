import type { Rule } from '../types';
import { isTrue, show } from '../values';

export const rdsCopyTags: Rule = {
  id: 'ECG-RDS-09',
  anchor: 17,
  scannerIds: ['CKV2_AWS_60'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_db_instance'],
  description: 'Every DB instance copies its tags to snapshots.',
  checks: { 'tags-not-copied': 'copy_tags_to_snapshot is not true' },
  check(ctx) {
    return ctx
      .resources('aws_db_instance')
      .filter((db) => !isTrue(db.values.copy_tags_to_snapshot))
      .map((db) =>
        ctx.finding(
          db,
          'tags-not-copied',
          `copy_tags_to_snapshot is ${show(db.values.copy_tags_to_snapshot)} (must be true)`,
        ),
      );
  },
};
