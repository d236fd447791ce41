import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializeFromCache } from './init-cache';
import { PROVIDER_MIRROR_ENV } from './provider-mirror';
import {
  CLOSED_LOOPBACK_PROXY,
  TerraformCommandError,
  parseJsonStream,
  renderDiagnostics,
  terraform,
  terraformEnv,
  type Diagnostic,
} from './terraform-cli';

export { CLOSED_LOOPBACK_PROXY, PROVIDER_MIRROR_ENV, TerraformCommandError };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface OfflinePlanOptions {
  /** Stack id, for messages. */
  readonly stack: string;
  /** The synthesized stack (`cdk.tf.json`) as an object. */
  readonly stackJson: Json;
  /** Filesystem mirror holding the providers; without one, providers come from the registry. */
  readonly providerMirror?: string;
  /** Extra files written beside the configuration, e.g. `terraform.tfvars`. */
  readonly extraFiles?: Readonly<Record<string, string>>;
  /**
   * Folder keeping initialized working directories between runs (see init-cache.ts); without it
   * every plan runs `terraform init`.
   * @default no cache
   */
  readonly initCache?: string;
  /** Also return the plan as `terraform show` prints it. @default false */
  readonly humanPlan?: boolean;
  /** Keep the working directory (for debugging). @default false */
  readonly keepWorkDir?: boolean;
  /** Progress lines. @default silent */
  readonly log?: (line: string) => void;
}

/** What a plan yields without `terraform show`: counts, resource types and the warnings. */
export interface OfflinePlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Planned resource count per resource type. */
  readonly resourceTypes: Readonly<Record<string, number>>;
  /** Addresses of `random_*` resources replaced by literals (empty when the provider was available). */
  readonly substitutedRandom: readonly string[];
  /** Providers whose `allowed_account_ids` the offline copy dropped (`aws`, `aws.us_east_1`). */
  readonly droppedAccountIds: readonly string[];
  /** Terraform's warnings, rendered (e.g. a tfvars value for an undeclared variable). */
  readonly warnings: readonly string[];
  /** The plan as `terraform show` prints it, when asked for. */
  readonly humanPlan?: string;
  /** Whether `terraform init` ran or an initialized template was reused. */
  readonly init: 'initialized' | 'reused';
  /** One line: `<stack>: N to add, N to change, N to destroy`. */
  readonly summary: string;
  readonly seconds: number;
}

export interface OfflinePlanResult extends OfflinePlanSummary {
  /** `terraform show -json` of the saved plan. */
  readonly plan: Json;
}

/** Settings that let the AWS provider plan with no AWS access at all. */
const AWS_OFFLINE_FLAGS = {
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Deterministic stand-in values for the attributes of one random_* resource. */
function randomLiterals(type: string, name: string, config: Json): Record<string, string> {
  const bytes = digest(`${type}.${name}`);
  if (type === 'random_id') {
    const raw = bytes.subarray(0, Number(config.byte_length ?? 4));
    const b64Url = raw.toString('base64url');
    return {
      hex: raw.toString('hex'),
      b64_url: b64Url,
      b64_std: raw.toString('base64'),
      dec: BigInt(`0x${raw.toString('hex')}`).toString(),
      id: b64Url,
    };
  }
  const length = Number(config.length ?? 32);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let result = '';
  for (let i = 0; result.length < length; i++)
    result += alphabet[digest(`${type}.${name}.${i}`)[0] % alphabet.length];
  return {
    result,
    id: 'none',
    bcrypt_hash: 'offline-plan-placeholder',
    hex: '',
    b64_std: '',
    b64_url: '',
    dec: '0',
  };
}

/**
 * Replaces every `random_*` resource by literal values: references inside `${...}` become quoted
 * string literals, and the resources, provider and requirement go. Nothing else changes.
 */
export function substituteRandom(stackJson: Json): { json: Json; substituted: string[] } {
  const json: Json = structuredClone(stackJson);
  const literals = new Map<string, Record<string, string>>();
  for (const [type, resources] of Object.entries<Json>(json.resource ?? {})) {
    if (!type.startsWith('random_')) continue;
    for (const [name, config] of Object.entries<Json>(resources)) {
      literals.set(`${type}.${name}`, randomLiterals(type, name, config));
    }
    delete json.resource[type];
  }
  if (json.resource && Object.keys(json.resource).length === 0) delete json.resource;
  delete json.provider?.random;
  delete json.terraform?.required_providers?.random;

  const reference = /\b(random_[a-z_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\b/g;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\$\{[^}]*\}/g, (expr) =>
        expr.replace(reference, (match, type: string, name: string, attr: string) => {
          const found = literals.get(`${type}.${name}`)?.[attr];
          return found === undefined ? match : JSON.stringify(found);
        }),
      );
    }
    if (Array.isArray(value)) {
      return value
        .filter((v) => !(typeof v === 'string' && literals.has(v.replace(/^\$\{|\}$/g, ''))))
        .map(rewrite);
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    }
    return value;
  };
  return { json: rewrite(json) as Json, substituted: [...literals.keys()].sort() };
}

