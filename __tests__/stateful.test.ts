import { readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { productionConfig, resolveSettings } from '../src/config';
import { RdsPostgres } from '../src/modules/rds';
import { synthesizeApp } from '../src/tools/synth';
import { TFVARS_DIR_ENV } from '../src/tools/tfvars';
import { STATEFUL_TYPES, addressDrift, statefulAddresses } from './support/stateful';
import { synthStack } from './support/app';
import { resourcesOf, synthScope, type Json } from './support/synth';
import { synthWith } from './support/tfvars';

const projectDir = resolve(__dirname, '..');
const pinned = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'stateful-addresses.json'), 'utf8'),
) as Record<string, string[]>;

/** Every file below `dir`, relative path -> content. */
function readTree(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, readTree(dir, path));
    else files[path] = readFileSync(join(dir, path), 'utf8');
  }
  return files;
}

describe('determinism', () => {
  it('synthesizes byte-identical output twice for every stack', async () => {
    // The run's shared synth of the app command with no tfvars (support/tfvars.ts), and one more.
    const first = await synthWith({});
    const second = mkdtempSync(join(tmpdir(), 'det-'));
    await synthesizeApp(projectDir, second, {
      ...process.env,
      [TFVARS_DIR_ENV]: mkdtempSync(join(tmpdir(), 'det-')),
    });
    const a = readTree(join(first, 'stacks'));
    const b = readTree(join(second, 'stacks'));
    expect(Object.keys(a).sort()).toEqual([
      expect.stringMatching(
        /^production\/assets\/queue-depth-publisher_code_[0-9A-F]{8}\/[0-9A-F]+\/archive\.zip$/,
      ),
      'production/cdk.tf.json',
      expect.stringMatching(
        /^staging\/assets\/queue-depth-publisher_code_[0-9A-F]{8}\/[0-9A-F]+\/archive\.zip$/,
      ),
      'staging/cdk.tf.json',
      'state-backend/cdk.tf.json',
    ]);
    for (const file of Object.keys(a)) expect(b[file] === a[file], file).toBe(true);
  }, 60_000);
});

describe('pinned addresses of stateful resources', () => {
  it.each(['state-backend', 'staging', 'production'] as const)('%s keeps every pinned address', (stack) => {
    expect(addressDrift(statefulAddresses(synthStack(stack)), pinned[stack])).toEqual([]);
  });

  it('catches a renamed construct id of a stateful resource', () => {
    const settings = resolveSettings({ context: () => undefined, env: {} });
    const database = productionConfig(settings).database;
    const props = {
      namePrefix: 'ecg-video-pipeline-production',
      vpcId: 'vpc-1',
      dbSubnetGroupName: 'data',
      ...database,
    };
    // The stack's construct is `database`; the same database under another id is another address.
    const addressesWith = (id: string) =>
      statefulAddresses(synthScope((scope) => new RdsPostgres(scope, id, props))).filter((a) =>
        a.startsWith('aws_db'),
      );
    const original = addressesWith('database');
    const renamed = addressesWith('db');
    expect(original).toEqual(['aws_db_instance.database_instance_D7FC2283']);
    expect(pinned.production).toContain(original[0]);
    expect(addressDrift(renamed, original)).toEqual([
      'missing (renamed or removed: Terraform would destroy it): aws_db_instance.database_instance_D7FC2283',
      `new (not pinned yet): ${renamed[0]}`,
    ]);
  });
});

describe('production protection of every stateful resource', () => {
  const production = synthStack('production');
  const stateBackend = synthStack('state-backend');

  /** Versioning status of a bucket, by the versioning resource that references it. */
  function versioned(json: Json, bucketName: string): boolean {
    return Object.values(resourcesOf(json, 'aws_s3_bucket_versioning')).some(
      (v) =>
        v.bucket === `\${aws_s3_bucket.${bucketName}.id}` && v.versioning_configuration.status === 'Enabled',
    );
  }

  it('lists exactly the stateful types it knows how to judge', () => {
    const present = STATEFUL_TYPES.filter((t) => Object.keys(resourcesOf(production, t)).length > 0);
    expect(present).toEqual([
      'aws_db_instance',
      'aws_elasticache_replication_group',
      'aws_s3_bucket',
      'aws_ecr_repository',
      'aws_secretsmanager_secret',
      'aws_kms_key',
      'random_id',
    ]);
  });

  it('protects the database: deletion protection, prevent_destroy, final snapshot, 7-day backups', () => {
    for (const db of Object.values(resourcesOf(production, 'aws_db_instance'))) {
      expect(db).toMatchObject({
        deletion_protection: true,
        lifecycle: { prevent_destroy: true },
        skip_final_snapshot: false,
        final_snapshot_identifier: expect.stringMatching(/-final$/),
      });
      expect(db.backup_retention_period).toBeGreaterThanOrEqual(7);
    }
  });

  it('snapshots Redis daily for 7 days and once more when deleted', () => {
    for (const group of Object.values(resourcesOf(production, 'aws_elasticache_replication_group'))) {
      expect(group.snapshot_retention_limit).toBeGreaterThanOrEqual(7);
      expect(group.final_snapshot_identifier).toMatch(/-final$/);
    }
  });

  it('versions every data bucket, never force-destroys, and pins the video and state buckets', () => {
    for (const [name, bucket] of Object.entries(resourcesOf(production, 'aws_s3_bucket'))) {
      expect(bucket.force_destroy, name).toBe(false);
      if (!name.includes('logs')) expect(versioned(production, name), name).toBe(true);
      // The video bucket and its cross-region replica; the replica's access-log bucket is not pinned.
      if (name.includes('video') && !name.includes('logs')) {
        expect(bucket.lifecycle, name).toEqual({ prevent_destroy: true });
      }
    }
    const [stateName, stateBucket] = Object.entries(resourcesOf(stateBackend, 'aws_s3_bucket'))[0];
    expect(stateBucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(versioned(stateBackend, stateName)).toBe(true);
  });

  it('keeps images (no force delete, immutable tags), secrets and keys recoverable', () => {
    for (const repo of Object.values(resourcesOf(production, 'aws_ecr_repository'))) {
      expect(repo).toMatchObject({ force_delete: false, image_tag_mutability: 'IMMUTABLE' });
    }
    for (const secret of Object.values(resourcesOf(production, 'aws_secretsmanager_secret'))) {
      expect(secret.recovery_window_in_days).toBeGreaterThanOrEqual(7);
    }
    for (const key of Object.values(resourcesOf(production, 'aws_kms_key'))) {
      expect(key.deletion_window_in_days).toBeGreaterThanOrEqual(7);
    }
  });

  it('protects the lock table: deletion protection, prevent_destroy, point-in-time recovery', () => {
    for (const table of Object.values(resourcesOf(stateBackend, 'aws_dynamodb_table'))) {
      expect(table).toMatchObject({
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
        point_in_time_recovery: { enabled: true },
      });
    }
  });
});
