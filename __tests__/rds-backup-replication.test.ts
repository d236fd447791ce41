import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
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
