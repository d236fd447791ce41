import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from './validation';

/** An IAM policy statement as it appears in a policy document. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A lifecycle rule in the bucket's own terms; rendered to aws_s3_bucket_lifecycle_configuration. */
export interface BucketLifecycleRule {
  readonly id: string;
  /** Key prefix the rule applies to. @default the whole bucket */
  readonly prefix?: string;
  /** Expire current objects after this many days. */
  readonly expireDays?: number;
  /**
   * Remove delete markers that no longer have noncurrent versions. S3 accepts this flag only in an
   * expiration without Days or Date (API reference, LifecycleExpiration), so it takes a rule of its
   * own: a rule may not set it together with `expireDays`.
   */
  readonly expiredObjectDeleteMarker?: boolean;
  /** Move current objects to this storage class after `transitionDays`. */
  readonly transitionStorageClass?: 'GLACIER' | 'GLACIER_IR' | 'DEEP_ARCHIVE' | 'STANDARD_IA';
  readonly transitionDays?: number;
  /** Expire noncurrent versions after this many days. */
  readonly noncurrentExpireDays?: number;
  /** Abort incomplete multipart uploads after this many days. */
  readonly abortMultipartDays?: number;
}

export interface SecureBucketProps {
  /** Globally unique bucket name (may contain tokens such as the stack's random suffix). */
  readonly bucketName: string;
  /** @default true - versioning enabled */
  readonly versioned?: boolean;
  /**
   * S3 Object Ownership. `BucketOwnerPreferred` only for a bucket that CloudFront standard
   * logging writes with ACLs.
   * @default 'BucketOwnerEnforced' - ACLs disabled
   */
  readonly objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  /** @default [] - no lifecycle configuration */
  readonly lifecycleRules?: readonly BucketLifecycleRule[];
  /** Terraform `prevent_destroy` on the bucket. @default false */
  readonly preventDestroy?: boolean;
  /** Let Terraform delete a non-empty bucket. @default false */
  readonly forceDestroy?: boolean;
  /**
   * Server access logging into `target` under `targetPrefix`. The target's policy must grant
   * `logging.s3.amazonaws.com` (S3 user guide, "Enabling Amazon S3 server access logging"); the
   * logging configuration waits for that policy.
   * @default no access logging
   */
  readonly accessLogs?: { readonly target: SecureBucket; readonly targetPrefix: string };
}

/**
 * An S3 bucket with the house's baseline: SSE (AES-256), every public access block on, object
 * ownership, a TLS-only bucket policy, and optional versioning, lifecycle and access logging.
 * The bucket policy is one document that other constructs extend through `addToResourcePolicy`.
 */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly bucketRegionalDomainName: string;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** Object Ownership; with `BucketOwnerPreferred` the bucket accepts ACLs only once this exists. */
  public readonly ownershipControls: S3BucketOwnershipControls;
  public readonly objectOwnership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  public readonly policy: S3BucketPolicy;
  /** Server access logging of this bucket, when `accessLogs` is set. */
  public readonly logging?: S3BucketLoggingA;
  public readonly lifecycle?: S3BucketLifecycleConfiguration;
  /** Versioning of this bucket, when `versioned`; replication must wait for it (S3 user guide). */
  public readonly versioning?: S3BucketVersioningA;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const rules = props.lifecycleRules ?? [];
    const v = new IssueCollector(this.node.path);
    rules.forEach((r, i) =>
      v
        .at('lifecycleRules')
        .at(i)
        .check(
          !(r.expiredObjectDeleteMarker && r.expireDays !== undefined),
          r.id,
          'sets both expireDays and expiredObjectDeleteMarker: S3 takes the delete-marker flag only in an expiration without days, so it needs a rule of its own',
        ),
    );
    throwIfIssues(v.issues);

    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.bucketRegionalDomainName = this.bucket.bucketRegionalDomainName;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    this.objectOwnership = props.objectOwnership ?? 'BucketOwnerEnforced';
    this.ownershipControls = new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: this.objectOwnership },
    });

    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });

    let versioning: S3BucketVersioningA | undefined;
    if (props.versioned ?? true) {
      versioning = new S3BucketVersioningA(this, 'versioning', {
        bucket: this.bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      });
    }
    this.versioning = versioning;

    if (props.accessLogs) {
      const target = props.accessLogs.target;
      this.logging = new S3BucketLoggingA(this, 'logging', {
        bucket: this.bucket.id,
        targetBucket: target.bucketName,
        targetPrefix: props.accessLogs.targetPrefix,
        // S3 delivers access logs only once the target's policy grants logging.s3.amazonaws.com.
        dependsOn: [target.policy],
      });
    }

    if (rules.length > 0) {
      this.lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket: this.bucket.id,
        // Noncurrent-version rules need versioning in place first (provider documentation).
        dependsOn: versioning ? [versioning] : undefined,
        rule: rules.map((r) => ({
          id: r.id,
          status: 'Enabled',
          filter: [r.prefix ? { prefix: r.prefix } : {}],
          expiration:
            r.expireDays !== undefined
              ? [{ days: r.expireDays }]
              : r.expiredObjectDeleteMarker
                ? [{ expiredObjectDeleteMarker: true }]
                : undefined,
          transition:
            r.transitionStorageClass !== undefined
              ? [{ days: r.transitionDays ?? 0, storageClass: r.transitionStorageClass }]
              : undefined,
          noncurrentVersionExpiration:
            r.noncurrentExpireDays !== undefined ? [{ noncurrentDays: r.noncurrentExpireDays }] : undefined,
          abortIncompleteMultipartUpload:
            r.abortMultipartDays !== undefined ? [{ daysAfterInitiation: r.abortMultipartDays }] : undefined,
        })),
      });
    }

    this.statements.push({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [this.bucketArn, `${this.bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });

    // Rendered at synth time, so statements added later by other constructs land in one policy.
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: Lazy.stringValue({
        produce: () => JSON.stringify({ Version: '2012-10-17', Statement: this.statements }),
      }),
      // S3 rejects a policy write while the public access block is still being applied.
      dependsOn: [this.publicAccessBlock],
    });
  }

  /** Adds a statement to the bucket's single policy document. */
  public addToResourcePolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
}
