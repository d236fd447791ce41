import { Fn, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { productionConfig, resolveSettings, stagingConfig, type EnvironmentConfig } from '../../src/config';
import { Peer } from '../../src/lib/security-group';
import { EcsApiService, type EcsApiServiceProps } from '../../src/modules/ecs';
import type { ScopedPlan } from '../support/plan-scope';
import type { Json } from '../support/synth';

export const settings = resolveSettings({ context: () => undefined, env: {} });
export const RDS_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-0a1b2c-AbCdEf';
export const REDIS_SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:ecg-redis-url-AbCdEf';
export const CERT =
  'arn:aws:acm:ap-northeast-2:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
export const VIDEO_BUCKET = 'arn:aws:s3:::ecg-video-pipeline-video-storage-1a2b3c4d';

/** Maps an environment preset onto the module's props, as the platform stack does. */
export function propsFor(
  cfg: EnvironmentConfig,
  extra: Partial<EcsApiServiceProps> = {},
): EcsApiServiceProps {
  const { api, alb } = cfg;
  return {
    namePrefix: `${settings.project}-${cfg.name}`,
    region: settings.region,
    vpcId: 'vpc-0123456789abcdef0',
    privateSubnetIds: ['subnet-private-a', 'subnet-private-c'],
    publicSubnetIds: ['subnet-public-a', 'subnet-public-c'],
    image: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/ecg-video-pipeline-api:1.0.0',
    cpu: api.cpu,
    memoryMiB: api.memoryMiB,
    containerName: api.containerName,
    containerPort: api.containerPort,
    healthCheck: api.healthCheck,
    logRetentionDays: api.logRetentionDays,
    desiredCount: api.count.desired,
    minCapacity: api.count.min,
    maxCapacity: api.count.max,
    cpuTargetPercent: api.cpuTargetPercent,
    memoryTargetPercent: api.memoryTargetPercent,
    deploymentMaximumPercent: api.deploymentMaximumPercent,
    deploymentMinimumHealthyPercent: api.deploymentMinimumHealthyPercent,
    healthCheckGracePeriodSeconds: api.healthCheckGracePeriodSeconds,
    environment: {
      AWS_DEFAULT_REGION: settings.region,
      S3_BUCKET_NAME: 'ecg-video-pipeline-video-storage-1a2b3c4d',
      MODEL_SERVER_URL: 'http://internal-model-lb.ap-northeast-2.elb.amazonaws.com:8080',
      DATABASE_HOST: 'db.abc.ap-northeast-2.rds.amazonaws.com',
      DATABASE_PORT: '5432',
      DATABASE_NAME: cfg.database.databaseName,
      DATABASE_USER: cfg.database.masterUsername,
    },
    secrets: [
      { name: 'DATABASE_PASSWORD', secretArn: RDS_SECRET, jsonKey: 'password' },
      { name: 'REDIS_URL', secretArn: REDIS_SECRET },
    ],
    videoBucketArn: VIDEO_BUCKET,
    sslPolicy: alb.sslPolicy,
    targetHealthCheck: alb.healthCheck,
    deletionProtection: alb.deletionProtection,
    idleTimeoutSeconds: alb.idleTimeoutSeconds,
    accessLogsBucket: alb.accessLogs ? 'ecg-video-pipeline-production-logs' : undefined,
    ...extra,
  };
}

/**
 * Both presets; the image comes from Terraform variables. Staging's public ALB requires the origin
 * header; production's ALB is internal, with HTTPS and 443 open to the VPC range only.
 */
export function build(scope: Construct): void {
  const image = new TerraformVariable(scope, 'api_image', { type: 'string', default: '' });
  const tag = new TerraformVariable(scope, 'api_image_tag', { type: 'string', default: 'latest' });
  const repository = '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/ecg-video-pipeline-api';
  // coalesce skips the empty override; cdktf's Op helpers render literal operands as `undefined`.
  const imageRef = Fn.coalesce([image.stringValue, `${repository}:${tag.stringValue}`]);
  const staging = new EcsApiService(
    scope,
    'staging-api',
    propsFor(stagingConfig(settings), { image: imageRef }),
  );
  staging.requireHeader('X-Origin-Verify', 'offline-plan-header-value');
  const prod = new EcsApiService(
    scope,
    'production-api',
    propsFor(productionConfig(settings), { image: imageRef, certificateArn: CERT, internalAlb: true }),
  );
  prod.allowToAlb(
    Peer.ipv4('10.0.0.0/16', 'vpc'),
    443,
    'CloudFront VPC origin (its interfaces are in the VPC)',
  );
}

/** Validates and plans both presets (image from Terraform variables, HTTPS, access logs, origin header). */
export function check(result: ScopedPlan): void {
  // hashicorp/random is not in the mirror: random_password is replaced by a literal for this plan.
  expect(result.substitutedRandom.every((a) => a.startsWith('random_password.'))).toBe(true);
  expect(result.resourceTypes).toMatchObject({
    aws_ecs_cluster: 2,
    aws_ecs_cluster_capacity_providers: 2,
    aws_ecs_task_definition: 2,
    aws_ecs_service: 2,
    aws_lb: 2,
    // Blue/green: each service has a blue and a green target group, and each ALB a test listener
    // besides its production listeners (HTTP, plus HTTPS in the certificate variant).
    aws_lb_target_group: 4,
    aws_lb_listener: 5,
    aws_lb_listener_rule: 1,
    aws_appautoscaling_target: 2,
    aws_appautoscaling_policy: 4,
    aws_iam_role: 4,
    aws_iam_role_policy: 4,
    aws_iam_role_policy_attachment: 2,
    aws_secretsmanager_secret: 2,
    aws_secretsmanager_secret_version: 2,
    aws_cloudwatch_log_group: 4,
    aws_security_group: 4,
  });
  const albs = (result.plan.resource_changes as Json[]).filter((rc) => rc.type === 'aws_lb');
  expect(albs.map((rc) => rc.change.after.drop_invalid_header_fields)).toEqual([true, true]);
  expect(albs.map((rc) => rc.change.after.enable_deletion_protection).sort()).toEqual([false, true]);
  expect(albs.map((rc) => rc.change.after.internal).sort()).toEqual([false, true]);
}
