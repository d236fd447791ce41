import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { type ITerraformDependable, TerraformResource, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { REGION_PATTERN } from '../lib/aws/regions';
import { SecureBucket, type BucketLifecycleRule } from '../lib/secure-bucket';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';

const KEY_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;

export interface BucketReplicationProps {
  /** `<project>-<env>`; the replica bucket and the role are named from it. */
  readonly namePrefix: string;
  /** The stack's random suffix, appended to the replica's name (global bucket namespace). */
  readonly suffix: string;
  /** The source bucket: versioned (S3 replicates only between versioned buckets). */
  readonly source: SecureBucket;
  /** Provider of the replica's region (an aliased `aws` provider). */
  readonly replicaProvider: TerraformProvider;
  /** Region of `replicaProvider`; part of the replica's name. */
  readonly replicaRegion: string;
  /**
   * Key prefixes replicated, one rule each (priority in list order).
   * @default ['uploads/', 'rendered/'] - originals and renders; temp/ is scratch that expires in a day
   */
  readonly prefixes?: readonly string[];
  /**
   * S3 Replication Time Control: 99.99 % of objects replicated within 15 minutes, with
   * replication metrics (S3 user guide, "Meeting compliance requirements with S3 RTC"; 15 is
   * the only value S3 accepts for the time and the metrics threshold).
   * @default false
   */
  readonly replicationTimeControl?: boolean;
  /** Lifecycle of the replica bucket. @default [] */
  readonly lifecycleRules?: readonly BucketLifecycleRule[];
  /** Terraform `prevent_destroy` on the replica bucket. @default false */
  readonly preventDestroy?: boolean;
  /**
   * Server access logs of the replica, into a logs bucket of its own region (S3 delivers access
   * logs only to a bucket in the source bucket's region), expiring after this many days.
   * @default no access logging
   */
  readonly accessLogsExpireDays?: number;
}

/**
 * A cross-region copy of a versioned bucket: the replica is a SecureBucket in the second region
 * (versioned, SSE-S3, public access blocked, TLS-only policy, lifecycle), a replication role that
 * can read only the source's versions and write only replicas, and the replication rules, which
 * wait for versioning on both sides.
 *
 * Delete markers are not replicated: a delete in the primary region (a bug, a compromised key, a
 * user's mistake) leaves the replica's copy, which is what a disaster-recovery copy is for. The
 * replica's own lifecycle rules bound what it keeps.
 */
export class BucketReplication extends Construct {
  public readonly replica: SecureBucket;
  /** The replica's access-log bucket, when `accessLogsExpireDays` is set. */
  public readonly replicaLogs?: SecureBucket;
  public readonly replicaBucketName: string;
  public readonly replicaBucketArn: string;
  public readonly role: IamRole;
  public readonly configuration: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const prefixes = props.prefixes ?? ['uploads/', 'rendered/'];
    const rtc = props.replicationTimeControl ?? false;
    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(props.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
    v.at('replicaRegion').matches(
      props.replicaRegion,
      REGION_PATTERN,
      'must be an AWS region like us-west-2',
    );
    v.at('prefixes').check(prefixes.length > 0, prefixes, 'must list at least one key prefix');
    prefixes.forEach((prefix, i) => {
      v.at('prefixes').at(i).matches(prefix, KEY_PREFIX_PATTERN, 'must be an S3 key prefix ending in /');
      v.at('prefixes')
        .at(i)
        .check(prefixes.indexOf(prefix) === i, prefix, 'is listed twice');
      // S3 replication configuration: each rule's ID is unique.
      const first = prefixes.findIndex((other) => ruleId(other) === ruleId(prefix));
      if (prefixes.indexOf(prefix) === i && first !== i) {
        v.at('prefixes')
          .at(i)
          .report(
            prefix,
            `gives the rule id ${ruleId(prefix)} of ${prefixes[first]} (replication rule ids are unique)`,
          );
      }
    });
    v.at('source').check(
      props.source.versioning !== undefined,
      props.source.node.path,
      'must be versioned: S3 replicates only between buckets with versioning enabled',
    );
    if (props.accessLogsExpireDays !== undefined) {
      v.at('accessLogsExpireDays').intRange(props.accessLogsExpireDays, 1, 3650);
    }
    throwIfIssues(v.issues);

    const logsPrefix = 's3-access-logs/video-replica/';
    if (props.accessLogsExpireDays !== undefined) {
      this.replicaLogs = new SecureBucket(this, 'replica-logs', {
        bucketName: `${props.namePrefix}-logs-${props.replicaRegion}-${props.suffix}`,
        // Logs are written once and expire; versions would only keep expired logs around.
        versioned: false,
        lifecycleRules: [
          { id: 'expire-logs', expireDays: props.accessLogsExpireDays },
          { id: 'abort-incomplete-multipart-uploads', abortMultipartDays: 7 },
        ],
      });
    }
    this.replica = new SecureBucket(this, 'replica', {
      bucketName: `${props.namePrefix}-video-${props.replicaRegion}-${props.suffix}`,
      versioned: true,
      preventDestroy: props.preventDestroy ?? false,
      lifecycleRules: props.lifecycleRules ?? [],
      accessLogs: this.replicaLogs ? { target: this.replicaLogs, targetPrefix: logsPrefix } : undefined,
    });
    if (this.replicaLogs) {
      this.replicaLogs.addToResourcePolicy({
        Sid: 'AllowS3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${this.replicaLogs.bucketArn}/${logsPrefix}*`,
        Condition: { ArnLike: { 'aws:SourceArn': [this.replica.bucketArn] } },
      });
    }
    // Every resource of the replica and its logs lives in the second region.
    const secondRegion = this.replicaLogs ? [this.replica, this.replicaLogs] : [this.replica];
    for (const bucket of secondRegion) {
      for (const child of bucket.node.findAll()) {
        // Stryker disable next-line ConditionalExpression: equivalent, the buckets hold only resources and plain constructs, where a provider field means nothing
        if (child instanceof TerraformResource) child.provider = props.replicaProvider;
      }
    }
    this.replicaBucketName = this.replica.bucketName;
    this.replicaBucketArn = this.replica.bucketArn;

    this.role = new IamRole(this, 'role', {
      name: `${props.namePrefix}-s3-replication`,
      description: `S3 replicates ${props.namePrefix} videos to ${props.replicaRegion}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const source = props.source.bucketArn;
    // The permissions of the S3 user guide's replication role ("Setting up permissions for live
    // replication"), minus s3:ReplicateDelete: delete markers are not replicated.
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'replicate-video',
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadReplicationConfiguration',
            Effect: 'Allow',
            Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
            Resource: [source],
          },
          {
            Sid: 'ReadSourceVersions',
            Effect: 'Allow',
            Action: [
              's3:GetObjectVersionForReplication',
              's3:GetObjectVersionAcl',
              's3:GetObjectVersionTagging',
            ],
            Resource: prefixes.map((prefix) => `${source}/${prefix}*`),
          },
          {
            Sid: 'WriteReplicas',
            Effect: 'Allow',
            Action: ['s3:ReplicateObject', 's3:ReplicateTags'],
            Resource: prefixes.map((prefix) => `${this.replicaBucketArn}/${prefix}*`),
          },
        ],
      }),
    });

    this.configuration = new S3BucketReplicationConfigurationA(this, 'configuration', {
      bucket: props.source.bucket.id,
      role: this.role.arn,
      rule: prefixes.map((prefix, i) => ({
        id: ruleId(prefix),
        priority: i + 1,
        status: 'Enabled',
        filter: { prefix },
        deleteMarkerReplication: { status: 'Disabled' },
        destination: {
          bucket: this.replicaBucketArn,
          storageClass: 'STANDARD',
          replicationTime: rtc ? { status: 'Enabled', time: { minutes: 15 } } : undefined,
          metrics: rtc ? { status: 'Enabled', eventThreshold: { minutes: 15 } } : undefined,
        },
      })),
      // S3 refuses a replication configuration until both buckets are versioned (the source is
      // checked above, the replica is created versioned), and replicates only with a role that
      // already holds its permissions.
      dependsOn: [props.source.versioning, this.replica.versioning, policy] as ITerraformDependable[],
    });
  }
}

/** The replication rule's ID for a key prefix: `uploads/` is `replicate-uploads`. */
function ruleId(prefix: string): string {
  return `replicate-${prefix.replace(/\/$/, '').replace(/[^A-Za-z0-9-]/g, '-')}`;
}
