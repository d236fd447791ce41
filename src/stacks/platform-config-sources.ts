/**
 * The config field behind each module's props (split from platform-stack.ts, which re-exports
 * it): bad-input reports name the field a user edits, not the module's prop.
 */

/** Where a module's props come from in the environment config. */
export interface ModuleConfigSource {
  /** The config section most props mirror by name. */
  readonly config: string;
  /** Props whose config field has another name or section (paths from the environment's root). */
  readonly props?: Readonly<Record<string, string>>;
}

const fleetCounts = (fleet: string) => ({
  minSize: `gpu.${fleet}.count.min`,
  desiredCapacity: `gpu.${fleet}.count.desired`,
  maxSize: `gpu.${fleet}.count.max`,
});

/**
 * The config fields behind each module (by construct id), so a module's own validation names the
 * field a user edits (`staging.gpu.renderWorker.count.max`, not `staging/render-worker.maxSize`).
 */
export const MODULE_CONFIG_SOURCES: Readonly<Record<string, ModuleConfigSource>> = {
  network: { config: 'network' },
  storage: { config: 'storage' },
  ecr: { config: 'ecr' },
  database: { config: 'database', props: { port: 'security.ports.postgres' } },
  cache: { config: 'cache', props: { port: 'security.ports.redis' } },
  'model-server': { config: 'gpu.modelServer', props: fleetCounts('modelServer') },
  'render-worker': { config: 'gpu.renderWorker', props: fleetCounts('renderWorker') },
  api: {
    config: 'api',
    props: {
      desiredCount: 'api.count.desired',
      minCapacity: 'api.count.min',
      maxCapacity: 'api.count.max',
      certificateArn: 'alb.certificateArn',
      sslPolicy: 'alb.sslPolicy',
      targetHealthCheck: 'alb.healthCheck',
      deletionProtection: 'alb.deletionProtection',
      idleTimeoutSeconds: 'alb.idleTimeoutSeconds',
      internalAlb: 'alb.internetFacing',
    },
  },
  cdn: {
    config: 'edge',
    props: {
      originSecretHeader: 'alb.requireOriginHeader',
      vpcOriginAlbArn: 'alb.internetFacing',
      albDnsName: 'alb.originDomainName',
      albOriginHttps: 'alb.certificateArn',
    },
  },
  monitoring: { config: 'monitoring', props: { thresholds: 'monitoring' } },
  'github-oidc': { config: 'cicd' },
  'video-replication': { config: 'storage', props: { preventDestroy: 'storage.preventDestroy' } },
  'database-backup-replication': {
    config: 'database',
    props: {
      destinationRegion: 'database.backupReplicaRegion',
      retentionDays: 'database.backupReplicaRetentionDays',
    },
  },
  'api-redeploy': { config: 'api' },
  'api-release': {
    config: 'api.release',
    props: {
      canary: 'api.release.canaryPercent',
      terminationWaitMinutes: 'api.release.terminationWaitMinutes',
    },
  },
  'queue-depth-publisher': {
    config: 'gpu.renderWorker.scaling',
    props: {
      prioritySteps: 'gpu.renderWorker.scaling.brokerTransportOptions.prioritySteps',
      sep: 'gpu.renderWorker.scaling.brokerTransportOptions.sep',
      globalKeyprefix: 'gpu.renderWorker.scaling.brokerTransportOptions.globalKeyprefix',
      unackedKey: 'gpu.renderWorker.scaling.brokerTransportOptions.unackedKey',
    },
  },
};
