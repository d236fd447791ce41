import type { ConfigIssue } from '../lib/validation';
import { suggestion } from '../lib/suggest';
import { schemaIssues } from '../lib/schema';
import { SETTING_INPUTS_SCHEMA } from './schema';
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
 * | drRegion | `drRegion` | `ECG_DR_REGION` | empty: production's preset (us-west-2) |
 * | domainName | `domainName` | `ECG_DOMAIN_NAME` | empty: `*.cloudfront.net` names only |
 * | hostedZoneId | `hostedZoneId` | `ECG_HOSTED_ZONE_ID` | empty (set with domainName) |
 * | hostedZoneName | `hostedZoneName` | `ECG_HOSTED_ZONE_NAME` | empty: names must lie within domainName |
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
  drRegion: { context: 'drRegion', env: 'ECG_DR_REGION' },
  domainName: { context: 'domainName', env: 'ECG_DOMAIN_NAME' },
  hostedZoneId: { context: 'hostedZoneId', env: 'ECG_HOSTED_ZONE_ID' },
  hostedZoneName: { context: 'hostedZoneName', env: 'ECG_HOSTED_ZONE_NAME' },
} as const;

export type SettingKey = keyof typeof SETTING_SOURCES;

/** Environment variable naming the folder that holds `terraform.tfvars` and `tfvars/`. */
export const TFVARS_DIR_ENV = 'ECG_TFVARS_DIR';
/** Environment variable that lets the destroy scripts touch production or the state backend. */
export const ALLOW_PRODUCTION_DESTROY_ENV = 'ECG_ALLOW_PRODUCTION_DESTROY';

/** Every `ECG_*` variable the project reads; any other is a typo. */
export const KNOWN_ENV_VARIABLES: readonly string[] = [
  ...Object.values(SETTING_SOURCES).map((s) => s.env),
  TFVARS_DIR_ENV,
  ALLOW_PRODUCTION_DESTROY_ENV,
];

/** cdktf.json context keys the cdktf CLI and library themselves use. */
const CDKTF_CONTEXT_KEYS = ['excludeStackIdFromLogicalIds', 'allowSepCharsInLogicalIds'];

export interface SettingInputs {
  /** cdktf.json `context` (or any key/value lookup of it). */
  readonly context: (key: string) => unknown;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The keys present in cdktf.json `context`, to report unknown ones. @default not checked */
  readonly contextKeys?: readonly string[];
}

/** What the user edits to change a setting: the variable when it is set, else the cdktf.json key. */
export type SettingPaths = Readonly<Record<SettingKey, string>>;

/** Paths of settings given directly (tests, tools): `settings.<key>`. */
export const SETTINGS_OBJECT_PATHS: SettingPaths = Object.fromEntries(
  Object.keys(SETTING_SOURCES).map((key) => [key, `settings.${key}`]),
) as unknown as SettingPaths;

function fromEnv(inputs: SettingInputs, key: SettingKey): string | undefined {
  const value = inputs.env[SETTING_SOURCES[key].env];
  return value !== undefined && value !== '' ? value : undefined;
}

/** Raw value of a setting from env or context, before interpretation; undefined when unset. */
function raw(inputs: SettingInputs, key: SettingKey): unknown {
  return fromEnv(inputs, key) ?? inputs.context(SETTING_SOURCES[key].context);
}

/** Where the value of `key` comes from, named as the user edits it. */
export function settingPaths(inputs: SettingInputs): SettingPaths {
  return Object.fromEntries(
    (Object.keys(SETTING_SOURCES) as SettingKey[]).map((key) => [
      key,
      fromEnv(inputs, key) !== undefined
        ? SETTING_SOURCES[key].env
        : `cdktf.json context.${SETTING_SOURCES[key].context}`,
    ]),
  ) as unknown as SettingPaths;
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

/** `true`/`false` (booleans in context; the words in either place), or undefined when it is neither. */
function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/.test(value)) return value === 'true';
  return undefined;
}

/**
 * Interprets the inputs. Values are taken as given; `validateSettings` and `settingInputIssues`
 * judge them, so a bad value is reported with every other problem instead of failing here.
 */
export function resolveSettings(inputs: SettingInputs): ProjectSettings {
  const project = String(raw(inputs, 'project') ?? DEFAULT_PROJECT);
  const region = String(raw(inputs, 'region') ?? DEFAULT_REGION);
  const allowedAccountIds: Record<EnvironmentName, string[]> = {
    staging: asList(raw(inputs, 'stagingAccountIds')),
    production: asList(raw(inputs, 'productionAccountIds')),
  };
  const drRegion = String(raw(inputs, 'drRegion') ?? '');
  // Unset and empty are the same: no custom domain (cdktf.json ships the keys empty).
  const optional = (key: SettingKey) => {
    const value = String(raw(inputs, key) ?? '');
    return value !== '' ? { [key]: value } : {};
  };
  return {
    project,
    region,
    stateBucket: String(raw(inputs, 'stateBucket') ?? `${project}-tfstate`),
    lockTable: String(raw(inputs, 'lockTable') ?? `${project}-tflock`),
    allowedAccountIds,
    useLockfile: asBoolean(raw(inputs, 'useLockfile')) ?? false,
    githubRepository: String(raw(inputs, 'githubRepository') ?? ''),
    ...(drRegion !== '' ? { drRegion } : {}),
    ...optional('domainName'),
    ...optional('hostedZoneId'),
    ...optional('hostedZoneName'),
  };
}

/**
 * Problems of the inputs themselves, which the resolved settings no longer show: values of the
 * wrong type, unknown cdktf.json context keys and unknown `ECG_*` variables (typos that would
 * otherwise silently fall back to a default).
 */
export function settingInputIssues(inputs: SettingInputs): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const paths = settingPaths(inputs);
  const given = Object.fromEntries(
    (Object.keys(SETTING_SOURCES) as SettingKey[])
      .map((key) => [key, raw(inputs, key)] as const)
      .filter(([, value]) => value !== undefined),
  );
  // The schema's path is `.<key>`; the report names what the user edits (variable or context key).
  for (const issue of schemaIssues(SETTING_INPUTS_SCHEMA, given, '')) {
    issues.push({ ...issue, path: paths[issue.path.slice(1) as SettingKey] ?? issue.path });
  }

  const contextKeys = Object.values(SETTING_SOURCES).map((s) => s.context);
  for (const key of inputs.contextKeys ?? []) {
    if (contextKeys.includes(key as never) || CDKTF_CONTEXT_KEYS.includes(key) || key.startsWith('cdktf'))
      continue;
    issues.push({
      path: `cdktf.json context.${key}`,
      value: inputs.context(key),
      rule: `is not a setting of this project; known keys: ${contextKeys.join(', ')}${suggestion(key, contextKeys)}`,
    });
  }
  for (const [name, value] of Object.entries(inputs.env)) {
    if (!name.startsWith('ECG_') || KNOWN_ENV_VARIABLES.includes(name)) continue;
    issues.push({
      path: name,
      value,
      rule: `is not a variable this project reads; known: ${KNOWN_ENV_VARIABLES.join(', ')}${suggestion(name, KNOWN_ENV_VARIABLES)}`,
    });
  }
  return issues;
}
