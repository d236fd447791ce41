import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Testing } from 'cdktf';
import { buildTestApp, synthStack } from './support/app';
import { onlyResource } from './support/synth';

describe('state-backend stack', () => {
  const json = synthStack('state-backend');
  const raw = JSON.stringify(json);

  it('keeps its own state locally', () => {
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.state-backend.tfstate' } });
  });

  it('creates a versioned, encrypted, private, owner-enforced state bucket that cannot be destroyed', () => {
    const bucket = onlyResource(json, 'aws_s3_bucket');
    expect(bucket.bucket).toBe('ecg-video-pipeline-tfstate');
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
    expect(raw).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: 'Enabled' },
    });
    expect(raw).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(raw).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
    const sse = onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration');
    expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
  });

  it('denies every non-TLS request in the bucket policy', () => {
    const policy = JSON.parse(onlyResource(json, 'aws_s3_bucket_policy').policy);
    const bucketName = Object.keys(json.resource.aws_s3_bucket)[0];
    expect(policy.Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`\${aws_s3_bucket.${bucketName}.arn}`, `\${aws_s3_bucket.${bucketName}.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('expires noncurrent state versions after 90 days', () => {
    const rules = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rules).toEqual([
      expect.objectContaining({
        status: 'Enabled',
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }),
    ]);
  });

  it('creates the lock table with LockID, on demand, PITR, SSE and deletion protection', () => {
    expect(raw).toHaveResourceWithProperties(DynamodbTable, {
      name: 'ecg-video-pipeline-tflock',
      hash_key: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      billing_mode: 'PAY_PER_REQUEST',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('outputs the bucket and table names and ARNs', () => {
    expect(Object.keys(json.output).sort()).toEqual([
      'lock_table_arn',
      'lock_table_name',
      'state_bucket_arn',
      'state_bucket_name',
    ]);
  });

  it('names the bucket and table from settings', () => {
    const built = buildTestApp({ ECG_STATE_BUCKET: 'acme-tfstate-123', ECG_LOCK_TABLE: 'acme-locks' });
    const custom = JSON.parse(Testing.synth(built.stateBackend));
    expect(onlyResource(custom, 'aws_s3_bucket').bucket).toBe('acme-tfstate-123');
    expect(onlyResource(custom, 'aws_dynamodb_table').name).toBe('acme-locks');
  });
});
