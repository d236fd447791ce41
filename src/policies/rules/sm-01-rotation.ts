import type { Rule } from '../types';
import { isSet, isTrue, referrers } from '../values';

const GENERATED = /^random_(password|id|string|bytes)\./;

export const secretsRotation: Rule = {
  id: 'ECG-SM-01',
  anchor: 50,
  scannerIds: ['CKV2_AWS_57', 'AwsSolutions-SMG4'],
  environments: ['production'],
  resourceTypes: ['aws_secretsmanager_secret', 'aws_db_instance'],
  description:
    'Database master passwords are RDS-managed secrets on an explicit rotation schedule; every other secret has a rotation schedule or is a documented exception.',
  checks: {
    'unmanaged-master-password':
      'a DB instance takes its master password from the configuration instead of RDS-managed Secrets Manager',
    'managed-no-schedule':
      "an RDS-managed master secret has no aws_secretsmanager_secret_rotation, so it keeps RDS's 7-day default instead of the team's schedule",
    'generated-no-rotation': 'a secret holding a Terraform-generated value has no rotation schedule',
    'no-rotation': 'a secret has no rotation schedule',
  },
  check(ctx) {
    const databases = ctx
      .resources('aws_db_instance')
      .filter((db) => isSet(db.values.password) && !isTrue(db.values.manage_master_user_password))
      .map((db) =>
        ctx.finding(
          db,
          'unmanaged-master-password',
          'sets password instead of manage_master_user_password = true (RDS-managed, rotated secret)',
        ),
      );
    // The managed secret is no aws_secretsmanager_secret: its schedule is a rotation resource whose
    // secret_id is the instance's master_user_secret ARN.
    const unscheduled = ctx
      .resources('aws_db_instance')
      .filter(
        (db) =>
          isTrue(db.values.manage_master_user_password) &&
          referrers(ctx, 'aws_secretsmanager_secret_rotation', 'secret_id', db).length === 0,
      )
      .map((db) =>
        ctx.finding(
          db,
          'managed-no-schedule',
          'has an RDS-managed master secret without aws_secretsmanager_secret_rotation (RDS rotates every 7 days by default)',
        ),
      );
    const secrets = ctx
      .resources('aws_secretsmanager_secret')
      .filter((s) => referrers(ctx, 'aws_secretsmanager_secret_rotation', 'secret_id', s).length === 0)
      .map((s) => {
        const versions = referrers(ctx, 'aws_secretsmanager_secret_version', 'secret_id', s);
        const generated =
          versions.length > 0 &&
          versions.every((v) => ctx.references(v.values.secret_string).some((a) => GENERATED.test(a)));
        return generated
          ? ctx.finding(
              s,
              'generated-no-rotation',
              'holds a Terraform-generated value and has no aws_secretsmanager_secret_rotation',
            )
          : ctx.finding(s, 'no-rotation', 'has no aws_secretsmanager_secret_rotation');
      });
    return [...databases, ...unscheduled, ...secrets];
  },
};
