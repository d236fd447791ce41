/** Validation of the data sections of an environment: `database`, `cache` and `storage`. */
import type { EnvironmentConfig, ProjectSettings } from './types';
import { IssueCollector } from '../lib/validation';
import {
  rdsPostgresInstanceClassProblem,
  rdsPostgresVersionProblem,
  rdsStorageAutoscalingProblem,
} from '../lib/aws/rds';
import { elasticacheNodeTypeProblem, redisVersionProblem } from '../lib/aws/elasticache';
import { READ_REPLICAS_UNSUPPORTED } from '../modules/rds';
import { WINDOW_PATTERN, WEEKLY_WINDOW_PATTERN, checkRetention, checkSecondRegion } from './validate-rules';

/** `cloudfront` (the distribution's domain, filled in by the stack) or an https origin. */
const CORS_ORIGIN_PATTERN = /^(cloudfront|https:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?)$/;
/** A developer's local frontend, e.g. `http://localhost:3000`. */
const DEV_ORIGIN_PATTERN = /^http:\/\/localhost:\d{1,5}$/;

/** `database`: PostgreSQL 15, sizes, windows, rotation, the backup replica; protected in production. */
export function validateDatabase(
  root: IssueCollector,
  cfg: EnvironmentConfig,
  settings: ProjectSettings,
): void {
  const prod = cfg.name === 'production';
  const db = root.at('database');
  const d = cfg.database;
  // The team's platform is PostgreSQL 15; RDS's own offer decides the minor.
  db.at('engineVersion').check(
    /^15(\.|$)/.test(d.engineVersion),
    d.engineVersion,
    'must be PostgreSQL 15 (15 or 15.x)',
  );
  const version = rdsPostgresVersionProblem(d.engineVersion);
  if (version) db.at('engineVersion').report(d.engineVersion, version);
  const instanceClass = rdsPostgresInstanceClassProblem(d.instanceClass);
  if (instanceClass) db.at('instanceClass').report(d.instanceClass, instanceClass);
  const autoscaling = rdsStorageAutoscalingProblem(d.allocatedStorageGb, d.maxAllocatedStorageGb);
  if (autoscaling) db.at('maxAllocatedStorageGb').report(d.maxAllocatedStorageGb, autoscaling);
  db.at('databaseName').matches(
    d.databaseName,
    /^[a-z][a-z0-9_]{0,62}$/,
    'must be a PostgreSQL identifier (lowercase letter first, then letters, digits, _)',
  );
  db.at('masterUsername').matches(
    d.masterUsername,
    /^[a-z][a-z0-9_]{0,15}$/,
    'must be 1-16 lowercase letters, digits or _, starting with a letter',
  );
  db.at('masterUsername').check(
    !['postgres', 'admin', 'rdsadmin'].includes(d.masterUsername),
    d.masterUsername,
    'is a reserved user name',
  );
  db.at('readReplicas').check(d.readReplicas === 0, d.readReplicas, READ_REPLICAS_UNSUPPORTED);
  checkRetention(db.at('logRetentionDays'), d.logRetentionDays);
  db.at('backupWindow').matches(d.backupWindow, WINDOW_PATTERN, 'must be hh24:mi-hh24:mi (UTC)');
  db.at('maintenanceWindow').matches(
    d.maintenanceWindow,
    WEEKLY_WINDOW_PATTERN,
    'must be ddd:hh24:mi-ddd:hh24:mi (UTC)',
  );
  checkSecondRegion(db.at('backupReplicaRegion'), d.backupReplicaRegion, settings, prod);
  if (prod) {
    db.at('masterPasswordRotationDays').check(
      d.masterPasswordRotationDays <= 30,
      d.masterPasswordRotationDays,
      'must be at most 30 in production (the team rotates secrets every 30 days)',
    );
  }
  if (prod) {
    db.at('backupRetentionDays').check(
      d.backupRetentionDays >= 7,
      d.backupRetentionDays,
      'must be at least 7 in production',
    );
    db.at('deletionProtection').check(
      d.deletionProtection,
      d.deletionProtection,
      'must be true in production',
    );
    db.at('finalSnapshot').check(d.finalSnapshot, d.finalSnapshot, 'must be true in production');
    if (!cfg.overrides.allowSingleAzDatabase) {
      db.at('multiAz').check(
        d.multiAz,
        d.multiAz,
        'must be true in production (set overrides.allowSingleAzDatabase with a reason to allow it)',
      );
    }
  } else {
    db.at('backupRetentionDays').check(
      d.backupRetentionDays >= 1,
      d.backupRetentionDays,
      'must be at least 1',
    );
  }
}

