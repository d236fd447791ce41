import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { RdsBackupReplication, type RdsBackupReplicationProps } from '../src/modules/rds-backup-replication';
import { errorOf, onlyResource, synthScope } from './support/synth';

function build(scope: Construct, overrides: Partial<RdsBackupReplicationProps> = {}) {
  new AwsProvider(scope, 'aws', { region: 'ap-northeast-2' });
  const dr = new AwsProvider(scope, 'aws-dr', { alias: 'dr', region: 'us-west-2' });
  return new RdsBackupReplication(scope, 'database-backup-replication', {
    namePrefix: 'ecg-video-pipeline-production',
    sourceDbInstanceArn: 'arn:aws:rds:ap-northeast-2:123456789012:db:ecg-video-pipeline-production-postgres',
    accountId: '123456789012',
    destinationProvider: dr,
    destinationRegion: 'us-west-2',
    ...overrides,
  });
}

const json = synthScope((scope) => void build(scope));

describe('RdsBackupReplication', () => {
  it('creates the replication in the destination region (provider docs: the resource lives there)', () => {
    const replication = onlyResource(json, 'aws_db_instance_automated_backups_replication');
    expect(replication).toMatchObject({
      provider: 'aws.dr',
      source_db_instance_arn:
        'arn:aws:rds:ap-northeast-2:123456789012:db:ecg-video-pipeline-production-postgres',
      retention_period: 7,
    });
  });

  it('encrypts the copies with a rotated KMS key of the destination region (required for an encrypted source)', () => {
    const key = onlyResource(json, 'aws_kms_key');
    expect(key).toMatchObject({ provider: 'aws.dr', enable_key_rotation: true, deletion_window_in_days: 30 });
    const replication = onlyResource(json, 'aws_db_instance_automated_backups_replication');
    expect(replication.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    const statements = JSON.parse(key.policy as string).Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*' }),
    ]);
    expect(onlyResource(json, 'aws_kms_alias')).toMatchObject({
      provider: 'aws.dr',
      name: 'alias/ecg-video-pipeline-production-rds-backups',
    });
  });

  it('fails when the retention is outside 1-35 days or the region and account are malformed', () => {
    expect(
      errorOf(() =>
        synthScope(
          (scope) =>
            void build(scope, {
              namePrefix: 'Ecg-prod',
              retentionDays: 36,
              destinationRegion: 'oregon',
              accountId: '12',
            }),
        ),
      ),
    ).toMatch(
      /namePrefix Ecg-prod must be lowercase letters[\s\S]*destinationRegion oregon must be an AWS region[\s\S]*retentionDays 36[\s\S]*accountId 12 must be a 12-digit/,
    );
  });
});

describe('RdsBackupReplication resources', () => {
  const KEY = 'database-backup-replication_key_7B520735';

  it('reads the key, its alias and the replication whole, in the destination region', () => {
    const key = onlyResource(json, 'aws_kms_key');
    expect({ ...key, policy: JSON.parse(key.policy as string) }).toEqual({
      provider: 'aws.dr',
      description: 'ecg-video-pipeline-production RDS automated backups replicated to us-west-2',
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministration',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    });
    expect(onlyResource(json, 'aws_kms_alias')).toEqual({
      provider: 'aws.dr',
      name: 'alias/ecg-video-pipeline-production-rds-backups',
      target_key_id: `\${aws_kms_key.${KEY}.key_id}`,
    });
    expect(onlyResource(json, 'aws_db_instance_automated_backups_replication')).toEqual({
      provider: 'aws.dr',
      source_db_instance_arn:
        'arn:aws:rds:ap-northeast-2:123456789012:db:ecg-video-pipeline-production-postgres',
      kms_key_id: `\${aws_kms_key.${KEY}.arn}`,
      retention_period: 7,
    });
  });

  it('keeps the copies as many days as asked', () => {
    const custom = synthScope((scope) => void build(scope, { retentionDays: 14 }));
    expect(onlyResource(custom, 'aws_db_instance_automated_backups_replication').retention_period).toBe(14);
  });

  it('takes an account id that is a Terraform expression without checking it', () => {
    const withToken = synthScope(
      (scope) => void build(scope, { accountId: new TerraformVariable(scope, 'account', {}).stringValue }),
    );
    const policy = JSON.parse(onlyResource(withToken, 'aws_kms_key').policy as string);
    expect(policy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::${var.account}:root' });
  });

  // RDS API reference, StartDBInstanceAutomatedBackupsReplication: BackupRetentionPeriod 1 to 35.
  it.each([1, 35])('accepts a retention of %i days', (retentionDays) => {
    expect(() => synthScope((scope) => void build(scope, { retentionDays }))).not.toThrow();
  });

  const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;
  it.each<[string, Partial<RdsBackupReplicationProps>, string]>([
    [
      'the retention is 0 days',
      { retentionDays: 0 },
      'stack/database-backup-replication.retentionDays 0 must be an integer from 1 to 35',
    ],
    [
      'the retention is 36 days',
      { retentionDays: 36 },
      'stack/database-backup-replication.retentionDays 36 must be an integer from 1 to 35',
    ],
    [
      'the name prefix ends with a hyphen',
      { namePrefix: 'ecg-' },
      'stack/database-backup-replication.namePrefix ecg- must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      'the destination region is a name, not a region code',
      { destinationRegion: 'oregon' },
      'stack/database-backup-replication.destinationRegion oregon must be an AWS region like us-west-2',
    ],
    [
      'the account id has 13 digits',
      { accountId: '1234567890123' },
      'stack/database-backup-replication.accountId 1234567890123 must be a 12-digit AWS account id',
    ],
    [
      'the account id has letters around 12 digits',
      { accountId: 'x123456789012x' },
      'stack/database-backup-replication.accountId x123456789012x must be a 12-digit AWS account id',
    ],
  ])('fails when %s', (_name, overrides, line) => {
    expect(errorOf(() => synthScope((scope) => void build(scope, overrides)))).toBe(one(line));
  });
});
