import { Lazy, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { Storage, type StorageProps } from '../src/modules/storage';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';

/**
 * The storage module's resources read whole (src/modules/storage.ts): every default of the three
 * buckets built from a name prefix and a literal suffix, each prop that switches a resource or
 * field on, and the edges of each validation rule. Expected values are written out.
 */
const REQUIRED: StorageProps = { namePrefix: 'p-e', suffix: 'abcd1234' };

function synth(props: Partial<StorageProps> = {}): Json {
  return synthScope((scope) => {
    new Storage(scope, 'storage', { ...REQUIRED, ...props });
  });
}

const build = (props: Partial<StorageProps>) => () =>
  new Storage(new TerraformStack(Testing.app(), 'test'), 'storage', { ...REQUIRED, ...props });
const one = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;

const VIDEO = 'aws_s3_bucket.storage_video_bucket_6B8A6439';
const FRONTEND = 'aws_s3_bucket.storage_frontend_bucket_5CB003A9';
const LOGS = 'aws_s3_bucket.storage_logs_bucket_F30D43C9';

/** Lifecycle rules as the provider writes them. */
const expireAfter = (id: string, days: number, prefix?: string) => ({
  id,
  status: 'Enabled',
  filter: [prefix === undefined ? {} : { prefix }],
  expiration: [{ days }],
});
const abortAfter = (days: number) => ({
  id: 'abort-incomplete-multipart-uploads',
  status: 'Enabled',
  filter: [{}],
  abort_incomplete_multipart_upload: [{ days_after_initiation: days }],
});
const noncurrentAfter = (days: number) => ({
  id: 'expire-noncurrent-versions',
  status: 'Enabled',
  filter: [{}],
  noncurrent_version_expiration: [{ noncurrent_days: days }],
});
const transitionAfter = (id: string, prefix: string, days: number, storageClass: string) => ({
  id,
  status: 'Enabled',
  filter: [{ prefix }],
  transition: [{ days, storage_class: storageClass }],
});
const DELETE_MARKERS = {
  id: 'expire-delete-markers',
  status: 'Enabled',
  filter: [{}],
  expiration: [{ expired_object_delete_marker: true }],
};

function lifecycleRules(json: Json): Record<string, Json[]> {
  return Object.fromEntries(
    Object.entries(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration')).map(([name, r]) => [
      name,
      r.rule as Json[],
    ]),
  );
}

describe('Storage defaults', () => {
  const json = synth();

  it('names the buckets <prefix>-video-storage-, -frontend- and -cloudfront-logs-<suffix>, none protected from destroy', () => {
    expect(resourcesOf(json, 'aws_s3_bucket')).toEqual({
      storage_frontend_bucket_5CB003A9: { bucket: 'p-e-frontend-abcd1234', force_destroy: false },
      storage_logs_bucket_F30D43C9: { bucket: 'p-e-cloudfront-logs-abcd1234', force_destroy: false },
      storage_video_bucket_6B8A6439: { bucket: 'p-e-video-storage-abcd1234', force_destroy: false },
    });
  });

  it('expires temp/ after 1 day, archives uploads/ after 30 and rendered/ after 90, drops old versions after 30 and stalled uploads after 7, logs after 90', () => {
    expect(lifecycleRules(json)).toEqual({
      storage_video_lifecycle_504F16BF: [
        expireAfter('expire-temp', 1, 'temp/'),
        DELETE_MARKERS,
        transitionAfter('archive-uploads', 'uploads/', 30, 'GLACIER'),
        transitionAfter('archive-rendered', 'rendered/', 90, 'GLACIER_IR'),
        noncurrentAfter(30),
        abortAfter(7),
      ],
      storage_frontend_lifecycle_82F89F16: [noncurrentAfter(30), abortAfter(7)],
      storage_logs_lifecycle_A56AA774: [expireAfter('expire-logs', 90), abortAfter(7)],
    });
  });

  it('has no access logging, no log-delivery grant, no acceleration and no CORS', () => {
    expect(resourcesOf(json, 'aws_s3_bucket_logging')).toEqual({});
    expect(resourcesOf(json, 'aws_s3_bucket_accelerate_configuration')).toEqual({});
    expect(resourcesOf(json, 'aws_s3_bucket_cors_configuration')).toEqual({});
    const logsPolicy = JSON.parse(
      resourcesOf(json, 'aws_s3_bucket_policy').storage_logs_policy_56700F67.policy,
    );
    expect(logsPolicy.Statement.map((s: Json) => s.Sid)).toEqual(['DenyInsecureTransport']);
  });

  it('versions the video and frontend buckets only; the logs bucket takes ACL writes (BucketOwnerPreferred)', () => {
    expect(Object.keys(resourcesOf(json, 'aws_s3_bucket_versioning'))).toEqual([
      'storage_frontend_versioning_1FEB6AE2',
      'storage_video_versioning_38B17DA9',
    ]);
    expect(
      Object.fromEntries(
        Object.entries(resourcesOf(json, 'aws_s3_bucket_ownership_controls')).map(([n, r]) => [
          n,
          r.rule.object_ownership,
        ]),
      ),
    ).toEqual({
      storage_frontend_ownership_56F598B0: 'BucketOwnerEnforced',
      storage_logs_ownership_656366F9: 'BucketOwnerPreferred',
      storage_video_ownership_B22C5FF3: 'BucketOwnerEnforced',
    });
  });

  it('exposes every name, ARN and domain name of the three buckets', () => {
    const outputs = synthScope((scope) => {
      const s = new Storage(scope, 'storage', REQUIRED);
      const values: Record<string, string> = {
        video_name: s.videoBucketName,
        video_arn: s.videoBucketArn,
        video_regional: s.videoBucketRegionalDomainName,
        frontend_name: s.frontendBucketName,
        frontend_arn: s.frontendBucketArn,
        frontend_regional: s.frontendBucketRegionalDomainName,
        logs_name: s.logsBucketName,
        logs_arn: s.logsBucketArn,
        logs_regional: s.logsBucketRegionalDomainName,
        logs_domain: s.logsBucketDomainName,
      };
      for (const [id, value] of Object.entries(values)) new TerraformOutput(scope, id, { value });
    }).output as Record<string, Json>;
    expect(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]))).toEqual({
      video_name: `\${${VIDEO}.bucket}`,
      video_arn: `\${${VIDEO}.arn}`,
      video_regional: `\${${VIDEO}.bucket_regional_domain_name}`,
      frontend_name: `\${${FRONTEND}.bucket}`,
      frontend_arn: `\${${FRONTEND}.arn}`,
      frontend_regional: `\${${FRONTEND}.bucket_regional_domain_name}`,
      logs_name: `\${${LOGS}.bucket}`,
      logs_arn: `\${${LOGS}.arn}`,
      logs_regional: `\${${LOGS}.bucket_regional_domain_name}`,
      logs_domain: `\${${LOGS}.bucket_domain_name}`,
    });
  });
});