/** `cache`: Redis 7, node type and count, snapshots, failover; highly available in production. */
export function validateCache(root: IssueCollector, cfg: EnvironmentConfig): void {
  const prod = cfg.name === 'production';
  const cache = root.at('cache');
  const c = cfg.cache;
  const redis = redisVersionProblem(c.engineVersion, '7');
  if (redis) cache.at('engineVersion').report(c.engineVersion, redis);
  checkRetention(cache.at('slowLogRetentionDays'), c.slowLogRetentionDays);
  const nodeType = elasticacheNodeTypeProblem(c.nodeType);
  if (nodeType) cache.at('nodeType').report(c.nodeType, nodeType);
  cache.at('snapshotWindow').matches(c.snapshotWindow, WINDOW_PATTERN, 'must be hh24:mi-hh24:mi (UTC)');
  cache
    .at('maintenanceWindow')
    .matches(c.maintenanceWindow, WEEKLY_WINDOW_PATTERN, 'must be ddd:hh24:mi-ddd:hh24:mi (UTC)');
  if (c.automaticFailover) {
    cache
      .at('automaticFailover')
      .check(c.nodeCount >= 2, c.automaticFailover, `requires nodeCount >= 2 (is ${c.nodeCount})`);
  }
  if (c.multiAz) {
    cache.at('multiAz').check(c.automaticFailover, c.multiAz, 'requires automaticFailover');
  }
  if (prod) {
    cache
      .at('snapshotRetentionDays')
      .check(c.snapshotRetentionDays >= 1, c.snapshotRetentionDays, 'must be at least 1 in production');
    cache.at('finalSnapshot').check(c.finalSnapshot, c.finalSnapshot, 'must be true in production');
    if (!cfg.overrides.allowSingleNodeCache) {
      const ha = c.nodeCount >= 2 && c.automaticFailover && c.multiAz;
      cache.check(
        ha,
        { nodeCount: c.nodeCount, automaticFailover: c.automaticFailover, multiAz: c.multiAz },
        'must be highly available in production: nodeCount >= 2, automaticFailover and multiAz (set overrides.allowSingleNodeCache with a reason to allow it)',
      );
    }
  }
}

/** `storage`: lifecycle days, CORS origins (never `*`), the replica region and its RTC. */
export function validateStorage(
  root: IssueCollector,
  cfg: EnvironmentConfig,
  settings: ProjectSettings,
): void {
  const prod = cfg.name === 'production';
  const st = root.at('storage');
  const s = cfg.storage;
  st.at('corsAllowedOrigins').check(
    s.corsAllowedOrigins.length > 0,
    s.corsAllowedOrigins,
    'must list at least one origin',
  );
  // The video bucket's CORS rule allows PUT, POST and DELETE: every origin is named, never `*`.
  s.corsAllowedOrigins.forEach((o, i) => {
    const at = st.at('corsAllowedOrigins').at(i);
    if (o === '*') {
      at.report(o, 'must name an origin, not *: the video bucket allows PUT, POST and DELETE from it');
    } else if (DEV_ORIGIN_PATTERN.test(o)) {
      at.check(!prod, o, 'is a developer origin: http://localhost:<port> is allowed in staging only');
    } else {
      at.matches(
        o,
        CORS_ORIGIN_PATTERN,
        'must be cloudfront, an https:// origin, or (staging only) http://localhost:<port>',
      );
    }
  });

  checkSecondRegion(st.at('replicaRegion'), s.replicaRegion, settings, prod);
  st.at('replicationTimeControl').check(
    !s.replicationTimeControl || s.replicaRegion !== '',
    s.replicationTimeControl,
    'needs storage.replicaRegion: Replication Time Control belongs to a replication rule',
  );
  // One second-region provider per stack: the backups and the video replica share it.
  if (s.replicaRegion !== '' && cfg.database.backupReplicaRegion !== '') {
    root
      .at('database')
      .at('backupReplicaRegion')
      .check(
        cfg.database.backupReplicaRegion === s.replicaRegion,
        cfg.database.backupReplicaRegion,
        `must be the region of storage.replicaRegion (${s.replicaRegion}): one second region per environment`,
      );
  }
}
