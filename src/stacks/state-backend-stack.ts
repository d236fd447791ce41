import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { ProjectSettings } from '../config';
import { SecureBucket } from '../lib/secure-bucket';
import { defaultTags } from '../lib/naming';
import { applyPolicyPack } from '../policies';
import { applyStackBaseline } from './baseline';
import { StandaloneStack } from './standalone-stack';

export interface StateBackendStackProps {
  readonly settings: ProjectSettings;
}

/**
 * The bootstrap stack: the S3 state bucket and DynamoDB lock table the platform stacks' S3
 * backends use. Its own state is local (it cannot live in a bucket it creates); README.md says
 * how to migrate it into the bucket afterwards.
 */
export class StateBackendStack extends StandaloneStack {
  public readonly stateBucket: SecureBucket;
  public readonly lockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBackendStackProps) {
    super(scope, id);
    const { settings } = props;
    applyStackBaseline(this);

    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new AwsProvider(this, 'aws', {
      region: settings.region,
      defaultTags: [{ tags: defaultTags(settings.project, 'shared') }],
    });

    this.stateBucket = new SecureBucket(this, 'state-bucket', {
      bucketName: settings.stateBucket,
      versioned: true,
      preventDestroy: true,
      lifecycleRules: [{ id: 'noncurrent-versions', noncurrentExpireDays: 90, abortMultipartDays: 7 }],
    });

    this.lockTable = new DynamodbTable(this, 'lock-table', {
      name: settings.lockTable,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });

    applyPolicyPack(this, { environment: 'shared' });

    new TerraformOutput(this, 'state_bucket_name', {
      value: this.stateBucket.bucketName,
      description: "S3 bucket holding the platform stacks' Terraform state",
    });
    new TerraformOutput(this, 'state_bucket_arn', {
      value: this.stateBucket.bucketArn,
      description: 'ARN of the state bucket',
    });
    new TerraformOutput(this, 'lock_table_name', {
      value: this.lockTable.name,
      description: 'DynamoDB table used for Terraform state locking',
    });
    new TerraformOutput(this, 'lock_table_arn', {
      value: this.lockTable.arn,
      description: 'ARN of the lock table',
    });
  }
}
