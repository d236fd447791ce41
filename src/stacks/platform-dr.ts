/**
 * The second-region copies of the disaster-recovery runbook (README, Disaster recovery; split from
 * platform-stack.ts): created in the stack's own scope, so their addresses never change.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { BucketReplication } from '../modules/bucket-replication';
import type { RdsPostgres } from '../modules/rds';
import { RdsBackupReplication } from '../modules/rds-backup-replication';
import type { Storage } from '../modules/storage';
import { accountIdOf } from './arn';

/** What the copies are made of. */
export interface DisasterRecoveryWiring {
  readonly namePrefix: string;
  readonly config: EnvironmentConfig;
  /** Provider of the second region; no copies without it. */
  readonly drProvider?: AwsProvider;
  /** The stack's random suffix of globally unique names. */
  readonly suffix: string;
  readonly storage: Storage;
  readonly database: RdsPostgres;
}

/** The video replica and the copied database backups, each when its region is configured. */
export function addDisasterRecovery(
  scope: Construct,
  w: DisasterRecoveryWiring,
): { videoReplication?: BucketReplication; databaseBackupReplication?: RdsBackupReplication } {
  const dr = w.drProvider;
  if (!dr) return {};
  const s = w.config.storage;
  const d = w.config.database;
  return {
    videoReplication: s.replicaRegion === '' ? undefined : videoReplica(scope, w, dr),
    databaseBackupReplication:
      d.backupReplicaRegion === ''
        ? undefined
        : new RdsBackupReplication(scope, 'database-backup-replication', {
            namePrefix: w.namePrefix,
            sourceDbInstanceArn: w.database.instance.arn,
            accountId: accountIdOf(w.database.instance.arn),
            destinationProvider: dr,
            destinationRegion: d.backupReplicaRegion,
            retentionDays: d.backupReplicaRetentionDays,
          }),
  };
}

function videoReplica(scope: Construct, w: DisasterRecoveryWiring, dr: AwsProvider): BucketReplication {
  const s = w.config.storage;
  return new BucketReplication(scope, 'video-replication', {
    namePrefix: w.namePrefix,
    suffix: w.suffix,
    source: w.storage.videoBucket,
    replicaProvider: dr,
    replicaRegion: s.replicaRegion,
    replicationTimeControl: s.replicationTimeControl,
    preventDestroy: s.preventDestroy,
    accessLogsExpireDays: s.accessLogging ? s.logsExpireDays : undefined,
    // The source's archive tiers, so the copy costs no more than the original.
    lifecycleRules: [
      { id: 'expire-delete-markers', expiredObjectDeleteMarker: true },
      {
        id: 'archive-uploads',
        prefix: 'uploads/',
        transitionStorageClass: 'GLACIER',
        transitionDays: s.uploadsToGlacierDays,
      },
      {
        id: 'archive-rendered',
        prefix: 'rendered/',
        transitionStorageClass: 'GLACIER_IR',
        transitionDays: s.renderedToGlacierIrDays,
      },
      { id: 'expire-noncurrent-versions', noncurrentExpireDays: s.noncurrentExpireDays },
      { id: 'abort-incomplete-multipart-uploads', abortMultipartDays: s.abortMultipartDays },
    ],
  });
}
