import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { SecureBucket } from '../../src/lib/secure-bucket';
import { BucketReplication } from '../../src/modules/bucket-replication';
import { RdsBackupReplication } from '../../src/modules/rds-backup-replication';
import { RedeployOnSecretChange } from '../../src/modules/redeploy-on-secret-change';
import type { ScopedPlan } from '../support/plan-scope';

const ACCOUNT = '123456789012';

/**
 * The disaster-recovery and rotation modules of production: a video bucket replicated to
 * us-west-2 with RTC, RDS backups replicated there with their key, and the redeploy chain (its
 * cluster ARN is unknown until apply, as in the stack, so the provider validates the state
 * machine's definition at apply rather than in this offline plan).
 */
export function build(scope: Construct): void {
  const dr = new AwsProvider(scope, 'aws-dr', { alias: 'dr', region: 'us-west-2' });
  const source = new SecureBucket(scope, 'video', { bucketName: 'ecg-variant-video-source' });
  new BucketReplication(scope, 'video-replication', {
    namePrefix: 'ecg-variant',
    suffix: 'abcd1234',
    source,
    replicaProvider: dr,
    replicaRegion: 'us-west-2',
    replicationTimeControl: true,
    accessLogsExpireDays: 90,
    lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentExpireDays: 30 }],
  });
  new RdsBackupReplication(scope, 'backups', {
    namePrefix: 'ecg-variant',
    sourceDbInstanceArn: `arn:aws:rds:ap-northeast-2:${ACCOUNT}:db:ecg-variant-postgres`,
    accountId: ACCOUNT,
    destinationProvider: dr,
    destinationRegion: 'us-west-2',
  });
  const cluster = new EcsCluster(scope, 'cluster', { name: 'ecg-variant' });
  new RedeployOnSecretChange(scope, 'redeploy', {
    namePrefix: 'ecg-variant',
    cluster: cluster.arn,
    serviceName: 'ecg-variant-api',
    serviceArn: `arn:aws:ecs:ap-northeast-2:${ACCOUNT}:service/ecg-variant/ecg-variant-api`,
    codedeployApplication: 'ecg-variant-api',
    codedeployDeploymentGroup: 'ecg-variant-api',
    deploymentGroupArn: `arn:aws:codedeploy:ap-northeast-2:${ACCOUNT}:deploymentgroup:ecg-variant-api/ecg-variant-api`,
    deploymentConfigArn: `arn:aws:codedeploy:ap-northeast-2:${ACCOUNT}:deploymentconfig:CodeDeployDefault.ECSAllAtOnce`,
    applicationArn: `arn:aws:codedeploy:ap-northeast-2:${ACCOUNT}:application:ecg-variant-api`,
    containerName: 'api',
    containerPort: 8000,
    rotatedSecretArns: [`arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:rds!db-1-AbCdEf`],
    updatedSecretArns: [`arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:redis-url-AbCdEf`],
  });
}

/** Plans cleanly with hashicorp/aws 5.100.0 (the second-region alias included): only additions. */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toMatchObject({
    aws_s3_bucket: 3,
    aws_s3_bucket_replication_configuration: 1,
    aws_db_instance_automated_backups_replication: 1,
    aws_kms_key: 1,
    aws_kms_alias: 1,
    aws_sfn_state_machine: 1,
    aws_cloudwatch_event_rule: 2,
    aws_cloudwatch_event_target: 2,
    aws_iam_role: 3,
  });
  expect([result.change, result.destroy]).toEqual([0, 0]);
}
