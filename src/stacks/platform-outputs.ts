/**
 * The outputs of a platform stack (split from platform-stack.ts): declared in the stack's own
 * scope, so every output keeps its name.
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { BucketReplication } from '../modules/bucket-replication';
import type { Cloudfront } from '../modules/cloudfront';
import type { GpuFleet } from '../modules/ec2-gpu';
import type { EcrRepositories } from '../modules/ecr';
import type { EcsApiService } from '../modules/ecs';
import type { ElasticacheRedis } from '../modules/elasticache';
import type { GithubOidc } from '../modules/github-oidc';
import type { Monitoring } from '../modules/monitoring';
import type { RdsBackupReplication } from '../modules/rds-backup-replication';
import type { RdsPostgres } from '../modules/rds';
import type { RedeployOnSecretChange } from '../modules/redeploy-on-secret-change';
import type { ApiRelease } from '../modules/api-release';
import type { Storage } from '../modules/storage';
import type { Vpc } from '../modules/vpc';

/** The parts of an environment its outputs name. */
export interface OutputSources {
  readonly config: EnvironmentConfig;
  readonly network: Vpc;
  readonly storage: Storage;
  readonly ecr: EcrRepositories;
  readonly database: RdsPostgres;
  readonly cache: ElasticacheRedis;
  readonly modelServer: GpuFleet;
  readonly api: EcsApiService;
  readonly cdn: Cloudfront;
  readonly monitoring: Monitoring;
  readonly apiRedeploy: RedeployOnSecretChange;
  readonly apiRelease: ApiRelease;
  readonly githubOidc?: GithubOidc;
  readonly videoReplication?: BucketReplication;
  readonly databaseBackupReplication?: RdsBackupReplication;
}

/** The outputs users script against (docs/design.md, Outputs). */
export function declareOutputs(scope: Construct, s: OutputSources): void {
  const out = (name: string, value: string, description: string) =>
    new TerraformOutput(scope, name, { value, description });
  out('cloudfront_url', s.cdn.url, 'HTTPS URL of the CloudFront distribution (frontend, /api/*, /videos/*)');
  out(
    'cloudfront_distribution_id',
    s.cdn.distributionId,
    'CloudFront distribution id, for cache invalidations',
  );
  if (s.api.albInternal) {
    out(
      'alb_dns_name',
      s.api.albDnsName,
      'DNS name of the internal API load balancer (private addresses: reachable inside the VPC only)',
    );
    // With a domain, the API answers on it only: its certificate covers the name viewers send.
    const site = s.config.edge.domainName ? `https://${s.config.edge.domainName}` : s.cdn.url;
    out('api_url', `${site}/api`, 'URL of the API, through CloudFront (the load balancer is internal)');
  } else {
    out('alb_dns_name', s.api.albDnsName, 'DNS name of the API load balancer');
    out(
      'api_url',
      `http://${s.api.albDnsName}`,
      'Direct URL of the API load balancer (production answers only CloudFront)',
    );
  }
  out('s3_video_storage_bucket', s.storage.videoBucketName, 'Video storage bucket');
  out('s3_frontend_bucket_name', s.storage.frontendBucketName, 'Frontend (Next.js static export) bucket');
  out('s3_cloudfront_logs_bucket', s.storage.logsBucketName, 'CloudFront and access-log bucket');
  for (const [name, repository] of Object.entries(s.ecr.repositories)) {
    out(
      `ecr_${name.replace(/-/g, '_')}_repository_url`,
      repository.repositoryUrl,
      `ECR repository URL of ${name}`,
    );
  }
  out('ecs_cluster_name', s.api.clusterName, 'ECS cluster name');
  out('ecs_service_name', s.api.serviceName, 'ECS service name of the API');
  out(
    'model_server_url',
    s.modelServer.url as string,
    "Internal URL of the model servers (the API's MODEL_SERVER_URL)",
  );
  out('rds_endpoint', s.database.endpoint, 'PostgreSQL endpoint (host:port)');
  out(
    'rds_master_secret_arn',
    s.database.masterUserSecretArn,
    'Secrets Manager secret holding the RDS-managed master password',
  );
  out('redis_endpoint', s.cache.primaryEndpoint, 'Redis primary endpoint');
  // What a release (aws deploy create-deployment with an AppSpec) names: docs/design.md, Releases.
  out('api_codedeploy_application', s.apiRelease.applicationName, 'CodeDeploy application of the API');
  out(
    'api_codedeploy_deployment_group',
    s.apiRelease.deploymentGroupName,
    'CodeDeploy deployment group that releases the API (blue/green, rolls back on the API alarms)',
  );
  out(
    'api_task_definition_arn',
    s.api.taskDefinitionArn,
    "Latest API task definition revision Terraform registered: the AppSpec's TaskDefinition",
  );
  out(
    'api_container_name',
    s.api.containerName,
    "Container behind the API target groups (AppSpec's ContainerName)",
  );
  new TerraformOutput(scope, 'api_container_port', {
    value: s.api.containerPort,
    description: "Port of that container (AppSpec's ContainerPort)",
  });
  // The revision argument of `aws deploy create-deployment --revision`, ready to pass: the README's
  // manual release uses it, so nobody hand-writes AppSpec JSON in a shell. Built as a string, not
  // with Terraform's jsonencode, which would write the AppSpec's version 0.0 as 0.
  const appSpec =
    '{"version":0.0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service","Properties":' +
    `{"TaskDefinition":"${s.api.taskDefinitionArn}","LoadBalancerInfo":` +
    `{"ContainerName":"${s.api.containerName}","ContainerPort":${s.api.containerPort}}}}}]}`;
  out(
    'api_release_revision',
    JSON.stringify({ revisionType: 'AppSpecContent', appSpecContent: { content: appSpec } }),
    'CodeDeploy revision (AppSpec content) that releases api_task_definition_arn: aws deploy create-deployment --revision',
  );
  out(
    'api_redeploy_state_machine_arn',
    s.apiRedeploy.stateMachineArn,
    'State machine that releases the running API revision again after a secret change (start it by hand after a manual change)',
  );
  if (s.videoReplication) {
    out(
      's3_video_replica_bucket',
      s.videoReplication.replicaBucketName,
      'Cross-region replica of the video bucket',
    );
  }
  if (s.databaseBackupReplication) {
    out(
      'rds_backup_replica_kms_key_arn',
      s.databaseBackupReplication.keyArn,
      'KMS key of the RDS automated backups replicated to the second region',
    );
  }
  out('vpc_id', s.network.vpcId, 'VPC id');
  out('alarm_topic_arn', s.monitoring.topicArn, 'SNS topic of the alarms');
  if (s.githubOidc) {
    out(
      'github_app_deploy_role_arn',
      s.githubOidc.appDeployRoleArn,
      'Role GitHub Actions assumes to push images and roll the service',
    );
    out(
      'github_infra_deploy_role_arn',
      s.githubOidc.infraDeployRoleArn,
      'Role GitHub Actions assumes to deploy this stack',
    );
  }
}
