import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where stray network calls go during a plan: a loopback port nothing listens on. */
export const CLOSED_LOOPBACK_PROXY = 'http://127.0.0.1:9';

/** Environment variable that names a Terraform filesystem mirror (unpacked layout). */
export const PROVIDER_MIRROR_ENV = 'TF_PROVIDER_MIRROR';

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
   * Run `terraform validate` before the plan. A plan validates the configuration too; the
   * separate step costs a provider start (~2 s) and gives the validate-only diagnostics.
   * @default true
   */
  readonly validate?: boolean;
  /** Keep the working directory (for debugging). @default false */
  readonly keepWorkDir?: boolean;
  /** Progress lines. @default silent */
  readonly log?: (line: string) => void;
}

export interface OfflinePlanResult {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Planned resource count per resource type. */
  readonly resourceTypes: Readonly<Record<string, number>>;
  /** `terraform show -json` of the saved plan. */
  readonly plan: Json;
  /** Addresses of `random_*` resources replaced by literals (empty when the provider was available). */
  readonly substitutedRandom: readonly string[];
  /** One line: `<stack>: N to add, N to change, N to destroy`. */
  readonly summary: string;
  readonly seconds: number;
}

/** Terraform CLI failed; carries the command and its output. */
export class TerraformCommandError extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(`terraform ${command} failed:\n${output}`);
    this.name = 'TerraformCommandError';
  }
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

function mirrorHas(mirror: string, provider: string): boolean {
  return existsSync(join(mirror, 'registry.terraform.io', provider));
}

/** Environment for terraform: no AWS credentials of the user's, and a proxy guard. */
function terraformEnv(cliConfig: string | undefined, guard: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key];
  Object.assign(env, {
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    AWS_ACCESS_KEY_ID: 'AKIAOFFLINEPLAN00000',
    AWS_SECRET_ACCESS_KEY: 'offline-plan-dummy-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    TF_CLI_CONFIG_FILE: cliConfig ?? '/dev/null',
  });
  if (guard) {
    Object.assign(env, {
      HTTPS_PROXY: CLOSED_LOOPBACK_PROXY,
      HTTP_PROXY: CLOSED_LOOPBACK_PROXY,
      https_proxy: CLOSED_LOOPBACK_PROXY,
      http_proxy: CLOSED_LOOPBACK_PROXY,
      NO_PROXY: '',
    });
  }
  return env;
}

async function terraform(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('terraform', [`-chdir=${dir}`, ...args], {
      env,
      maxBuffer: 512 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new TerraformCommandError(args.join(' '), `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message);
  }
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

/**
 * `terraform init`, `validate` and `plan -refresh=false` of one synthesized stack, with no AWS
 * access: a copy in a temporary directory, a local-backend override, dummy credentials, the AWS
 * provider's skip flags and a closed loopback proxy, so any stray call fails at once.
 */
export async function offlinePlan(options: OfflinePlanOptions): Promise<OfflinePlanResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const mirror = options.providerMirror;
  const dir = await mkdtemp(join(tmpdir(), `offline-plan-${options.stack}-`));
  try {
    let stackJson = options.stackJson;
    let substituted: string[] = [];
    const usesRandom = Boolean(stackJson.terraform?.required_providers?.random);
    if (usesRandom && mirror && !mirrorHas(mirror, 'hashicorp/random')) {
      ({ json: stackJson, substituted } = substituteRandom(stackJson));
      log(
        `${options.stack}: hashicorp/random is not in the provider mirror; replaced ${substituted.length} random_* resource(s) with literal values for this plan only: ${substituted.join(', ')}`,
      );
    }

    await writeFile(join(dir, 'cdk.tf.json'), JSON.stringify(stackJson, null, 2));
    await writeFile(
      join(dir, 'offline_override.tf.json'),
      JSON.stringify(offlineOverride(stackJson), null, 2),
    );
    for (const [name, content] of Object.entries(options.extraFiles ?? {})) {
      await writeFile(join(dir, name), content);
    }

    let cliConfig: string | undefined;
    if (mirror) {
      cliConfig = join(dir, '.terraformrc');
      await writeFile(
        cliConfig,
        `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`,
      );
    }
    // Without a mirror, init must reach the registry; the plan itself is always guarded.
    await terraform(dir, ['init', '-input=false', '-no-color'], terraformEnv(cliConfig, Boolean(mirror)));
    log(`${options.stack}: terraform init done`);
    const guarded = terraformEnv(cliConfig, true);
    if (options.validate ?? true) {
      await terraform(dir, ['validate', '-no-color'], guarded);
      log(`${options.stack}: terraform validate passed`);
    }
    await terraform(
      dir,
      ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', '-out=tfplan'],
      guarded,
    );
    const plan = JSON.parse(await terraform(dir, ['show', '-json', 'tfplan'], guarded)) as Json;
    const counts = summarizePlan(plan);
    const summary = `${options.stack}: ${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy`;
    log(summary);
    return {
      stack: options.stack,
      ...counts,
      plan,
      substitutedRandom: substituted,
      summary,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    if (!options.keepWorkDir) await rm(dir, { recursive: true, force: true });
  }
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
