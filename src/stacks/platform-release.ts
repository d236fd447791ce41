/**
 * Releases of the API (split from platform-stack.ts): the CodeDeploy blue/green group gated by
 * the API's alarms, the test listener's way in from the VPC, and the secret-change redeploy that
 * goes through the same group. Constructs keep the stack's own scope, so their ids are stable.
 */
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { Peer } from '../lib/security-group';
import { ApiRelease } from '../modules/api-release';
import type { EcsApiService } from '../modules/ecs';
import type { ElasticacheRedis } from '../modules/elasticache';
import type { Monitoring } from '../modules/monitoring';
import type { RdsPostgres } from '../modules/rds';
import { RedeployOnSecretChange } from '../modules/redeploy-on-secret-change';
import type { Vpc } from '../modules/vpc';
import { accountIdOf } from './arn';

/** The API's alarms that stop a release and roll it back (5xx rate, p95 latency, unhealthy targets). */
export const RELEASE_ALARM_IDS = ['alb-5xx', 'alb-latency-p95', 'alb-unhealthy-targets'] as const;

export interface ReleaseWiring {
  readonly namePrefix: string;
  readonly region: string;
  readonly config: EnvironmentConfig;
  readonly network: Vpc;
  readonly api: EcsApiService;
  readonly monitoring: Monitoring;
  readonly database: RdsPostgres;
  readonly cache: ElasticacheRedis;
}

export function addApiRelease(
  scope: Construct,
  w: ReleaseWiring,
): { release: ApiRelease; redeploy: RedeployOnSecretChange } {
  const { api, config } = w;
  const accountId = accountIdOf(api.clusterArn);
  // The test listener serves the replacement tasks before any user does: inside the VPC only,
  // whether the ALB is internet-facing (staging) or internal (production).
  api.allowToAlb(
    Peer.ipv4(w.network.vpcCidr, 'vpc'),
    api.testListenerPort,
    'Blue/green test listener, from inside the VPC only',
  );
  const canary = config.api.release.canaryPercent;
  const release = new ApiRelease(scope, 'api-release', {
    namePrefix: w.namePrefix,
    region: w.region,
    accountId,
    clusterName: api.clusterName,
    serviceName: api.serviceName,
    productionListenerArn: api.servingListener.arn,
    testListenerArn: api.testListener.arn,
    blueTargetGroupName: api.targetGroup.name,
    greenTargetGroupName: api.greenTargetGroup.name,
    alarmNames: RELEASE_ALARM_IDS.map((id) => w.monitoring.alarms[id].alarmName),
    canary:
      canary > 0 ? { percentage: canary, intervalMinutes: config.api.release.canaryMinutes } : undefined,
    terminationWaitMinutes: config.api.release.terminationWaitMinutes,
  });
  const redeploy = new RedeployOnSecretChange(scope, 'api-redeploy', {
    namePrefix: w.namePrefix,
    cluster: api.clusterArn,
    serviceName: api.serviceName,
    serviceArn: api.service.id,
    codedeployApplication: release.applicationName,
    codedeployDeploymentGroup: release.deploymentGroupName,
    deploymentGroupArn: release.deploymentGroupArn,
    deploymentConfigArn: release.deploymentConfigArn,
    applicationArn: release.applicationArn,
    containerName: api.containerName,
    containerPort: api.containerPort,
    rotatedSecretArns: [w.database.masterUserSecretArn],
    updatedSecretArns: [w.cache.redisUrlSecretArn, api.secretKeySecretArn],
    logRetentionDays: config.api.logRetentionDays,
  });
  return { release, redeploy };
}
