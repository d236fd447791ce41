/**
 * Proof that a refactoring left the synthesized Terraform unchanged: every stack's `cdk.tf.json`
 * (and its assets) at a git revision against the working tree, byte for byte, with the differing
 * blocks named by address (`resource.aws_lb.api_alb_1A2B3C4D`) when they are not identical. A
 * renamed construct id shows as one address missing and one new: Terraform would destroy and
 * re-create that resource. The CLI is scripts/json-identity.ts.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { synthesizeApp } from './synth';

const run = promisify(execFile);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Top-level blocks of Terraform JSON whose entries are keyed `<type>.<name>` (two levels). */
const TWO_LEVEL = new Set(['resource', 'data']);

/**
 * Every addressable entry of a synthesized stack, address -> its JSON text: `resource.<type>.<name>`,
 * `data.<type>.<name>`, `output.<name>`, `variable.<name>`, `locals.<name>`, and the whole
 * `provider.<name>` and `terraform` blocks (backend, required providers).
 */
export function addressedBlocks(json: Json): Map<string, string> {
  const out = new Map<string, string>();
  for (const [section, body] of Object.entries(json)) {
    if (section === '//' || typeof body !== 'object' || body === null || section === 'terraform') {
      out.set(section, JSON.stringify(body));
      continue;
    }
    for (const [key, value] of Object.entries(body as Json)) {
      if (TWO_LEVEL.has(section) && typeof value === 'object' && value !== null) {
        for (const [name, inner] of Object.entries(value as Json)) {
          out.set(`${section}.${key}.${name}`, JSON.stringify(inner));
        }
      } else {
        out.set(`${section}.${key}`, JSON.stringify(value));
      }
    }
  }
  return out;
}

/**
 * What a stack's users and its state depend on by name: `<type>.<name>` of every resource,
 * `data.<type>.<name>` of every data source and `output.<name>` of every output, sorted. A renamed
 * construct id changes one of them (for a resource: Terraform destroys it and creates another).
 */
export function terraformAddresses(json: Json): string[] {
  return [...addressedBlocks(json).keys()]
    .filter((a) => a.startsWith('resource.') || a.startsWith('data.') || a.startsWith('output.'))
    .map((a) => (a.startsWith('resource.') ? a.slice('resource.'.length) : a))
    .sort();
}

/** The committed list of every stack's addresses (`npm run identity -- --write-addresses`). */
export const ADDRESSES_FIXTURE = join('__tests__', 'fixtures', 'terraform-addresses.json');

/** Every stack's {@link terraformAddresses}, as the fixture holds them. */
export function addressesByStack(
  stacks: readonly { readonly id: string; readonly json: Json }[],
): Record<string, string[]> {
  return Object.fromEntries(stacks.map((s) => [s.id, terraformAddresses(s.json)]));
}

/**
 * What differs between two synthesized stacks, as readable lines by address: blocks missing after
 * the change (Terraform would destroy a missing resource), new blocks, and changed ones. Empty
 * when the two are the same block for block (the file bytes are compared separately).
 */
export function blockDifferences(before: Json, after: Json): string[] {
  const a = addressedBlocks(before);
  const b = addressedBlocks(after);
  const lines: string[] = [];
  for (const [address, text] of a) {
    if (!b.has(address)) lines.push(`missing: ${address}`);
    else if (b.get(address) !== text) lines.push(`changed: ${address}`);
  }
  for (const address of b.keys()) if (!a.has(address)) lines.push(`new: ${address}`);
  return lines;
}

