import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
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

describe('BucketReplication resources', () => {
  const SOURCE = 'aws_s3_bucket.video_bucket_127C0D89';
  const REPLICA = 'aws_s3_bucket.rep_replica_bucket_D7CC5707';
  const REPLICA_LOGS = 'aws_s3_bucket.rep_replica-logs_bucket_40135387';

  /** A replica of `video-source` named from `p-e`, with only the props given. */
  function replicate(props: Partial<BucketReplicationProps> = {}, versioned = true): Json {
    return synthScope((scope) => {
      new AwsProvider(scope, 'aws', { region: 'ap-northeast-2' });
      const dr = new AwsProvider(scope, 'aws-dr', { alias: 'dr', region: 'us-west-2' });
      const source = new SecureBucket(scope, 'video', { bucketName: 'video-source', versioned });
      new BucketReplication(scope, 'rep', {
        namePrefix: 'p-e',
        suffix: 'abcd1234',
        source,
        replicaProvider: dr,
        replicaRegion: 'us-west-2',
        ...props,
      });
    });
  }
  const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;
  const ofReplica = (json: Json, type: string) =>
    Object.fromEntries(Object.entries(resourcesOf(json, type)).filter(([name]) => name.startsWith('rep_')));

  describe('by default', () => {
    const json = replicate();

    it('replicates uploads/ then rendered/ to STANDARD in the replica, without RTC or delete markers, after both versionings and the role policy', () => {
      expect(onlyResource(json, 'aws_s3_bucket_replication_configuration')).toEqual({
        bucket: `\${${SOURCE}.id}`,
        role: '${aws_iam_role.rep_role_B85085BA.arn}',
        rule: [
          {
            id: 'replicate-uploads',
            priority: 1,
            status: 'Enabled',
            filter: { prefix: 'uploads/' },
            delete_marker_replication: { status: 'Disabled' },
            destination: { bucket: `\${${REPLICA}.arn}`, storage_class: 'STANDARD' },
          },
          {
            id: 'replicate-rendered',
            priority: 2,
            status: 'Enabled',
            filter: { prefix: 'rendered/' },
            delete_marker_replication: { status: 'Disabled' },
            destination: { bucket: `\${${REPLICA}.arn}`, storage_class: 'STANDARD' },
          },
        ],
        depends_on: [
          'aws_s3_bucket_versioning.video_versioning_455C0641',
          'aws_s3_bucket_versioning.rep_replica_versioning_4808EF45',
          'aws_iam_role_policy.rep_policy_23C89BB3',
        ],
      });
    });

    it('has a role S3 assumes, named from the prefix, and a policy of the S3 user guide replication permissions without ReplicateDelete', () => {
      const role = onlyResource(json, 'aws_iam_role');
      expect({ ...role, assume_role_policy: JSON.parse(role.assume_role_policy as string) }).toEqual({
        name: 'p-e-s3-replication',
        description: 'S3 replicates p-e videos to us-west-2',
        assume_role_policy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      });
      const policy = onlyResource(json, 'aws_iam_role_policy');
      expect({ ...policy, policy: JSON.parse(policy.policy as string) }).toEqual({
        name: 'replicate-video',
        role: '${aws_iam_role.rep_role_B85085BA.id}',
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadReplicationConfiguration',
              Effect: 'Allow',
              Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
              Resource: [`\${${SOURCE}.arn}`],
            },
            {
              Sid: 'ReadSourceVersions',
              Effect: 'Allow',
              Action: [
                's3:GetObjectVersionForReplication',
                's3:GetObjectVersionAcl',
                's3:GetObjectVersionTagging',
              ],
              Resource: [`\${${SOURCE}.arn}/uploads/*`, `\${${SOURCE}.arn}/rendered/*`],
            },
            {
              Sid: 'WriteReplicas',
              Effect: 'Allow',
              Action: ['s3:ReplicateObject', 's3:ReplicateTags'],
              Resource: [`\${${REPLICA}.arn}/uploads/*`, `\${${REPLICA}.arn}/rendered/*`],
            },
          ],
        },
      });
    });

    it('makes one replica bucket <prefix>-video-<region>-<suffix>, without lifecycle, logs or prevent_destroy', () => {
      expect(ofReplica(json, 'aws_s3_bucket')).toEqual({
        rep_replica_bucket_D7CC5707: {
          bucket: 'p-e-video-us-west-2-abcd1234',
          force_destroy: false,
          provider: 'aws.dr',
        },
      });
      expect(ofReplica(json, 'aws_s3_bucket_lifecycle_configuration')).toEqual({});
      expect(resourcesOf(json, 'aws_s3_bucket_logging')).toEqual({});
    });

    it('exposes the replica name and ARN', () => {
      const outputs = synthScope((scope) => {
        const dr = new AwsProvider(scope, 'aws-dr', { alias: 'dr', region: 'us-west-2' });
        const source = new SecureBucket(scope, 'video', { bucketName: 'video-source', versioned: true });
        const r = new BucketReplication(scope, 'rep', {
          namePrefix: 'p-e',
          suffix: 'abcd1234',
          source,
          replicaProvider: dr,
          replicaRegion: 'us-west-2',
        });
        new TerraformOutput(scope, 'name', { value: r.replicaBucketName });
        new TerraformOutput(scope, 'arn', { value: r.replicaBucketArn });
        expect(r.replicaLogs).toBeUndefined();
      }).output;
      expect([outputs.name.value, outputs.arn.value]).toEqual([
        `\${${REPLICA}.bucket}`,
        `\${${REPLICA}.arn}`,
      ]);
    });
  });

  describe('with access logs kept 90 days', () => {
    const json = replicate({ accessLogsExpireDays: 90 });

    it('adds an unversioned logs bucket <prefix>-logs-<region>-<suffix> in the replica region, expiring logs and stalled uploads', () => {
      expect(ofReplica(json, 'aws_s3_bucket')['rep_replica-logs_bucket_40135387']).toEqual({
        bucket: 'p-e-logs-us-west-2-abcd1234',
        force_destroy: false,
        provider: 'aws.dr',
      });
      expect(ofReplica(json, 'aws_s3_bucket_versioning')).toEqual({
        rep_replica_versioning_4808EF45: {
          bucket: `\${${REPLICA}.id}`,
          provider: 'aws.dr',
          versioning_configuration: { status: 'Enabled' },
        },
      });
      expect(ofReplica(json, 'aws_s3_bucket_lifecycle_configuration')).toEqual({
        'rep_replica-logs_lifecycle_027B5373': {
          bucket: `\${${REPLICA_LOGS}.id}`,
          provider: 'aws.dr',
          rule: [
            { id: 'expire-logs', status: 'Enabled', filter: [{}], expiration: [{ days: 90 }] },
            {
              id: 'abort-incomplete-multipart-uploads',
              status: 'Enabled',
              filter: [{}],
              abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
            },
          ],
        },
      });
    });

    // S3 user guide, "Enabling Amazon S3 server access logging": the target bucket's policy grants
    // logging.s3.amazonaws.com, limited to the source bucket.
    it('logs the replica under s3-access-logs/video-replica/, granted to the logging service for the replica only', () => {
      expect(resourcesOf(json, 'aws_s3_bucket_logging')).toEqual({
        rep_replica_logging_7C9D3EB1: {
          bucket: `\${${REPLICA}.id}`,
          provider: 'aws.dr',
          target_bucket: `\${${REPLICA_LOGS}.bucket}`,
          target_prefix: 's3-access-logs/video-replica/',
          depends_on: ['aws_s3_bucket_policy.rep_replica-logs_policy_3666681E'],
        },
      });
      const policy = ofReplica(json, 'aws_s3_bucket_policy')['rep_replica-logs_policy_3666681E'];
      expect(JSON.parse(policy.policy as string).Statement[1]).toEqual({
        Sid: 'AllowS3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `\${${REPLICA_LOGS}.arn}/s3-access-logs/video-replica/*`,
        Condition: { ArnLike: { 'aws:SourceArn': [`\${${REPLICA}.arn}`] } },
      });
      expect(policy.provider).toBe('aws.dr');
    });
  });

  it('names a rule from its prefix with every character but letters, digits and - turned into -', () => {
    const json = replicate({ prefixes: ['a.b/c_d/'] });
    const [rule] = onlyResource(json, 'aws_s3_bucket_replication_configuration').rule;
    expect([rule.id, rule.priority, rule.filter]).toEqual(['replicate-a-b-c-d', 1, { prefix: 'a.b/c_d/' }]);
    const policy = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy as string);
    expect(policy.Statement.slice(1).map((s: Json) => s.Resource)).toEqual([
      [`\${${SOURCE}.arn}/a.b/c_d/*`],
      [`\${${REPLICA}.arn}/a.b/c_d/*`],
    ]);
  });

  it('protects the replica with prevent_destroy when asked', () => {
    const json = replicate({ preventDestroy: true });
    expect(ofReplica(json, 'aws_s3_bucket').rep_replica_bucket_D7CC5707.lifecycle).toEqual({
      prevent_destroy: true,
    });
  });

  it.each([1, 3650])('accepts access logs kept %i days', (accessLogsExpireDays) => {
    expect(() => replicate({ accessLogsExpireDays })).not.toThrow();
  });

  it.each<[string, Partial<BucketReplicationProps>, string]>([
    ['no prefix is listed', { prefixes: [] }, 'stack/rep.prefixes [] must list at least one key prefix'],
    [
      'a prefix does not end in /',
      { prefixes: ['uploads/', 'rendered'] },
      'stack/rep.prefixes[1] rendered must be an S3 key prefix ending in /',
    ],
    [
      'a prefix starts with /',
      { prefixes: ['/uploads/'] },
      'stack/rep.prefixes[0] /uploads/ must be an S3 key prefix ending in /',
    ],
    [
      'a prefix goes on after its last /',
      { prefixes: ['uploads/2026'] },
      'stack/rep.prefixes[0] uploads/2026 must be an S3 key prefix ending in /',
    ],
    [
      'a prefix is listed twice',
      { prefixes: ['uploads/', 'rendered/', 'uploads/'] },
      'stack/rep.prefixes[2] uploads/ is listed twice',
    ],
    [
      'two prefixes give the same rule id (S3: replication rule ids are unique)',
      { prefixes: ['a.b/', 'a_b/'] },
      'stack/rep.prefixes[1] a_b/ gives the rule id replicate-a-b of a.b/ (replication rule ids are unique)',
    ],
    [
      'access logs would be kept 0 days',
      { accessLogsExpireDays: 0 },
      'stack/rep.accessLogsExpireDays 0 must be an integer from 1 to 3650',
    ],
    [
      'access logs would be kept 3651 days',
      { accessLogsExpireDays: 3651 },
      'stack/rep.accessLogsExpireDays 3651 must be an integer from 1 to 3650',
    ],
    [
      'the replica region is not a region code',
      { replicaRegion: 'us-west' },
      'stack/rep.replicaRegion us-west must be an AWS region like us-west-2',
    ],
    [
      'the name prefix has a double hyphen',
      { namePrefix: 'p--e' },
      'stack/rep.namePrefix p--e must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen',
    ],
  ])('fails when %s', (_name, props, line) => {
    expect(errorOf(() => replicate(props))).toBe(one(line));
  });

  it('fails when the source bucket is not versioned, naming its construct path', () => {
    expect(errorOf(() => replicate({}, false))).toBe(
      one(
        'stack/rep.source stack/video must be versioned: S3 replicates only between buckets with versioning enabled',
      ),
    );
  });
});
