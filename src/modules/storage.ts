import { S3BucketAccelerateConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-accelerate-configuration';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { Lazy, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { SecureBucket, type PolicyStatement } from '../lib/secure-bucket';
import { ACCOUNT_ID_PATTERN } from '../lib/aws/arns';

/** CORS of the video bucket (docs/design.md): browser uploads and playback. */
export const VIDEO_CORS = {
  allowedMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['*'],
  exposeHeaders: ['ETag'],
  maxAgeSeconds: 3000,
} as const;

/** S3 allows at most 63 characters in a bucket name. */
const MAX_BUCKET_NAME = 63;
/** Length of the stack's `random_id` hex suffix (4 bytes) when it is still a token. */
const TOKEN_SUFFIX_LENGTH = 8;
const NAME_PREFIX_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const SUFFIX_PATTERN = /^[a-z0-9]+$/;
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;
const KEY_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;

export interface StorageProps {
  /** `<project>-<env>`; every bucket name starts with it. */
  readonly namePrefix: string;
  /**
   * The stack's random suffix (the `random_id` hex token, 8 characters), appended to every bucket
   * name so names stay globally unique.
   */
  readonly suffix: string;
  /**
   * Origins the video bucket's CORS rule allows, such as `https://d111.cloudfront.net` or a
   * developer's `http://localhost:3000`; never `*`, since the rule allows PUT, POST and DELETE.
   * More can be added later with `addCorsAllowedOrigin` (the CloudFront domain exists only after
   * the distribution, which needs these buckets).
   * @default [] - no CORS configuration until an origin is added
   */
  readonly corsAllowedOrigins?: readonly string[];
  /** Days after which objects under `temp/` of the video bucket expire. @default 1 */
  readonly tempExpireDays?: number;
  /**
   * Days after which objects under `uploads/` (originals, never served) move to S3 Glacier Flexible
   * Retrieval, which must be restored before it can be read. @default 30
   */
  readonly uploadsToGlacierDays?: number;
  /**
   * Days after which objects under `rendered/` move to S3 Glacier Instant Retrieval. CloudFront
   * serves these, so they must stay readable by GetObject: Flexible Retrieval would answer
   * InvalidObjectState (403 at the edge) until restored. @default 90
   */
  readonly renderedToGlacierIrDays?: number;
  /** Days a noncurrent object version is kept in the versioned buckets. @default 30 */
  readonly noncurrentExpireDays?: number;
  /** Days after which incomplete multipart uploads are aborted, in every bucket. @default 7 */
  readonly abortMultipartDays?: number;
  /** Days after which objects in the CloudFront logs bucket expire. @default 90 */
  readonly logsExpireDays?: number;
  /** S3 Transfer Acceleration on the video bucket (large uploads from far away). @default false */
  readonly transferAcceleration?: boolean;
  /**
   * S3 server access logging of the video and frontend buckets into the logs bucket, under
   * `accessLogsPrefix`. @default false
   */
  readonly accessLogging?: boolean;
  /** Key prefix of the server access logs in the logs bucket. @default 's3-access-logs/' */
  readonly accessLogsPrefix?: string;
  /**
   * Account that owns the buckets; adds `aws:SourceAccount` to the log-delivery grant.
   * @default no `aws:SourceAccount` condition (`aws:SourceArn` alone names the source buckets)
   */
  readonly accountId?: string;
  /** Terraform `prevent_destroy` on the video bucket, the one whose objects cannot be rebuilt. @default false */
  readonly preventDestroy?: boolean;
}

/**
 * The three buckets of the platform (docs/design.md, Storage and edge): video storage,
 * frontend (static export, read by CloudFront through OAC) and CloudFront logs. Each one is a
 * SecureBucket (encrypted, public access blocked, TLS-only policy); the CloudFront module adds its
 * read grants through `videoBucket.addToResourcePolicy` / `frontendBucket.addToResourcePolicy`.
 */
export class Storage extends Construct {
  public readonly videoBucket: SecureBucket;
  public readonly frontendBucket: SecureBucket;
  public readonly logsBucket: SecureBucket;

  public readonly videoBucketName: string;
  public readonly videoBucketArn: string;
  public readonly videoBucketRegionalDomainName: string;
  public readonly frontendBucketName: string;
  public readonly frontendBucketArn: string;
  public readonly frontendBucketRegionalDomainName: string;
  public readonly logsBucketName: string;
  public readonly logsBucketArn: string;
  public readonly logsBucketRegionalDomainName: string;
  /** `<bucket>.s3.amazonaws.com`: the form CloudFront's `logging_config.bucket` expects. */
  public readonly logsBucketDomainName: string;

  /** Transfer Acceleration of the video bucket, when enabled. */
  public readonly videoAcceleration?: S3BucketAccelerateConfiguration;

  private readonly corsOrigins: string[] = [];
  private cors?: S3BucketCorsConfiguration;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const p = {
      corsAllowedOrigins: props.corsAllowedOrigins ?? [],
      tempExpireDays: props.tempExpireDays ?? 1,
      uploadsToGlacierDays: props.uploadsToGlacierDays ?? 30,
      renderedToGlacierIrDays: props.renderedToGlacierIrDays ?? 90,
      noncurrentExpireDays: props.noncurrentExpireDays ?? 30,
      abortMultipartDays: props.abortMultipartDays ?? 7,
      logsExpireDays: props.logsExpireDays ?? 90,
      accessLogsPrefix: props.accessLogsPrefix ?? 's3-access-logs/',
    };
    const names = {
      video: `${props.namePrefix}-video-storage-${props.suffix}`,
      frontend: `${props.namePrefix}-frontend-${props.suffix}`,
      logs: `${props.namePrefix}-cloudfront-logs-${props.suffix}`,
    };

    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(
      props.namePrefix,
      NAME_PREFIX_PATTERN,
      'must be lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots: TLS and transfer acceleration need dot-free bucket names)',
    );
    if (!Token.isUnresolved(props.suffix)) {
      v.at('suffix').matches(props.suffix, SUFFIX_PATTERN, 'must be lowercase letters and digits');
    }
    const suffixLength = Token.isUnresolved(props.suffix) ? TOKEN_SUFFIX_LENGTH : props.suffix.length;
    // The logs bucket has the longest name; if it fits, the other two do.
    const longest = `${props.namePrefix}-cloudfront-logs-`.length + suffixLength;
    v.at('namePrefix').check(
      longest <= MAX_BUCKET_NAME,
      props.namePrefix,
      `makes the bucket name ${props.namePrefix}-cloudfront-logs-<suffix> ${longest} characters long (S3 allows at most ${MAX_BUCKET_NAME})`,
    );
    p.corsAllowedOrigins.forEach((origin, i) => checkOrigin(v.at('corsAllowedOrigins').at(i), origin));
    checkDuplicates(v.at('corsAllowedOrigins'), p.corsAllowedOrigins);
    v.at('tempExpireDays').intRange(p.tempExpireDays, 1, 3650);
    v.at('uploadsToGlacierDays').intRange(p.uploadsToGlacierDays, 1, 3650);
    v.at('renderedToGlacierIrDays').intRange(p.renderedToGlacierIrDays, 1, 3650);
    v.at('noncurrentExpireDays').intRange(p.noncurrentExpireDays, 1, 3650);
    v.at('abortMultipartDays').intRange(p.abortMultipartDays, 1, 365);
    v.at('logsExpireDays').intRange(p.logsExpireDays, 1, 3650);
    v.at('accessLogsPrefix').matches(
      p.accessLogsPrefix,
      KEY_PREFIX_PATTERN,
      'must be an S3 key prefix ending in /',
    );
    if (props.accountId !== undefined) {
      v.at('accountId').matches(props.accountId, ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id');
    }
    throwIfIssues(v.issues);

    // Created first: the other two buckets name it as their access-log target.
    this.logsBucket = new SecureBucket(this, 'logs', {
      bucketName: names.logs,
      // Logs are written once and expire; versions would only keep expired logs around.
      versioned: false,
      // Legacy CloudFront standard logging writes with ACLs (awslogsdelivery gets FULL_CONTROL).
      objectOwnership: 'BucketOwnerPreferred',
      lifecycleRules: [
        { id: 'expire-logs', expireDays: p.logsExpireDays },
        { id: 'abort-incomplete-multipart-uploads', abortMultipartDays: p.abortMultipartDays },
      ],
    });

    const accessLogs = (thing: string) =>
      props.accessLogging
        ? { target: this.logsBucket, targetPrefix: `${p.accessLogsPrefix}${thing}/` }
        : undefined;
    const versionedBucketRules = [
      { id: 'expire-noncurrent-versions', noncurrentExpireDays: p.noncurrentExpireDays },
      { id: 'abort-incomplete-multipart-uploads', abortMultipartDays: p.abortMultipartDays },
    ];

    this.videoBucket = new SecureBucket(this, 'video', {
      bucketName: names.video,
      versioned: true,
      preventDestroy: props.preventDestroy ?? false,
      accessLogs: accessLogs('video-storage'),
      lifecycleRules: [
        { id: 'expire-temp', prefix: 'temp/', expireDays: p.tempExpireDays },
        // Expiring temp/ (and the API deleting uploads or renders) leaves delete markers; once
        // their noncurrent versions expire, this removes them. S3 takes the flag only in an
        // expiration without days, hence a rule of its own (API reference, LifecycleExpiration).
        { id: 'expire-delete-markers', expiredObjectDeleteMarker: true },
        // Originals are never served: Flexible Retrieval, restored on demand.
        {
          id: 'archive-uploads',
          prefix: 'uploads/',
          transitionStorageClass: 'GLACIER',
          transitionDays: p.uploadsToGlacierDays,
        },
        // CloudFront serves rendered/: Instant Retrieval stays readable by GetObject (Flexible
        // Retrieval answers InvalidObjectState until an object is restored).
        {
          id: 'archive-rendered',
          prefix: 'rendered/',
          transitionStorageClass: 'GLACIER_IR',
          transitionDays: p.renderedToGlacierIrDays,
        },
        ...versionedBucketRules,
      ],
    });

    this.frontendBucket = new SecureBucket(this, 'frontend', {
      bucketName: names.frontend,
      versioned: true,
      accessLogs: accessLogs('frontend'),
      lifecycleRules: versionedBucketRules,
    });

    if (props.accessLogging) {
      // S3 delivers server access logs as the logging service; the grant is limited to the log
      // prefix and to deliveries on behalf of this module's own buckets.
      const condition: NonNullable<PolicyStatement['Condition']> = {
        ArnLike: { 'aws:SourceArn': [this.videoBucket.bucketArn, this.frontendBucket.bucketArn] },
      };
      if (props.accountId !== undefined) condition.StringEquals = { 'aws:SourceAccount': props.accountId };
      this.logsBucket.addToResourcePolicy({
        Sid: 'AllowS3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${this.logsBucket.bucketArn}/${p.accessLogsPrefix}*`,
        Condition: condition,
      });
    }

    if (props.transferAcceleration) {
      this.videoAcceleration = new S3BucketAccelerateConfiguration(this, 'video-acceleration', {
        bucket: this.videoBucket.bucket.id,
        status: 'Enabled',
      });
    }

    this.corsOrigins.push(...p.corsAllowedOrigins);
    if (this.corsOrigins.length > 0) this.createVideoCors();

    this.videoBucketName = this.videoBucket.bucketName;
    this.videoBucketArn = this.videoBucket.bucketArn;
    this.videoBucketRegionalDomainName = this.videoBucket.bucketRegionalDomainName;
    this.frontendBucketName = this.frontendBucket.bucketName;
    this.frontendBucketArn = this.frontendBucket.bucketArn;
    this.frontendBucketRegionalDomainName = this.frontendBucket.bucketRegionalDomainName;
    this.logsBucketName = this.logsBucket.bucketName;
    this.logsBucketArn = this.logsBucket.bucketArn;
    this.logsBucketRegionalDomainName = this.logsBucket.bucketRegionalDomainName;
    this.logsBucketDomainName = this.logsBucket.bucket.bucketDomainName;
  }

  /** The video bucket's CORS configuration, once it has an origin. */
  public get videoCors(): S3BucketCorsConfiguration | undefined {
    return this.cors;
  }

  /**
   * Allows one more origin in the video bucket's CORS rule, e.g. `https://${distribution.domainName}`
   * once the CloudFront distribution exists.
   */
  public addCorsAllowedOrigin(origin: string): void {
    const v = new IssueCollector(this.node.path);
    const at = v.at('corsAllowedOrigins').at(this.corsOrigins.length);
    checkOrigin(at, origin);
    if (!Token.isUnresolved(origin)) {
      at.check(!this.corsOrigins.includes(origin), origin, 'is already allowed');
    }
    throwIfIssues(v.issues);
    this.corsOrigins.push(origin);
    if (!this.cors) this.createVideoCors();
  }

  private createVideoCors(): void {
    this.cors = new S3BucketCorsConfiguration(this, 'video-cors', {
      bucket: this.videoBucket.bucket.id,
      corsRule: [
        {
          allowedMethods: [...VIDEO_CORS.allowedMethods],
          allowedHeaders: [...VIDEO_CORS.allowedHeaders],
          exposeHeaders: [...VIDEO_CORS.exposeHeaders],
          maxAgeSeconds: VIDEO_CORS.maxAgeSeconds,
          // Rendered at synth time so origins added after construction land in the same rule.
          allowedOrigins: Lazy.listValue({ produce: () => [...this.corsOrigins] }),
        },
      ],
    });
  }
}

function checkOrigin(v: IssueCollector, origin: string): void {
  if (Token.isUnresolved(origin)) return;
  if (origin === 'cloudfront') {
    v.report(origin, "must be resolved to the distribution's https:// origin before it reaches the module");
    return;
  }
  if (origin === '*') {
    v.report(origin, 'must name an origin, not *: the video bucket allows PUT, POST and DELETE from it');
    return;
  }
  v.matches(
    origin,
    ORIGIN_PATTERN,
    'must be an origin like https://example.com (scheme and host, optional port, no path or trailing /)',
  );
}

function checkDuplicates(v: IssueCollector, origins: readonly string[]): void {
  origins.forEach((origin, i) => {
    if (!Token.isUnresolved(origin) && origins.indexOf(origin) !== i)
      v.at(i).report(origin, 'is listed twice');
  });
}