/** Every file under `dir` (relative path -> sha256 of its bytes), sorted by path. */
export function fileHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((x, y) =>
      x.name < y.name ? -1 : x.name > y.name ? 1 : 0,
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** The outcome of comparing the synthesized output of two trees. */
export interface IdentityReport {
  /** Relative path under `stacks/` -> [sha256 before, sha256 after] (undefined when absent). */
  readonly files: ReadonlyMap<string, readonly [string | undefined, string | undefined]>;
  /** Differences by address, per `cdk.tf.json` whose bytes differ. */
  readonly differences: ReadonlyMap<string, readonly string[]>;
  readonly identical: boolean;
}

/** Compares two synthesized `stacks/` folders file by file, and the differing JSON by address. */
export function compareSynthOutputs(beforeDir: string, afterDir: string): IdentityReport {
  const before = fileHashes(beforeDir);
  const after = fileHashes(afterDir);
  const files = new Map<string, readonly [string | undefined, string | undefined]>();
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    files.set(path, [before.get(path), after.get(path)]);
  }
  const differences = new Map<string, string[]>();
  for (const [path, [x, y]] of files) {
    if (x === y || !path.endsWith('.json') || !x || !y) continue;
    const read = (dir: string) => JSON.parse(readFileSync(join(dir, path), 'utf8')) as Json;
    const lines = blockDifferences(read(beforeDir), read(afterDir));
    differences.set(path, lines.length > 0 ? lines : ['same blocks, different bytes (key order?)']);
  }
  const identical = [...files.values()].every(([x, y]) => x !== undefined && x === y);
  return { files, differences, identical };
}

/** The report as text: one line per file with its hash(es), then the differences by address. */
export function formatIdentityReport(report: IdentityReport, beforeLabel: string): string {
  const lines: string[] = [];
  for (const [path, [x, y]] of report.files) {
    if (x === y) lines.push(`identical  ${x}  ${path}`);
    else lines.push(`DIFFERENT  ${x ?? '(absent)'} -> ${y ?? '(absent)'}  ${path}`);
    for (const d of report.differences.get(path) ?? []) lines.push(`    ${d}`);
  }
  lines.push(
    report.identical
      ? `the working tree synthesizes byte-identical output to ${beforeLabel}`
      : `the working tree's output differs from ${beforeLabel}`,
  );
  return lines.join('\n');
}

/**
 * Environment of a reproducible synthesis: no ECG_* overrides from the caller's shell, and the
 * user's tfvars (git-ignored, so absent from a checkout) read from an empty folder on both sides.
 */
export function neutralEnv(env: NodeJS.ProcessEnv, emptyDir: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!key.startsWith('ECG_')) out[key] = value;
  out.ECG_TFVARS_DIR = emptyDir;
  out.CHECKPOINT_DISABLE = '1';
  return out;
}

/**
 * A checkout of `revision` in a temporary git worktree under the OS temp folder, with the project's
 * node_modules linked in (a revision with other dependencies needs its own `npm ci`). `dispose`
 * removes the worktree again.
 */
export async function checkoutRevision(
  projectDir: string,
  revision: string,
): Promise<{ readonly dir: string; readonly commit: string; dispose(): Promise<void> }> {
  const { stdout } = await run('git', ['rev-parse', '--verify', `${revision}^{commit}`], { cwd: projectDir });
  const commit = stdout.trim();
  const base = mkdtempSync(join(tmpdir(), 'json-identity-'));
  const dir = join(base, 'tree');
  await run('git', ['worktree', 'add', '--detach', '--quiet', dir, commit], { cwd: projectDir });
  symlinkSync(join(projectDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    commit,
    async dispose() {
      await run('git', ['worktree', 'remove', '--force', dir], { cwd: projectDir });
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Synthesizes `projectDir` with its own cdktf.json app command into `outdir` and returns the
 * `stacks/` folder; `scratch` holds the empty tfvars folder.
 */
export async function synthesizeTree(
  projectDir: string,
  outdir: string,
  env: NodeJS.ProcessEnv,
  scratch: string,
): Promise<string> {
  const empty = join(scratch, 'no-tfvars');
  mkdirSync(empty, { recursive: true });
  await synthesizeApp(projectDir, outdir, neutralEnv(env, empty));
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) throw new Error(`${projectDir}: synthesis wrote no stacks/ folder`);
  return stacks;
}
