import { productionConfig, stagingConfig } from '../src/config';
import { ENVIRONMENT_SCHEMA } from '../src/config/schema';
import { MODULE_CONFIG_SOURCES } from '../src/stacks/platform-stack';
import { toConfigPath } from '../src/tools/synth-command';

// A module's problem is reported under the config field a user edits (src/stacks/
// platform-config-sources.ts); a field that does not exist would fall back to the construct path
// without a word, so each one is checked against the environment schema.

/** What a valibot schema holds, as far as a path goes: entries, a wrapped schema, items, options. */
interface Node {
  readonly entries?: Readonly<Record<string, Node>>;
  readonly wrapped?: Node;
  readonly item?: Node;
  /** A variant's or union's schemas; a picklist's options are its values. */
  readonly options?: readonly unknown[];
}

const SCHEMA = ENVIRONMENT_SCHEMA as unknown as Node;

/**
 * True when `path` (`gpu.modelServer.count.min`, `a.list[1]`) names a field of `schema`: through
 * optional fields, list items and each option of a variant (the render fleet's `scaling`).
 */
function inSchema(schema: Node | undefined, path: string): boolean {
  const segments = path.split('.');
  if (!segments.every((segment) => /^[A-Za-z][A-Za-z0-9]*(\[\d+\])*$/.test(segment))) return false;
  return walk(
    schema,
    segments.flatMap((segment) => segment.split(/\[(\d+)\]/).filter((x) => x !== '')),
  );
}

function walk(node: Node | undefined, parts: string[]): boolean {
  if (node === undefined || parts.length === 0) return node !== undefined && parts.length === 0;
  if (node.wrapped) return walk(node.wrapped, parts);
  if (node.options)
    return node.options.some((option) => typeof option === 'object' && walk(option as Node, parts));
  const [part, ...rest] = parts;
  if (/^\d+$/.test(part)) return walk(node.item, rest);
  return walk(node.entries && Object.hasOwn(node.entries, part) ? node.entries[part] : undefined, rest);
}

describe('the config fields behind module props', () => {
  it('finds its own way through the schema: a field, an optional one, a list element; not a made-up one', () => {
    expect(inSchema(SCHEMA, 'gpu.renderWorker.count.max')).toBe(true);
    expect(inSchema(SCHEMA, 'alb.certificateArn')).toBe(true);
    expect(inSchema(SCHEMA, 'gpu.renderWorker.scaling.brokerTransportOptions.prioritySteps[1]')).toBe(true);
    expect(inSchema(SCHEMA, 'gpu.renderWorker.count.maximum')).toBe(false);
    expect(inSchema(SCHEMA, '')).toBe(false);
    expect(inSchema(SCHEMA, 'alb..certificateArn')).toBe(false);
    expect(inSchema(SCHEMA, 'alb.toString')).toBe(false);
  });

  it.each(Object.entries(MODULE_CONFIG_SOURCES))(
    '%s: every field named exists in the environment schema',
    (_, source) => {
      expect(inSchema(SCHEMA, source.config), source.config).toBe(true);
      for (const [prop, field] of Object.entries(source.props ?? {})) {
        expect(inSchema(SCHEMA, field), `${prop}: ${field}`).toBe(true);
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
