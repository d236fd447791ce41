import { Lazy, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { productionConfig, stagingConfig } from '../src/config';
import { SecureBucket } from '../src/lib/secure-bucket';
import { Storage } from '../src/modules/storage';
import { resourcesOf, synthScope, type Json } from './support/synth';
import { CLOUDFRONT_ORIGIN, buildStorage as build, props, settings } from './variants/storage';

const SUFFIX = '${random_id.suffix.hex}';

type BucketKey = 'video' | 'frontend' | 'logs';
const BUCKETS: readonly BucketKey[] = ['video', 'frontend', 'logs'];

/** The resources of one type that belong to one of the module's buckets, by bucket. */
function perBucket(json: Json, type: string): Partial<Record<BucketKey, Json>> {
  const out: Partial<Record<BucketKey, Json>> = {};
  for (const [name, resource] of Object.entries(resourcesOf(json, type))) {
    const key = BUCKETS.find((b) => name.startsWith(`storage_${b}_`));
    if (key) out[key] = resource;
  }
  return out;
}

function bucketRef(json: Json, key: BucketKey): string {
  const name = Object.keys(resourcesOf(json, 'aws_s3_bucket')).find((n) => n.startsWith(`storage_${key}_`));
  return `aws_s3_bucket.${name}`;
}

function policyOf(json: Json, key: BucketKey): Json {
  return JSON.parse(perBucket(json, 'aws_s3_bucket_policy')[key]!.policy);
}

function expectConfigError(fn: () => unknown, lines: readonly string[]): void {
  expect(fn).toThrow(
    `Invalid configuration (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n` +
      lines.map((l) => `  - ${l}`).join('\n'),
  );
}

function freshStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'stack');
}

