import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Fn, type TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { SecureBucket } from '../../src/lib/secure-bucket';
import { s3PublicAccessBlock } from '../../src/policies/rules/s3-01-public-access-block';
import { s3Versioning } from '../../src/policies/rules/s3-02-versioning';
import { s3Encryption } from '../../src/policies/rules/s3-03-encryption';
import { s3AccessLogging } from '../../src/policies/rules/s3-04-access-logging';
import { s3TlsOnly } from '../../src/policies/rules/s3-05-tls-only';
import { s3Ownership } from '../../src/policies/rules/s3-06-ownership';
import { s3NoPublicPrincipal } from '../../src/policies/rules/s3-07-no-public-principal';
import { s3Lifecycle } from '../../src/policies/rules/s3-08-lifecycle';
import { findingsOf, fixture, resultOf, rulesOf } from './support';

type Parts = Record<string, TerraformResource>;

function tlsOnly(bucket: S3Bucket) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket.arn, `${bucket.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

/** A compliant data bucket `data` logging into a compliant log bucket `logs`; `tweak` breaks one thing. */
function buckets(tweak: (parts: Parts, scope: Construct) => void = () => {}) {
  return fixture((scope) => {
    const parts: Parts = {};
    for (const id of ['data', 'logs']) {
      const bucket = new S3Bucket(scope, id, { bucket: `${id}-bucket` });
      parts[id] = bucket;
      parts[`${id}-pab`] = new S3BucketPublicAccessBlock(scope, `${id}-pab`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      parts[`${id}-ownership`] = new S3BucketOwnershipControls(scope, `${id}-ownership`, {
        bucket: bucket.id,
        rule: { objectOwnership: 'BucketOwnerEnforced' },
      });
      parts[`${id}-sse`] = new S3BucketServerSideEncryptionConfigurationA(scope, `${id}-sse`, {
        bucket: bucket.id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      });
      parts[`${id}-policy`] = new S3BucketPolicy(scope, `${id}-policy`, {
        bucket: bucket.id,
        policy: tlsOnly(bucket),
      });
      parts[`${id}-lifecycle`] = new S3BucketLifecycleConfiguration(scope, `${id}-lifecycle`, {
        bucket: bucket.id,
        rule: [
          { id: 'temp', status: 'Enabled', filter: [{ prefix: 'temp/' }], expiration: [{ days: 1 }] },
          {
            id: 'all',
            status: 'Enabled',
            filter: [{}],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
      });
    }
    parts['data-versioning'] = new S3BucketVersioningA(scope, 'data-versioning', {
      bucket: parts.data.getStringAttribute('id'),
      versioningConfiguration: { status: 'Enabled' },
    });
    parts['data-logging'] = new S3BucketLoggingA(scope, 'data-logging', {
      bucket: parts.data.getStringAttribute('id'),
      targetBucket: parts.logs.getStringAttribute('id'),
      targetPrefix: 's3-access-logs/',
    });
    tweak(parts, scope);
  });
}

const S3_RULES = rulesOf('ECG-S3');

describe('S3 rules', () => {
  const compliant = buckets();

  it.each(S3_RULES.map((r) => [r.id, r]))(
    '%s passes a compliant data bucket and its log bucket',
    (_id, rule) => {
      expect(resultOf(rule, compliant, 'production')).toMatchObject({ status: 'pass', findings: [] });
    },
  );

  it('passes every S3 rule for the house SecureBucket with a multipart-abort lifecycle rule', () => {
    const json = fixture((scope) => {
      new SecureBucket(scope, 'state', {
        bucketName: 'state',
        lifecycleRules: [{ id: 'all', abortMultipartDays: 7 }],
      });
    });
    for (const rule of S3_RULES.filter((r) => r.id !== 'ECG-S3-04')) {
      expect(findingsOf(rule, json)).toEqual([]);
    }
  });

  it('ECG-S3-01 fails a bucket without a public access block, and a block with flags off', () => {
    const json = buckets((p) => {
      p['data-pab'].addOverride('bucket', 'some-other-bucket');
      p['logs-pab'].addOverride('block_public_policy', false);
      p['logs-pab'].addOverride('restrict_public_buckets', false);
    });
    expect(findingsOf(s3PublicAccessBlock, json)).toEqual([
      'ECG-S3-01 aws_s3_bucket.data: has no aws_s3_bucket_public_access_block',
      'ECG-S3-01 aws_s3_bucket_public_access_block.logs-pab: leaves block_public_policy, restrict_public_buckets off (all four must be true)',
    ]);
  });

  it('ECG-S3-01 fails a bucket with two public access blocks', () => {
    const json = buckets((p, scope) => {
      new S3BucketPublicAccessBlock(scope, 'second-pab', {
        bucket: p.data.getStringAttribute('bucket'),
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    });
    expect(findingsOf(s3PublicAccessBlock, json)).toEqual([
      'ECG-S3-01 aws_s3_bucket.data: has 2 public access blocks (aws_s3_bucket_public_access_block.data-pab, aws_s3_bucket_public_access_block.second-pab); exactly one expected',
    ]);
  });

  it('ECG-S3-02 fails an unversioned data bucket and a suspended configuration, not the log bucket', () => {
    expect(
      findingsOf(
        s3Versioning,
        buckets((p) => p['data-versioning'].addOverride('versioning_configuration.status', 'Suspended')),
      ),
    ).toEqual([
      'ECG-S3-02 aws_s3_bucket_versioning.data-versioning: versioning status is "Suspended" (must be "Enabled")',
    ]);
    expect(
      findingsOf(
        s3Versioning,
        buckets((p) => p['data-versioning'].addOverride('bucket', 'elsewhere')),
      ),
    ).toEqual([
      'ECG-S3-02 aws_s3_bucket.data: has no aws_s3_bucket_versioning (data buckets must keep versions)',
    ]);
  });

  it('ECG-S3-03 fails a bucket without encryption configuration or default algorithm', () => {
    const json = buckets((p) => {
      p['data-sse'].addOverride('bucket', 'elsewhere');
      p['logs-sse'].addOverride('rule.0.apply_server_side_encryption_by_default.sse_algorithm', 'none');
    });
    expect(findingsOf(s3Encryption, json)).toEqual([
      'ECG-S3-03 aws_s3_bucket.data: has no aws_s3_bucket_server_side_encryption_configuration',
      'ECG-S3-03 aws_s3_bucket_server_side_encryption_configuration.logs-sse: sets no default sse_algorithm (AES256, aws:kms, aws:kms:dsse)',
    ]);
  });

  it('ECG-S3-04 fails a data bucket without access logging in production only, and a bucket logging into itself', () => {
    const unlogged = buckets((p) => p['data-logging'].addOverride('bucket', 'elsewhere'));
    expect(findingsOf(s3AccessLogging, unlogged, 'production')).toEqual([
      'ECG-S3-04 aws_s3_bucket.data: has no aws_s3_bucket_logging (server access logs required in production)',
    ]);
    expect(resultOf(s3AccessLogging, unlogged, 'staging')).toMatchObject({
      status: 'not-applicable',
      detail: 'production only',
    });
    const self = buckets((p) =>
      p['data-logging'].addOverride('target_bucket', p.data.getStringAttribute('id')),
    );
    expect(findingsOf(s3AccessLogging, self, 'production')).toEqual([
      'ECG-S3-04 aws_s3_bucket_logging.data-logging: writes access logs into the bucket it logs',
      // `logs` no longer receives logs, so it is a data bucket without logging of its own.
      'ECG-S3-04 aws_s3_bucket.logs: has no aws_s3_bucket_logging (server access logs required in production)',
    ]);
  });

  it('ECG-S3-05 fails a bucket without policy, a policy without the TLS deny, and an unreadable policy', () => {
    const json = buckets((p) => {
      p['data-policy'].addOverride('bucket', 'elsewhere');
      p['logs-policy'].addOverride(
        'policy',
        JSON.stringify({
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: `${p.logs.getStringAttribute('arn')}/*`,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        }),
      );
    });
    expect(findingsOf(s3TlsOnly, json)).toEqual([
      'ECG-S3-05 aws_s3_bucket.data: has no bucket policy denying requests without TLS',
      'ECG-S3-05 aws_s3_bucket_policy.logs-policy: policy does not deny s3:* on the bucket and its objects (/*) when aws:SecureTransport is false',
    ]);
    const unreadable = buckets((p) => p['data-policy'].addOverride('policy', '${file("policy.json")}'));
    expect(findingsOf(s3TlsOnly, unreadable)).toEqual([
      'ECG-S3-05 aws_s3_bucket_policy.data-policy: has a policy document that cannot be parsed',
    ]);
  });

  it('ECG-S3-05 reads a policy written with Fn.jsonencode', () => {
    const json = buckets((p) => {
      const bucket = p.data as S3Bucket;
      p['data-policy'].addOverride(
        'policy',
        Fn.jsonencode({
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['s3:*'],
              Resource: [bucket.arn, `${bucket.arn}/*`],
              Condition: { Bool: { 'aws:SecureTransport': false } },
            },
          ],
        }),
      );
    });
    expect(findingsOf(s3TlsOnly, json)).toEqual([]);
  });

  it('ECG-S3-06 fails a bucket without ownership controls and ACLs enabled outside a CloudFront log bucket', () => {
    const json = buckets((p) => {
      p['data-ownership'].addOverride('bucket', 'elsewhere');
      p['logs-ownership'].addOverride('rule.object_ownership', 'BucketOwnerPreferred');
    });
    expect(findingsOf(s3Ownership, json)).toEqual([
      'ECG-S3-06 aws_s3_bucket.data: has no aws_s3_bucket_ownership_controls (BucketOwnerEnforced expected)',
      'ECG-S3-06 aws_s3_bucket_ownership_controls.logs-ownership: object_ownership is "BucketOwnerPreferred" (must be BucketOwnerEnforced; BucketOwnerPreferred only for a CloudFront log bucket)',
    ]);
  });

  it('ECG-S3-06 lets the CloudFront standard-logging bucket use BucketOwnerPreferred', () => {
    const json = buckets((p, scope) => {
      p['logs-ownership'].addOverride('rule.object_ownership', 'BucketOwnerPreferred');
      new CloudfrontDistribution(scope, 'cdn', {
        enabled: true,
        origin: [
          {
            domainName: 'example.com',
            originId: 'x',
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: 'https-only',
              originSslProtocols: ['TLSv1.2'],
            },
          },
        ],
        defaultCacheBehavior: {
          allowedMethods: ['GET', 'HEAD'],
          cachedMethods: ['GET', 'HEAD'],
          targetOriginId: 'x',
          viewerProtocolPolicy: 'redirect-to-https',
        },
        restrictions: { geoRestriction: { restrictionType: 'none' } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
        loggingConfig: { bucket: (p.logs as S3Bucket).bucketDomainName },
      });
    });
    expect(findingsOf(s3Ownership, json)).toEqual([]);
  });

  it('ECG-S3-07 fails an Allow to Principal "*"', () => {
    const json = buckets((p) => {
      const bucket = p.data as S3Bucket;
      p['data-policy'].addOverride(
        'policy',
        JSON.stringify({
          Statement: [
            {
              Sid: 'Public',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 's3:GetObject',
              Resource: `${bucket.arn}/*`,
            },
          ],
        }),
      );
    });
    expect(findingsOf(s3NoPublicPrincipal, json)).toEqual([
      'ECG-S3-07 aws_s3_bucket_policy.data-policy: statement Public allows Principal "*"',
    ]);
  });

  it('ECG-S3-08 fails a bucket without lifecycle and one whose multipart abort is limited to a prefix', () => {
    const json = buckets((p) => {
      p['data-lifecycle'].addOverride('bucket', 'elsewhere');
      p['logs-lifecycle'].addOverride('rule.1.filter', [{ prefix: 'temp/' }]);
    });
    expect(findingsOf(s3Lifecycle, json)).toEqual([
      'ECG-S3-08 aws_s3_bucket.data: has no aws_s3_bucket_lifecycle_configuration with an enabled rule',
      'ECG-S3-08 aws_s3_bucket.logs: has no enabled whole-bucket lifecycle rule that aborts incomplete multipart uploads',
    ]);
  });

  it('covers scanner-anchor rows 1-8, the S3 rows, one rule each', () => {
    expect(S3_RULES.map((r) => r.anchor)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