/** The override file: a local backend and the AWS provider's offline flags (every alias). */
export function offlineOverride(stackJson: Json): Json {
  const aws = stackJson.provider?.aws as Json[] | undefined;
  const override: Json = { terraform: { backend: { local: { path: 'terraform.tfstate' } } } };
  if (aws && aws.length > 0) {
    override.provider = {
      aws: aws.map((p) => (p.alias ? { alias: p.alias, ...AWS_OFFLINE_FLAGS } : { ...AWS_OFFLINE_FLAGS })),
    };
  }
  return override;
}

/** Terraform's CLI configuration for a mirror: that folder only, never the registry. */
export function mirrorCliConfig(mirror: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`;
}

function mirrorHas(mirror: string, provider: string): boolean {
  return existsSync(join(mirror, 'registry.terraform.io', provider));
}

/**
 * Removes `allowed_account_ids` from every AWS provider block: offline there is no account
 * (skip_requesting_account_id leaves it empty), so the provider would refuse every pinned id.
 */
export function dropAllowedAccountIds(stackJson: Json): { json: Json; dropped: string[] } {
  const aws = stackJson.provider?.aws as Json[] | undefined;
  const dropped = (aws ?? [])
    .filter((p) => p.allowed_account_ids !== undefined)
    .map((p) => (p.alias ? `aws.${p.alias}` : 'aws'));
  if (dropped.length === 0) return { json: stackJson, dropped };
  const json: Json = structuredClone(stackJson);
  for (const p of json.provider.aws as Json[]) delete p.allowed_account_ids;
  return { json, dropped };
}

/** The offline copy of a stack, as written to a folder. */
export interface OfflineCopy {
  readonly stackJson: Json;
  readonly substitutedRandom: string[];
  readonly droppedAccountIds: string[];
  /** The CLI configuration file (`offline.tfrc`) when a mirror is used. */
  readonly cliConfig?: string;
}

/**
 * Writes the offline copy of a stack into `dir`: the configuration without `allowed_account_ids`
 * (and with `random_*` as literals when the mirror lacks hashicorp/random), the override file
 * (local backend, skip flags), the extra files and, with a mirror, `offline.tfrc`. Says what it
 * changed through `log`; nothing else differs from the synthesized stack.
 */
export async function writeOfflineCopy(
  dir: string,
  options: Pick<OfflinePlanOptions, 'stack' | 'stackJson' | 'providerMirror' | 'extraFiles' | 'log'>,
): Promise<OfflineCopy> {
  const log = options.log ?? (() => undefined);
  const mirror = options.providerMirror;
  const { json: pinned, dropped } = dropAllowedAccountIds(options.stackJson);
  if (dropped.length > 0) {
    log(
      `${options.stack}: dropped allowed_account_ids from provider ${dropped.join(', ')} for this offline copy only (there is no account to check offline; deploys keep the pin)`,
    );
  }
  let stackJson = pinned;
  let substituted: string[] = [];
  const usesRandom = Boolean(stackJson.terraform?.required_providers?.random);
  if (usesRandom && mirror && !mirrorHas(mirror, 'hashicorp/random')) {
    ({ json: stackJson, substituted } = substituteRandom(stackJson));
    log(
      `${options.stack}: hashicorp/random is not in the provider mirror; replaced ${substituted.length} random_* resource(s) with literal values for this plan only: ${substituted.join(', ')}`,
    );
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'cdk.tf.json'), JSON.stringify(stackJson, null, 2));
  await writeFile(join(dir, 'offline_override.tf.json'), JSON.stringify(offlineOverride(stackJson), null, 2));
  for (const [name, content] of Object.entries(options.extraFiles ?? {})) {
    await writeFile(join(dir, name), content);
  }
  let cliConfig: string | undefined;
  if (mirror) {
    cliConfig = join(dir, 'offline.tfrc');
    await writeFile(cliConfig, mirrorCliConfig(mirror));
  }
  return { stackJson, substitutedRandom: substituted, droppedAccountIds: dropped, cliConfig };
}

/** Counts of the planned changes of a `plan -json` run, as {@link summarizePlan} counts a plan. */
function summarizeStream(changes: ReturnType<typeof parseJsonStream>['changes']) {
  let add = 0;
  let change = 0;
  let destroy = 0;
  const resourceTypes: Record<string, number> = {};
  for (const c of changes) {
    if (c.address.startsWith('data.') || c.address.includes('.data.')) continue;
    if (c.action === 'create' || c.action === 'replace') add++;
    if (c.action === 'update') change++;
    if (c.action === 'delete' || c.action === 'replace') destroy++;
    if (c.action !== 'delete') resourceTypes[c.type] = (resourceTypes[c.type] ?? 0) + 1;
  }
  return { add, change, destroy, resourceTypes };
}

async function runOfflinePlan(options: OfflinePlanOptions, show: boolean): Promise<OfflinePlanResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const mirror = options.providerMirror;
  const dir = await mkdtemp(join(tmpdir(), `offline-plan-${options.stack}-`));
  try {
    const copy = await writeOfflineCopy(dir, options);
    // Without a mirror, init must reach the registry; the plan is always guarded.
    const initEnv = terraformEnv(copy.cliConfig, Boolean(mirror));
    const runInit = async () => {
      await terraform(dir, ['init', '-input=false', '-no-color'], initEnv);
    };
    const init = options.initCache
      ? await initializeFromCache(dir, copy.stackJson, mirror, options.initCache, runInit)
      : (await runInit(), 'initialized' as const);
    log(`${options.stack}: terraform init ${init === 'reused' ? 'reused from the cache' : 'done'}`);
    const guarded = terraformEnv(copy.cliConfig, true);
    const warnings: Diagnostic[] = [];
    // No `terraform validate`: the plan runs the same validation walk first (offline-plan.test.ts).
    const stream = parseJsonStream(
      await terraform(
        dir,
        ['plan', '-refresh=false', '-input=false', '-lock=false', '-json', '-out=tfplan'],
        guarded,
      ),
    );
    warnings.push(...stream.diagnostics.filter((d) => d.severity !== 'error'));
    const plan = show ? (JSON.parse(await terraform(dir, ['show', '-json', 'tfplan'], guarded)) as Json) : {};
    const humanPlan = options.humanPlan
      ? await terraform(dir, ['show', '-no-color', 'tfplan'], guarded)
      : undefined;
    const counts = show ? summarizePlan(plan) : summarizeStream(stream.changes);
    const summary = `${options.stack}: ${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy`;
    log(summary);
    return {
      stack: options.stack,
      ...counts,
      plan,
      substitutedRandom: copy.substitutedRandom,
      droppedAccountIds: copy.droppedAccountIds,
      warnings: [...new Set(warnings.map((w) => renderDiagnostics([w])))],
      humanPlan,
      init,
      summary,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    if (options.keepWorkDir) log(`${options.stack}: working directory kept at ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `terraform init` and `plan -refresh=false` (which validates first) of one synthesized stack, with no AWS
 * access: a copy in a temporary directory, a local-backend override, dummy credentials, the AWS
 * provider's skip flags and a closed loopback proxy, so any stray call fails at once. The result
 * carries the saved plan as `terraform show -json` prints it. A failure throws a
 * {@link TerraformCommandError} whose message lists Terraform's errors only.
 */
export async function offlinePlan(options: OfflinePlanOptions): Promise<OfflinePlanResult> {
  return runOfflinePlan(options, true);
}

/** {@link offlinePlan} without `terraform show`: the counts and warnings only, a provider start faster. */
export async function offlinePlanSummary(options: OfflinePlanOptions): Promise<OfflinePlanSummary> {
  const { plan: _plan, ...summary } = await runOfflinePlan(options, false); // eslint-disable-line @typescript-eslint/no-unused-vars
  return summary;
}

/** Counts create/update/delete actions of a `terraform show -json` plan. */
export function summarizePlan(plan: Json): {
  add: number;
  change: number;
  destroy: number;
  resourceTypes: Record<string, number>;
} {
  let add = 0;
  let change = 0;
  let destroy = 0;
  const resourceTypes: Record<string, number> = {};
  for (const rc of (plan.resource_changes ?? []) as Json[]) {
    if (rc.mode !== 'managed') continue;
    const actions: string[] = rc.change.actions;
    if (actions.includes('create')) add++;
    if (actions.includes('update')) change++;
    if (actions.includes('delete')) destroy++;
    if (!actions.includes('delete') || actions.includes('create')) {
      resourceTypes[rc.type] = (resourceTypes[rc.type] ?? 0) + 1;
    }
  }
  return { add, change, destroy, resourceTypes };
}

/** Reads a synthesized stack from a cdktf output directory. */
export async function readSynthesizedStack(outdir: string, stack: string): Promise<Json> {
  return JSON.parse(await readFile(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Json;
}

/** The tfvars files the app copied into a synthesized stack, by file name. */
export async function readStackTfvars(outdir: string, stack: string): Promise<Record<string, string>> {
  const dir = join(outdir, 'stacks', stack);
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.tfvars')) files[name] = await readFile(join(dir, name), 'utf8');
  }
  return files;
}