describe('Storage options', () => {
  it('puts each lifecycle day count into its own rule', () => {
    const json = synth({
      tempExpireDays: 2,
      uploadsToGlacierDays: 3,
      renderedToGlacierIrDays: 4,
      noncurrentExpireDays: 5,
      abortMultipartDays: 6,
      logsExpireDays: 8,
    });
    expect(lifecycleRules(json)).toEqual({
      storage_video_lifecycle_504F16BF: [
        expireAfter('expire-temp', 2, 'temp/'),
        DELETE_MARKERS,
        transitionAfter('archive-uploads', 'uploads/', 3, 'GLACIER'),
        transitionAfter('archive-rendered', 'rendered/', 4, 'GLACIER_IR'),
        noncurrentAfter(5),
        abortAfter(6),
      ],
      storage_frontend_lifecycle_82F89F16: [noncurrentAfter(5), abortAfter(6)],
      storage_logs_lifecycle_A56AA774: [expireAfter('expire-logs', 8), abortAfter(6)],
    });
  });

  // S3 user guide, "Enabling Amazon S3 server access logging": the destination bucket policy
  // grants logging.s3.amazonaws.com, limited by aws:SourceArn (and aws:SourceAccount).
  it('with access logging under a prefix: logs both data buckets there, granted to the logging service for those buckets and account', () => {
    const json = synth({ accessLogging: true, accessLogsPrefix: 'al/', accountId: '123456789012' });
    expect(resourcesOf(json, 'aws_s3_bucket_logging')).toEqual({
      storage_frontend_logging_4BEE451C: {
        bucket: `\${${FRONTEND}.id}`,
        target_bucket: `\${${LOGS}.bucket}`,
        target_prefix: 'al/frontend/',
        depends_on: ['aws_s3_bucket_policy.storage_logs_policy_56700F67'],
      },
      storage_video_logging_A8E89D49: {
        bucket: `\${${VIDEO}.id}`,
        target_bucket: `\${${LOGS}.bucket}`,
        target_prefix: 'al/video-storage/',
        depends_on: ['aws_s3_bucket_policy.storage_logs_policy_56700F67'],
      },
    });
    const policy = JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy').storage_logs_policy_56700F67.policy);
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`\${${LOGS}.arn}`, `\${${LOGS}.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'AllowS3ServerAccessLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `\${${LOGS}.arn}/al/*`,
          Condition: {
            ArnLike: { 'aws:SourceArn': [`\${${VIDEO}.arn}`, `\${${FRONTEND}.arn}`] },
            StringEquals: { 'aws:SourceAccount': '123456789012' },
          },
        },
      ],
    });
  });

  it('with access logging and no account: the grant is limited by the source buckets alone', () => {
    const json = synth({ accessLogging: true });
    const policy = JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy').storage_logs_policy_56700F67.policy);
    expect(policy.Statement[1].Resource).toBe(`\${${LOGS}.arn}/s3-access-logs/*`);
    expect(policy.Statement[1].Condition).toEqual({
      ArnLike: { 'aws:SourceArn': [`\${${VIDEO}.arn}`, `\${${FRONTEND}.arn}`] },
    });
  });

  it('protects only the video bucket with prevent_destroy, and accelerates it when asked', () => {
    const json = synth({ preventDestroy: true, transferAcceleration: true });
    const buckets = resourcesOf(json, 'aws_s3_bucket');
    expect(buckets.storage_video_bucket_6B8A6439.lifecycle).toEqual({ prevent_destroy: true });
    expect(buckets.storage_frontend_bucket_5CB003A9.lifecycle).toBeUndefined();
    expect(resourcesOf(json, 'aws_s3_bucket_accelerate_configuration')).toEqual({
      'storage_video-acceleration_4C933FC9': { bucket: `\${${VIDEO}.id}`, status: 'Enabled' },
    });
  });

  it('allows the given origins on the video bucket with the fixed methods, headers and max age', () => {
    const json = synth({ corsAllowedOrigins: ['https://a.example.com', 'http://localhost:3000'] });
    expect(onlyResource(json, 'aws_s3_bucket_cors_configuration')).toEqual({
      bucket: `\${${VIDEO}.id}`,
      cors_rule: [
        {
          allowed_methods: ['GET', 'POST', 'PUT', 'DELETE'],
          allowed_headers: ['*'],
          expose_headers: ['ETag'],
          max_age_seconds: 3000,
          allowed_origins: ['https://a.example.com', 'http://localhost:3000'],
        },
      ],
    });
  });

  it('creates the CORS configuration with the first origin added later', () => {
    const json = synthScope((scope) => {
      const storage = new Storage(scope, 'storage', REQUIRED);
      expect(storage.videoCors).toBeUndefined();
      storage.addCorsAllowedOrigin('https://a.example.com');
      expect(storage.videoCors).toBeDefined();
    });
    expect(onlyResource(json, 'aws_s3_bucket_cors_configuration').cors_rule[0].allowed_origins).toEqual([
      'https://a.example.com',
    ]);
  });

  it('adds an origin that is a Terraform expression without checking it, twice if need be', () => {
    const origin = Lazy.stringValue({ produce: () => 'https://d1.cloudfront.net' });
    const json = synthScope((scope) => {
      const storage = new Storage(scope, 'storage', { ...REQUIRED, corsAllowedOrigins: [origin, origin] });
      storage.addCorsAllowedOrigin(origin);
    });
    expect(onlyResource(json, 'aws_s3_bucket_cors_configuration').cors_rule[0].allowed_origins).toEqual([
      'https://d1.cloudfront.net',
      'https://d1.cloudfront.net',
      'https://d1.cloudfront.net',
    ]);
  });
});

describe('Storage validation edges', () => {
  it.each<[string, Partial<StorageProps>]>([
    ['a one-character name prefix', { namePrefix: 'a' }],
    ['a name prefix with hyphens inside', { namePrefix: 'a-b-1' }],
    [
      'a logs bucket name of exactly 63 characters (S3 maximum)',
      { namePrefix: 'a'.repeat(39), suffix: 'abcdefg' },
    ],
    ['a wildcard subdomain origin with a port', { corsAllowedOrigins: ['https://*.example.com:8443'] }],
    ['an http origin on localhost', { corsAllowedOrigins: ['http://localhost:3000'] }],
    [
      'every day count at 1',
      {
        tempExpireDays: 1,
        uploadsToGlacierDays: 1,
        renderedToGlacierIrDays: 1,
        noncurrentExpireDays: 1,
        abortMultipartDays: 1,
        logsExpireDays: 1,
      },
    ],
    [
      'every day count at its maximum (3650, multipart 365)',
      {
        tempExpireDays: 3650,
        uploadsToGlacierDays: 3650,
        renderedToGlacierIrDays: 3650,
        noncurrentExpireDays: 3650,
        abortMultipartDays: 365,
        logsExpireDays: 3650,
      },
    ],
    ['a nested access-log prefix', { accessLogsPrefix: 'logs/s3.access_(x)/' }],
  ])('accepts %s', (_name, props) => {
    expect(build(props)).not.toThrow();
  });

  it('counts an unresolved suffix as 8 characters: a 38-character prefix fits, 39 does not', () => {
    const suffix = Lazy.stringValue({ produce: () => 'abcd1234' });
    expect(build({ namePrefix: 'a'.repeat(38), suffix })).not.toThrow();
    expect(errorOf(build({ namePrefix: 'b'.repeat(39), suffix }))).toBe(
      one(
        `test/storage.namePrefix ${'b'.repeat(39)} makes the bucket name ${'b'.repeat(39)}-cloudfront-logs-<suffix> 64 characters long (S3 allows at most 63)`,
      ),
    );
  });

  it.each<[string, Partial<StorageProps>, string]>([
    [
      'a literal suffix makes the logs bucket name 64 characters',
      { namePrefix: 'a'.repeat(38), suffix: 'abcd12345' },
      `test/storage.namePrefix ${'a'.repeat(38)} makes the bucket name ${'a'.repeat(38)}-cloudfront-logs-<suffix> 64 characters long (S3 allows at most 63)`,
    ],
    [
      'the name prefix starts with a hyphen',
      { namePrefix: '-pe' },
      'test/storage.namePrefix -pe must be lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots: TLS and transfer acceleration need dot-free bucket names)',
    ],
    [
      'the name prefix ends with a hyphen',
      { namePrefix: 'pe-' },
      'test/storage.namePrefix pe- must be lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots: TLS and transfer acceleration need dot-free bucket names)',
    ],
    [
      'the suffix has a hyphen',
      { suffix: 'ab-12' },
      'test/storage.suffix ab-12 must be lowercase letters and digits',
    ],
    [
      'an origin has a six-digit port',
      { corsAllowedOrigins: ['https://a.example.com:123456'] },
      'test/storage.corsAllowedOrigins[0] https://a.example.com:123456 must be an origin like https://example.com (scheme and host, optional port, no path or trailing /)',
    ],
    [
      'an origin has a path',
      { corsAllowedOrigins: ['https://a.example.com/app'] },
      'test/storage.corsAllowedOrigins[0] https://a.example.com/app must be an origin like https://example.com (scheme and host, optional port, no path or trailing /)',
    ],
    [
      'temp/ would expire after 3651 days',
      { tempExpireDays: 3651 },
      'test/storage.tempExpireDays 3651 must be an integer from 1 to 3650',
    ],
    [
      'uploads/ would move to Glacier after 0 days',
      { uploadsToGlacierDays: 0 },
      'test/storage.uploadsToGlacierDays 0 must be an integer from 1 to 3650',
    ],
    [
      'rendered/ would move to Glacier IR after 3651 days',
      { renderedToGlacierIrDays: 3651 },
      'test/storage.renderedToGlacierIrDays 3651 must be an integer from 1 to 3650',
    ],
    [
      'old versions would expire after 3651 days',
      { noncurrentExpireDays: 3651 },
      'test/storage.noncurrentExpireDays 3651 must be an integer from 1 to 3650',
    ],
    [
      'stalled uploads would be aborted after 0 days',
      { abortMultipartDays: 0 },
      'test/storage.abortMultipartDays 0 must be an integer from 1 to 365',
    ],
    [
      'logs would expire after 3651 days',
      { logsExpireDays: 3651 },
      'test/storage.logsExpireDays 3651 must be an integer from 1 to 3650',
    ],
    [
      'the access-log prefix does not end in /',
      { accessLogsPrefix: 'logs' },
      'test/storage.accessLogsPrefix logs must be an S3 key prefix ending in /',
    ],
    [
      'the access-log prefix has an empty path segment',
      { accessLogsPrefix: 'logs//' },
      'test/storage.accessLogsPrefix logs// must be an S3 key prefix ending in /',
    ],
    [
      'the account id has 13 digits',
      { accountId: '1234567890123' },
      'test/storage.accountId 1234567890123 must be a 12-digit AWS account id',
    ],
  ])('fails when %s', (_name, props, line) => {
    expect(errorOf(build(props))).toBe(one(line));
  });

  it('fails when an origin added later is *, or cloudfront left unresolved', () => {
    const storage = new Storage(new TerraformStack(Testing.app(), 'test'), 'storage', REQUIRED);
    expect(errorOf(() => storage.addCorsAllowedOrigin('*'))).toBe(
      one(
        'test/storage.corsAllowedOrigins[0] * must name an origin, not *: the video bucket allows PUT, POST and DELETE from it',
      ),
    );
    expect(errorOf(() => storage.addCorsAllowedOrigin('cloudfront'))).toBe(
      one(
        "test/storage.corsAllowedOrigins[0] cloudfront must be resolved to the distribution's https:// origin before it reaches the module",
      ),
    );
    expect(storage.videoCors).toBeUndefined();
  });
});
