import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { SecureBucket } from '../src/lib/secure-bucket';
import { BucketReplication, type BucketReplicationProps } from '../src/modules/bucket-replication';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

function build(scope: Construct, overrides: Partial<BucketReplicationProps> = {}, versioned = true) {
  new AwsProvider(scope, 'aws', { region: 'ap-northeast-2' });
  const dr = new AwsProvider(scope, 'aws-dr', { alias: 'dr', region: 'us-west-2' });
  const source = new SecureBucket(scope, 'video', { bucketName: 'video-source', versioned });
  return new BucketReplication(scope, 'video-replication', {
    namePrefix: 'ecg-video-pipeline-production',
    suffix: 'abcd1234',
    source,
    replicaProvider: dr,
    replicaRegion: 'us-west-2',
    replicationTimeControl: true,
    accessLogsExpireDays: 90,
    lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentExpireDays: 30 }],
    ...overrides,
  });
}

const json = synthScope((scope) => void build(scope));
const buckets = resourcesOf(json, 'aws_s3_bucket');
const [replicaName, replica] = Object.entries(buckets).find(([n]) => n.includes('replica_bucket'))!;
const belongsTo = (r: Json, bucket: string) => String(r.bucket).includes(`aws_s3_bucket.${bucket}.`);

describe('BucketReplication', () => {
  it('puts the replica and its logs bucket in the second region (their own provider alias)', () => {
    expect(replica.bucket).toBe('ecg-video-pipeline-production-video-us-west-2-abcd1234');
    for (const [name, bucket] of Object.entries(buckets)) {
      const inDr = name.startsWith('video-replication_');
      expect(bucket.provider, name).toBe(inDr ? 'aws.dr' : undefined);
    }
    for (const type of [
      'aws_s3_bucket_versioning',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_lifecycle_configuration',
    ]) {
      const ofReplica = Object.values(resourcesOf(json, type)).filter((r) => belongsTo(r, replicaName));
      expect(ofReplica, type).toHaveLength(1);
      expect(ofReplica[0].provider, type).toBe('aws.dr');
    }
  });

  it('makes the replica versioned, encrypted, private, TLS-only, with lifecycle and access logs', () => {
    const of = (type: string) =>
      Object.values(resourcesOf(json, type)).find((r) => belongsTo(r, replicaName))!;
    expect(of('aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    expect(of('aws_s3_bucket_server_side_encryption_configuration').rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' },
    });
    expect(of('aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(JSON.parse(of('aws_s3_bucket_policy').policy as string).Statement[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(of('aws_s3_bucket_lifecycle_configuration').rule[0].id).toBe('expire-noncurrent-versions');
    expect(of('aws_s3_bucket_logging').target_prefix).toBe('s3-access-logs/video-replica/');
  });

  it('replicates uploads/ and rendered/ with RTC (15 minutes, the only value S3 accepts) and no delete markers', () => {
    const config = onlyResource(json, 'aws_s3_bucket_replication_configuration');
    expect(config.provider).toBeUndefined();
    expect(config.rule.map((r: Json) => r.filter.prefix)).toEqual(['uploads/', 'rendered/']);
    for (const rule of config.rule as Json[]) {
      expect(rule.status).toBe('Enabled');
      expect(rule.delete_marker_replication).toEqual({ status: 'Disabled' });
      expect(rule.destination).toMatchObject({
        bucket: `\${aws_s3_bucket.${replicaName}.arn}`,
        replication_time: { status: 'Enabled', time: { minutes: 15 } },
        metrics: { status: 'Enabled', event_threshold: { minutes: 15 } },
      });
    }
  });

  it('waits for versioning on both buckets and for the role policy (S3 rejects replication before)', () => {
    const config = onlyResource(json, 'aws_s3_bucket_replication_configuration');
    const versionings = Object.keys(resourcesOf(json, 'aws_s3_bucket_versioning')).map(
      (n) => `aws_s3_bucket_versioning.${n}`,
    );
    expect(versionings).toHaveLength(2);
    for (const v of versionings) expect(config.depends_on).toContain(v);
    expect(config.depends_on.some((d: string) => d.startsWith('aws_iam_role_policy.'))).toBe(true);
  });

  it('gives the replication role read on the source versions and replicate on the replica only, no deletes', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(JSON.parse(role.assume_role_policy as string).Statement[0].Principal).toEqual({
      Service: 's3.amazonaws.com',
    });
    const policy = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy as string);
    const actions = policy.Statement.flatMap((s: Json) => s.Action);
    expect(actions).not.toContain('s3:ReplicateDelete');
    expect(actions.some((a: string) => a.includes('*'))).toBe(false);
    const write = policy.Statement.find((s: Json) => s.Sid === 'WriteReplicas');
    expect(write.Resource).toEqual([
      `\${aws_s3_bucket.${replicaName}.arn}/uploads/*`,
      `\${aws_s3_bucket.${replicaName}.arn}/rendered/*`,
    ]);
    const read = policy.Statement.find((s: Json) => s.Sid === 'ReadSourceVersions');
    for (const r of read.Resource as string[])
      expect(r).toMatch(/^\$\{aws_s3_bucket\.video_bucket_[0-9A-F]+\.arn\}\//);
  });

  it('leaves RTC off by default', () => {
    const plain = synthScope((scope) => void build(scope, { replicationTimeControl: undefined }));
    const rule = onlyResource(plain, 'aws_s3_bucket_replication_configuration').rule[0];
    expect(rule.destination.replication_time).toBeUndefined();
    expect(rule.destination.metrics).toBeUndefined();
  });

  it('fails when the source is not versioned, or prefixes and region are malformed', () => {
    expect(
      errorOf(() =>
        synthScope(
          (scope) =>
            void build(
              scope,
              { namePrefix: 'ecg--prod', prefixes: ['uploads', 'uploads'], replicaRegion: 'west' },
              false,
            ),
        ),
      ),
    ).toMatch(
      /namePrefix ecg--prod must be lowercase letters, digits and single hyphens[\s\S]*replicaRegion west must be an AWS region[\s\S]*prefixes\[0\] uploads must be an S3 key prefix ending in \/[\s\S]*prefixes\[1\] uploads is listed twice[\s\S]*must be versioned: S3 replicates only between buckets with versioning enabled/,
    );
  });
});
