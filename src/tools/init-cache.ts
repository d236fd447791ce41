/**
 * Initialized Terraform working directories kept between offline plans. `terraform init` runs
 * once per set of inputs that decide what it installs (required providers, module sources, the
 * mirror and its content, the Terraform binary); its `.terraform` and lock file become a template.
 * Each plan still gets a fresh directory with the current configuration: the template's
 * `.terraform` is copied in (backend settings) with `providers` linked, so a changed configuration
 * is always planned as it is, and a changed provider set gets a template of its own.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Bump when the template layout changes, so old templates are never read. */
const TEMPLATE_FORMAT = 1;
const READY = 'ready';
const LOCK_FILE = '.terraform.lock.hcl';

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Identity of the `terraform` binary on PATH: real path, size and modification time. */
function terraformBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'terraform');
    if (existsSync(candidate)) {
      const real = realpathSync(candidate);
      return `${real}:${stamp(real)}`;
    }
  }
  return 'terraform not on PATH';
}

/** `registry.terraform.io/<namespace>/<type>` of a required_providers entry. */
function providerAddress(name: string, requirement: Json): string {
  const source = String(requirement.source ?? name);
  const parts = source.split('/');
  if (parts.length === 3) return source;
  return `registry.terraform.io/${parts.length === 2 ? source : `hashicorp/${source}`}`;
}

/** The template key: everything that decides what `terraform init` installs and records. */
export function initKey(stackJson: Json, mirror: string | undefined): string {
  const required = (stackJson.terraform?.required_providers ?? {}) as Json;
  const inputs = {
    format: TEMPLATE_FORMAT,
    required: Object.keys(required)
      .sort()
      .map((name) => [name, providerAddress(name, required[name]), required[name].version ?? '']),
    modules: Object.entries((stackJson.module ?? {}) as Json)
      .map(([name, m]) => [name, m.source, m.version ?? ''])
      .sort(),
    mirror: mirror ?? 'registry',
    // A provider added to or replaced in the mirror changes its folder: init again.
    mirrorContent: mirror
      ? Object.keys(required)
          .sort()
          .map((name) => stamp(join(mirror, providerAddress(name, required[name]))))
      : [],
    terraform: terraformBinary(),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

/** Gives `dir` the template's `.terraform` (providers linked, the rest copied) and lock file. */
function useTemplate(template: string, dir: string): void {
  const source = join(template, '.terraform');
  const target = join(dir, '.terraform');
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry === 'providers') symlinkSync(join(source, entry), join(target, entry));
    else cpSync(join(source, entry), join(target, entry), { recursive: true, verbatimSymlinks: true });
  }
  // A configuration without providers has no lock file.
  if (existsSync(join(template, LOCK_FILE))) copyFileSync(join(template, LOCK_FILE), join(dir, LOCK_FILE));
}

/**
 * Makes `dir` (which already holds the configuration) initialized: from the template for its key
 * when there is one, otherwise by `init()` (which runs `terraform init` in `dir`), keeping the
 * result as the template. Concurrent first runs each initialize; the first to finish publishes.
 */
export async function initializeFromCache(
  dir: string,
  stackJson: Json,
  mirror: string | undefined,
  cacheDir: string,
  init: () => Promise<void>,
): Promise<'reused' | 'initialized'> {
  const template = join(cacheDir, `init-${initKey(stackJson, mirror)}`);
  if (existsSync(join(template, READY))) {
    useTemplate(template, dir);
    return 'reused';
  }
  await init();
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(cacheDir, 'staging-'));
  try {
    cpSync(join(dir, '.terraform'), join(staging, '.terraform'), { recursive: true, verbatimSymlinks: true });
    if (existsSync(join(dir, LOCK_FILE))) copyFileSync(join(dir, LOCK_FILE), join(staging, LOCK_FILE));
    writeFileSync(join(staging, READY), `${new Date().toISOString()}\n`);
    renameSync(staging, template);
  } catch {
    // Another run published the same template first (or the cache is not writable): plan anyway.
    rmSync(staging, { recursive: true, force: true });
  }
  return 'initialized';
}