describe.each([
  ['staging', stagingConfig(settings)],
  ['production', productionConfig(settings)],
] as const)('storage (%s)', (env, config) => {
  const json = synthScope((scope) => build(scope, config));
  const prod = env === 'production';
  const prefix = `ecg-video-pipeline-${env}`;

  it('names the three buckets with the project, environment and the stack random suffix', () => {
    const buckets = perBucket(json, 'aws_s3_bucket');
    expect(buckets.video!.bucket).toBe(`${prefix}-video-storage-${SUFFIX}`);
    expect(buckets.frontend!.bucket).toBe(`${prefix}-frontend-${SUFFIX}`);
    expect(buckets.logs!.bucket).toBe(`${prefix}-cloudfront-logs-${SUFFIX}`);
    expect(Object.keys(resourcesOf(json, 'aws_s3_bucket'))).toHaveLength(3);
    for (const b of Object.values(buckets)) expect(b!.force_destroy).toBe(false);
  });

  it('blocks all public access on every bucket (row 1)', () => {
    const blocks = perBucket(json, 'aws_s3_bucket_public_access_block');
    for (const key of BUCKETS) {
      expect(blocks[key]).toMatchObject({
        bucket: `\${${bucketRef(json, key)}.id}`,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
  });

  it('encrypts every bucket with SSE-S3 (row 3)', () => {
    const sse = perBucket(json, 'aws_s3_bucket_server_side_encryption_configuration');
    for (const key of BUCKETS) {
      expect(sse[key]!.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    }
  });

  it('versions the video and frontend buckets, not the expiring log bucket (row 2)', () => {
    const versioning = perBucket(json, 'aws_s3_bucket_versioning');
    expect(versioning.video!.versioning_configuration).toEqual({ status: 'Enabled' });
    expect(versioning.frontend!.versioning_configuration).toEqual({ status: 'Enabled' });
    expect(versioning.logs).toBeUndefined();
  });

  it('enforces bucket ownership except on the log bucket that CloudFront writes with ACLs (row 6)', () => {
    const ownership = perBucket(json, 'aws_s3_bucket_ownership_controls');
    expect(ownership.video!.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(ownership.frontend!.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(ownership.logs!.rule).toEqual({ object_ownership: 'BucketOwnerPreferred' });
    expect(resourcesOf(json, 'aws_s3_bucket_acl')).toEqual({});
  });

  it('denies non-TLS requests on every bucket and grants nothing to "*" (rows 5, 7)', () => {
    for (const key of BUCKETS) {
      const policy = policyOf(json, key);
      const arn = `\${${bucketRef(json, key)}.arn}`;
      expect(policy.Statement).toContainEqual({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      for (const s of policy.Statement.filter((st: Json) => st.Effect === 'Allow')) {
        expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
      }
    }
  });

  it('has lifecycle rules on every bucket that abort incomplete multipart uploads (row 8)', () => {
    const lifecycle = perBucket(json, 'aws_s3_bucket_lifecycle_configuration');
    for (const key of BUCKETS) {
      expect(lifecycle[key]!.rule).toContainEqual({
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: [{}],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      });
    }
  });

  it('expires temp/ and orphaned delete markers, archives uploads/ and rendered/ and expires old versions of videos', () => {
    const rules = perBucket(json, 'aws_s3_bucket_lifecycle_configuration').video!.rule;
    expect(rules).toEqual([
      { id: 'expire-temp', status: 'Enabled', filter: [{ prefix: 'temp/' }], expiration: [{ days: 1 }] },
      // S3 API reference, LifecycleExpiration: ExpiredObjectDeleteMarker cannot be specified with
      // Days or Date, so it is a rule of its own.
      {
        id: 'expire-delete-markers',
        status: 'Enabled',
        filter: [{}],
        expiration: [{ expired_object_delete_marker: true }],
      },
      {
        id: 'archive-uploads',
        status: 'Enabled',
        filter: [{ prefix: 'uploads/' }],
        transition: [{ days: 30, storage_class: 'GLACIER' }],
      },
      // CloudFront serves rendered/: Glacier Instant Retrieval stays readable by GetObject, where
      // Flexible Retrieval (GLACIER) answers InvalidObjectState until restored.
      {
        id: 'archive-rendered',
        status: 'Enabled',
        filter: [{ prefix: 'rendered/' }],
        transition: [{ days: 90, storage_class: 'GLACIER_IR' }],
      },
      {
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      },
      expect.objectContaining({ id: 'abort-incomplete-multipart-uploads' }),
    ]);
  });

  it('expires CloudFront and access logs', () => {
    const rules = perBucket(json, 'aws_s3_bucket_lifecycle_configuration').logs!.rule;
    expect(rules).toContainEqual({
      id: 'expire-logs',
      status: 'Enabled',
      filter: [{}],
      expiration: [{ days: 90 }],
    });
  });

  it(`allows CORS from the CloudFront domain${prod ? ' only' : ' and the developer origin'} on the video bucket, never *`, () => {
    const cors = Object.values(resourcesOf(json, 'aws_s3_bucket_cors_configuration'));
    expect(cors).toHaveLength(1);
    expect(cors[0].bucket).toBe(`\${${bucketRef(json, 'video')}.id}`);
    expect(cors[0].cors_rule).toEqual([
      {
        allowed_methods: ['GET', 'POST', 'PUT', 'DELETE'],
        allowed_headers: ['*'],
        expose_headers: ['ETag'],
        max_age_seconds: 3000,
        allowed_origins: prod ? [CLOUDFRONT_ORIGIN] : [CLOUDFRONT_ORIGIN, 'http://localhost:3000'],
      },
    ]);
  });

  if (prod) {
    // S3 user guide, "Enabling Amazon S3 server access logging": delivery needs the destination
    // bucket's policy to grant logging.s3.amazonaws.com first.
    it('turns access logging on only after the logs bucket policy grants the logging service', () => {
      const [policy] = Object.keys(resourcesOf(json, 'aws_s3_bucket_policy')).filter((n) =>
        n.startsWith('storage_logs_'),
      );
      const logging = perBucket(json, 'aws_s3_bucket_logging');
      for (const key of ['video', 'frontend'] as const) {
        expect(logging[key]!.depends_on).toEqual([`aws_s3_bucket_policy.${policy}`]);
      }
    });
  }

  it(`${prod ? 'protects' : 'does not protect'} the video bucket with prevent_destroy`, () => {
    const buckets = perBucket(json, 'aws_s3_bucket');
    expect(buckets.video!.lifecycle).toEqual(prod ? { prevent_destroy: true } : undefined);
    expect(buckets.frontend!.lifecycle).toBeUndefined();
    expect(buckets.logs!.lifecycle).toBeUndefined();
  });

  it(`${prod ? 'logs' : 'does not log'} access to the data buckets into the log bucket (row 4)`, () => {
    const logging = perBucket(json, 'aws_s3_bucket_logging');
    const logsStatement = policyOf(json, 'logs').Statement.find((s: Json) => s.Effect === 'Allow');
    if (!prod) {
      expect(logging).toEqual({});
      expect(logsStatement).toBeUndefined();
      return;
    }
    const target = `\${${bucketRef(json, 'logs')}.bucket}`;
    expect(logging.video).toMatchObject({
      target_bucket: target,
      target_prefix: 's3-access-logs/video-storage/',
    });
    expect(logging.frontend).toMatchObject({
      target_bucket: target,
      target_prefix: 's3-access-logs/frontend/',
    });
    expect(logging.logs).toBeUndefined();
    expect(logsStatement).toEqual({
      Sid: 'AllowS3ServerAccessLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `\${${bucketRef(json, 'logs')}.arn}/s3-access-logs/*`,
      Condition: {
        ArnLike: {
          'aws:SourceArn': [`\${${bucketRef(json, 'video')}.arn}`, `\${${bucketRef(json, 'frontend')}.arn}`],
        },
      },
    });
  });

  // The team's design: uploads from far away reach the video bucket through the nearest edge.
  // Acceleration needs a DNS-compliant bucket name without dots (S3 API reference,
  // PutBucketAccelerateConfiguration): the namePrefix rule below refuses dots.
  it(`${prod ? 'accelerates' : 'does not accelerate'} transfers to the video bucket`, () => {
    const accel = Object.values(resourcesOf(json, 'aws_s3_bucket_accelerate_configuration'));
    if (!prod) {
      expect(accel).toEqual([]);
      return;
    }
    expect(accel).toHaveLength(1);
    expect(accel[0].status).toBe('Enabled');
    expect(accel[0].bucket).toMatch(/^\$\{aws_s3_bucket\.storage_video_[^.]+\.id\}$/);
  });
});

describe('storage options', () => {
  it('lets CloudFront add its read grant to the same video bucket policy', () => {
    const json = synthScope((scope) => {
      const storage = build(scope, productionConfig(settings));
      storage.videoBucket.addToResourcePolicy({
        Sid: 'AllowCloudFrontReadRendered',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${storage.videoBucketArn}/rendered/*`,
      });
    });
    expect(Object.keys(resourcesOf(json, 'aws_s3_bucket_policy'))).toHaveLength(3);
    expect(policyOf(json, 'video').Statement.map((s: Json) => s.Sid)).toEqual([
      'DenyInsecureTransport',
      'AllowCloudFrontReadRendered',
    ]);
  });

  it('adds origins given after construction to the one CORS rule', () => {
    const json = synthScope((scope) => {
      const storage = build(scope, productionConfig(settings), { corsAllowedOrigins: [] });
      expect(storage.videoCors).toBeUndefined();
      storage.addCorsAllowedOrigin(Lazy.stringValue({ produce: () => CLOUDFRONT_ORIGIN }));
      storage.addCorsAllowedOrigin('https://app.example.com');
    });
    const [cors] = Object.values(resourcesOf(json, 'aws_s3_bucket_cors_configuration'));
    expect(cors.cors_rule[0].allowed_origins).toEqual([CLOUDFRONT_ORIGIN, 'https://app.example.com']);
  });

  it('has no CORS configuration without an origin', () => {
    const json = synthScope((scope) => build(scope, stagingConfig(settings), { corsAllowedOrigins: [] }));
    expect(resourcesOf(json, 'aws_s3_bucket_cors_configuration')).toEqual({});
  });

  it('enables transfer acceleration on the video bucket when asked', () => {
    const json = synthScope((scope) => build(scope, stagingConfig(settings), { transferAcceleration: true }));
    const [accel] = Object.values(resourcesOf(json, 'aws_s3_bucket_accelerate_configuration'));
    expect(accel).toEqual({ bucket: `\${${bucketRef(json, 'video')}.id}`, status: 'Enabled' });
  });

  it('conditions the log delivery grant on the source account when one is given', () => {
    const json = synthScope((scope) =>
      build(scope, productionConfig(settings), { accountId: '123456789012' }),
    );
    const grant = policyOf(json, 'logs').Statement.find((s: Json) => s.Effect === 'Allow');
    expect(grant.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
  });

  it('exposes names, ARNs and domain names of the buckets', () => {
    const json = synthScope((scope) => {
      const storage = build(scope, stagingConfig(settings));
      const outputs = {
        video_name: storage.videoBucketName,
        video_arn: storage.videoBucketArn,
        video_domain: storage.videoBucketRegionalDomainName,
        frontend_domain: storage.frontendBucketRegionalDomainName,
        logs_domain: storage.logsBucketDomainName,
        logs_arn: storage.logsBucketArn,
      };
      for (const [id, value] of Object.entries(outputs)) new TerraformOutput(scope, id, { value });
    });
    const ref = (key: BucketKey, attribute: string) => `\${${bucketRef(json, key)}.${attribute}}`;
    expect(Object.fromEntries(Object.entries(json.output).map(([k, v]) => [k, (v as Json).value]))).toEqual({
      video_name: ref('video', 'bucket'),
      video_arn: ref('video', 'arn'),
      video_domain: ref('video', 'bucket_regional_domain_name'),
      frontend_domain: ref('frontend', 'bucket_regional_domain_name'),
      logs_domain: ref('logs', 'bucket_domain_name'),
      logs_arn: ref('logs', 'arn'),
    });
  });
});

describe('storage validation', () => {
  const staging = stagingConfig(settings);

  // S3 API reference, LifecycleExpiration: ExpiredObjectDeleteMarker "cannot be specified with
  // Days or Date", and the provider then drops the flag silently.
  it('fails when one bucket lifecycle rule sets both expiry days and the delete-marker flag', () => {
    expectConfigError(
      () =>
        new SecureBucket(freshStack(), 'bucket', {
          bucketName: 'some-bucket',
          lifecycleRules: [{ id: 'both', expireDays: 1, expiredObjectDeleteMarker: true }],
        }),
      [
        'stack/bucket.lifecycleRules[0] both sets both expireDays and expiredObjectDeleteMarker: S3 takes the delete-marker flag only in an expiration without days, so it needs a rule of its own',
      ],
    );
  });

  it('fails when the name prefix is not a valid bucket name part', () => {
    expectConfigError(
      () => new Storage(freshStack(), 'storage', props(staging, 'abcd1234', { namePrefix: 'Ecg.staging' })),
      [
        'stack/storage.namePrefix Ecg.staging must be lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots: TLS and transfer acceleration need dot-free bucket names)',
      ],
    );
  });

  it('fails when the name prefix makes a bucket name longer than 63 characters', () => {
    const namePrefix = 'a'.repeat(39);
    expectConfigError(
      () => build(freshStack(), staging, { namePrefix }),
      [
        `stack/storage.namePrefix ${namePrefix} makes the bucket name ${namePrefix}-cloudfront-logs-<suffix> 64 characters long (S3 allows at most 63)`,
      ],
    );
  });

  it('fails when the suffix is not lowercase letters and digits', () => {
    expectConfigError(
      () => new Storage(freshStack(), 'storage', props(staging, 'AB_12')),
      ['stack/storage.suffix AB_12 must be lowercase letters and digits'],
    );
  });

  it('fails when a CORS origin is unresolved, malformed or repeated', () => {
    expectConfigError(
      () =>
        build(freshStack(), staging, {
          corsAllowedOrigins: [
            'cloudfront',
            'https://app.example.com/',
            'https://a.example.com',
            'https://a.example.com',
            'xhttps://b.example.com',
          ],
        }),
      [
        "stack/storage.corsAllowedOrigins[0] cloudfront must be resolved to the distribution's https:// origin before it reaches the module",
        'stack/storage.corsAllowedOrigins[1] https://app.example.com/ must be an origin like https://example.com (scheme and host, optional port, no path or trailing /)',
        'stack/storage.corsAllowedOrigins[4] xhttps://b.example.com must be an origin like https://example.com (scheme and host, optional port, no path or trailing /)',
        'stack/storage.corsAllowedOrigins[3] https://a.example.com is listed twice',
      ],
    );
  });

  it('takes an origin whose host is one letter or digit, with a port, and a wildcard subdomain', () => {
    const json = synthScope((scope) =>
      build(scope, stagingConfig(settings), {
        corsAllowedOrigins: ['http://a:8080', 'https://*.example.com'],
      }),
    );
    const [cors] = Object.values(resourcesOf(json, 'aws_s3_bucket_cors_configuration'));
    expect(cors.cors_rule[0].allowed_origins).toEqual(['http://a:8080', 'https://*.example.com']);
  });

  it('fails when lifecycle days are out of range, reporting them all at once', () => {
    expectConfigError(
      () =>
        build(freshStack(), staging, {
          tempExpireDays: 0,
          uploadsToGlacierDays: 1.5,
          renderedToGlacierIrDays: 4000,
          noncurrentExpireDays: -1,
          abortMultipartDays: 366,
          logsExpireDays: 0,
        }),
      [
        'stack/storage.tempExpireDays 0 must be an integer from 1 to 3650',
        'stack/storage.uploadsToGlacierDays 1.5 must be an integer from 1 to 3650',
        'stack/storage.renderedToGlacierIrDays 4000 must be an integer from 1 to 3650',
        'stack/storage.noncurrentExpireDays -1 must be an integer from 1 to 3650',
        'stack/storage.abortMultipartDays 366 must be an integer from 1 to 365',
        'stack/storage.logsExpireDays 0 must be an integer from 1 to 3650',
      ],
    );
  });

  it('fails when the access log prefix or the account id is malformed', () => {
    expectConfigError(
      () => build(freshStack(), staging, { accessLogsPrefix: '/logs/', accountId: '1234' }),
      [
        'stack/storage.accessLogsPrefix /logs/ must be an S3 key prefix ending in /',
        'stack/storage.accountId 1234 must be a 12-digit AWS account id',
      ],
    );
  });

  it('fails when an origin added later is malformed or already allowed', () => {
    const storage = build(freshStack(), staging);
    expectConfigError(
      () => storage.addCorsAllowedOrigin('ftp://files.example.com'),
      [
        'stack/storage.corsAllowedOrigins[2] ftp://files.example.com must be an origin like https://example.com (scheme and host, optional port, no path or trailing /)',
      ],
    );
    expectConfigError(
      () => storage.addCorsAllowedOrigin('http://localhost:3000'),
      ['stack/storage.corsAllowedOrigins[2] http://localhost:3000 is already allowed'],
    );
  });

  it('fails when * is given as an origin: the rule allows PUT, POST and DELETE', () => {
    expectConfigError(
      () => build(freshStack(), staging, { corsAllowedOrigins: ['*'] }),
      [
        'stack/storage.corsAllowedOrigins[0] * must name an origin, not *: the video bucket allows PUT, POST and DELETE from it',
      ],
    );
  });
});
