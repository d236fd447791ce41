import type { EnvironmentName, ProjectSettings } from './types';

/**
 * Project-wide settings. Precedence: environment variable, then cdktf.json `context`, then the
 * default below. Only `main.ts` reads the outside world; this file only interprets what it gets.
 *
 * | setting | context key | environment variable | default |
 * | --- | --- | --- | --- |
 * | project | `project` | `ECG_PROJECT` | `ecg-video-pipeline` |
 * | region | `region` | `ECG_REGION` | `ap-northeast-2` |
 * | stateBucket | `stateBucket` | `ECG_STATE_BUCKET` | `<project>-tfstate` |
 * | lockTable | `lockTable` | `ECG_LOCK_TABLE` | `<project>-tflock` |
 * | allowedAccountIds.staging | `stagingAccountIds` | `ECG_STAGING_ACCOUNT_IDS` | none (not pinned) |
 * | allowedAccountIds.production | `productionAccountIds` | `ECG_PRODUCTION_ACCOUNT_IDS` | none (not pinned) |
 * | useLockfile | `useLockfile` | `ECG_USE_LOCKFILE` | `false` |
 * | githubRepository | `githubRepository` | `ECG_GITHUB_REPOSITORY` | empty: no GitHub OIDC roles |
 */
export const DEFAULT_PROJECT = 'ecg-video-pipeline';
export const DEFAULT_REGION = 'ap-northeast-2';

export const SETTING_SOURCES = {
  project: { context: 'project', env: 'ECG_PROJECT' },
  region: { context: 'region', env: 'ECG_REGION' },
  stateBucket: { context: 'stateBucket', env: 'ECG_STATE_BUCKET' },
  lockTable: { context: 'lockTable', env: 'ECG_LOCK_TABLE' },
  stagingAccountIds: { context: 'stagingAccountIds', env: 'ECG_STAGING_ACCOUNT_IDS' },
  productionAccountIds: { context: 'productionAccountIds', env: 'ECG_PRODUCTION_ACCOUNT_IDS' },
  useLockfile: { context: 'useLockfile', env: 'ECG_USE_LOCKFILE' },
  githubRepository: { context: 'githubRepository', env: 'ECG_GITHUB_REPOSITORY' },
} as const;

type SettingKey = keyof typeof SETTING_SOURCES;

export interface SettingInputs {
  /** cdktf.json `context` (or any key/value lookup of it). */
  readonly context: (key: string) => unknown;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Raw value of a setting from env or context, before interpretation; undefined when unset. */
function raw(inputs: SettingInputs, key: SettingKey): unknown {
  const { context, env } = SETTING_SOURCES[key];
  const fromEnv = inputs.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return inputs.context(context);
}

/** Lists come as JSON arrays in context, or comma-separated strings in either place. */
function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v !== '');
  return String(value)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * Interprets the inputs. Values are taken as given; `validateSettings` judges them, so a bad
 * value is reported with every other problem instead of failing here on the first.
 */
export function resolveSettings(inputs: SettingInputs): ProjectSettings {
  const project = String(raw(inputs, 'project') ?? DEFAULT_PROJECT);
  const region = String(raw(inputs, 'region') ?? DEFAULT_REGION);
  const useLockfileRaw = raw(inputs, 'useLockfile');
  const allowedAccountIds: Record<EnvironmentName, string[]> = {
    staging: asList(raw(inputs, 'stagingAccountIds')),
    production: asList(raw(inputs, 'productionAccountIds')),
  };
  return {
    project,
    region,
    stateBucket: String(raw(inputs, 'stateBucket') ?? `${project}-tfstate`),
    lockTable: String(raw(inputs, 'lockTable') ?? `${project}-tflock`),
    allowedAccountIds,
    useLockfile: useLockfileRaw === true || /^(true|1|yes|on)$/i.test(String(useLockfileRaw ?? '')),
    githubRepository: String(raw(inputs, 'githubRepository') ?? ''),
  };
}
