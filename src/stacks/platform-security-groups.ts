/**
 * The security-group table of docs/design.md (split from platform-stack.ts), expressed through
 * the owners' allowFrom / allowTo: each rule lives in its owner's scope, as it always did.
 */
import type { EnvironmentConfig } from '../config';
import { Peer } from '../lib/security-group';
import type { GpuFleet } from '../modules/ec2-gpu';
import type { EcsApiService } from '../modules/ecs';
import type { ElasticacheRedis } from '../modules/elasticache';
import type { RdsPostgres } from '../modules/rds';

/** The owners of the security groups the table connects. */
export interface SecurityGroupOwners {
  readonly api: EcsApiService;
  readonly modelServer: GpuFleet;
  readonly renderWorker: GpuFleet;
  readonly database: RdsPostgres;
  readonly cache: ElasticacheRedis;
}

/** Every rule between the platform's security groups, on the environment's ports. */
export function wireSecurityGroups(
  o: SecurityGroupOwners,
  ports: EnvironmentConfig['security']['ports'],
): void {
  const api = Peer.securityGroup(o.api.apiSecurityGroupId, 'api');
  const model = Peer.securityGroup(o.modelServer.securityGroupId, 'model');
  const render = Peer.securityGroup(o.renderWorker.securityGroupId, 'render');
  const db = Peer.securityGroup(o.database.securityGroupId, 'db');
  const cache = Peer.securityGroup(o.cache.securityGroupId, 'cache');
  const modelLb = Peer.securityGroup(o.modelServer.endpointSecurityGroupId, 'model-lb');

  o.api.allowFrom(model, ports.api, 'Callbacks from the model servers');
  o.api.allowTo(Peer.anyIpv4(), ports.https, 'HTTPS to AWS APIs, ECR and external services');
  o.api.allowTo(db, ports.postgres, 'PostgreSQL');
  o.api.allowTo(cache, ports.redis, 'Redis');
  o.api.allowTo(modelLb, ports.modelServer, 'Model server load balancer');
  o.api.allowTo(render, ports.renderWorker, 'Render workers');

  o.modelServer.allowClientsFrom(api, 'Inference requests from the API');
  o.renderWorker.allowFrom(api, ports.renderWorker, 'Render requests from the API');
  o.database.allowFrom(api, ports.postgres, 'PostgreSQL from the API');
  o.cache.allowFrom(api, ports.redis, 'Redis from the API');
  o.cache.allowFrom(render, ports.redis, 'Redis (Celery broker) from the render workers');
}
