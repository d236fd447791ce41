import { productionConfig, stagingConfig } from '../src/config';
import { MODULE_CONFIG_SOURCES } from '../src/stacks/platform-stack';
import { environmentFieldPaths } from '../src/tools/config-docs';
import { toConfigPath } from '../src/tools/synth-command';

// A module's problem is reported under the config field a user edits (src/stacks/
// platform-config-sources.ts); a field that does not exist would fall back to the construct path
// without a word, so each one must be a field docs/configuration.md lists, or a section of them.
const FIELDS = environmentFieldPaths();

function documented(field: string): boolean {
  return FIELDS.some(
    (path) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[]`),
  );
}

describe('the config fields behind module props', () => {
  it('knows a field, an optional one, a list and a section; not a made-up one or a part of a name', () => {
    expect(documented('gpu.renderWorker.count.max')).toBe(true);
    expect(documented('alb.certificateArn')).toBe(true);
    expect(documented('gpu.renderWorker.scaling.brokerTransportOptions.prioritySteps')).toBe(true);
    expect(documented('gpu.renderWorker.scaling')).toBe(true);
    expect(documented('gpu.renderWorker.count.maximum')).toBe(false);
    expect(documented('gpu.renderWorker.count.ma')).toBe(false);
    expect(documented('')).toBe(false);
    expect(documented('alb..certificateArn')).toBe(false);
  });

  it.each(Object.entries(MODULE_CONFIG_SOURCES))(
    '%s: every field named is a field of the environment',
    (_, source) => {
      expect(documented(source.config), source.config).toBe(true);
      for (const [prop, field] of Object.entries(source.props ?? {})) {
        expect(documented(field), `${prop}: ${field}`).toBe(true);
      }
    },
  );
});

describe('module problems name the config field', () => {
  const environments = [
    stagingConfig({ region: 'ap-northeast-2' }),
    productionConfig({ region: 'ap-northeast-2' }),
  ];

  it.each([
    ['staging/render-worker.maxSize', 'staging.gpu.renderWorker.count.max'],
    ['production/model-server.instanceType', 'production.gpu.modelServer.instanceType'],
    ['production/monitoring.thresholds.ecsCpuPercent', 'production.monitoring.ecsCpuPercent'],
    ['staging/api.desiredCount', 'staging.api.count.desired'],
    ['staging/api.sslPolicy', 'staging.alb.sslPolicy'],
    ['production/database.port', 'production.security.ports.postgres'],
    [
      'staging/queue-depth-publisher.prioritySteps[1]',
      'staging.gpu.renderWorker.scaling.brokerTransportOptions.prioritySteps[1]',
    ],
    ['production/queue-depth-publisher.queues', 'production.gpu.renderWorker.scaling.queues'],
    ['staging/cache.port', 'staging.security.ports.redis'],
    ['production/model-server.minSize', 'production.gpu.modelServer.count.min'],
    ['production/cdn.originSecretHeader', 'production.alb.requireOriginHeader'],
    ['production/video-replication.preventDestroy', 'production.storage.preventDestroy'],
    [
      'production/database-backup-replication.retentionDays',
      'production.database.backupReplicaRetentionDays',
    ],
    ['staging/api-release.canary', 'staging.api.release.canaryPercent'],
  ])('%s -> %s', (path, field) => {
    expect(toConfigPath({ path, value: 0, rule: 'r' }, environments).path).toBe(field);
  });

  it('keeps the construct path of a prop the stack wires itself, and says so', () => {
    const issue = toConfigPath(
      { path: 'staging/render-worker.videoBucketArn', value: 'x', rule: 'r' },
      environments,
    );
    expect(issue.path).toBe('staging/render-worker.videoBucketArn');
    expect(issue.rule).toContain('src/stacks/platform-stack.ts');
  });
});
