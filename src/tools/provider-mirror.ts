/**
 * Where offline plans take the hashicorp/aws provider from, without the user exporting anything.
 * In order: TF_PROVIDER_MIRROR; the filesystem mirrors Terraform itself would use (the CLI
 * configuration's `filesystem_mirror`, the implied local mirror directories, the plugin cache);
 * the last mirror found on this machine; a bounded search of the machine; a normal registry
 * install into the project's cache. When none works, the error's first line says what to do.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Environment variable that names a Terraform filesystem mirror. */
export const PROVIDER_MIRROR_ENV = 'TF_PROVIDER_MIRROR';

const REGISTRY_HOST = 'registry.terraform.io';

/** One provider the stacks need, as `@cdktf/provider-*` binds it. */
export interface ProviderRequirement {
  /** `namespace/type`, e.g. `hashicorp/aws`. */
  readonly source: string;
  readonly version: string;
}

/** The project's cache folder (inside node_modules, so `npm ci` starts it afresh and git ignores it). */
export function projectCacheDir(projectDir: string): string {
  return join(projectDir, 'node_modules', '.cache', 'ecg-infra');
}

/** The provider a prebuilt binding package was generated for (its package.json `cdktf.provider`). */
export function boundProvider(projectDir: string, bindingPackage: string): ProviderRequirement {
  const file = join(projectDir, 'node_modules', bindingPackage, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
    cdktf?: { provider?: { name?: string; version?: string } };
  };
  const name = pkg.cdktf?.provider?.name;
  const version = pkg.cdktf?.provider?.version;
  if (!name || !version) throw new Error(`${file} names no cdktf.provider name and version`);
  return { source: name.replace(`${REGISTRY_HOST}/`, ''), version };
}

/** Terraform's name for this machine's platform, e.g. `linux_amd64`. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return `${platform === 'win32' ? 'windows' : platform}_${goArch[arch] ?? arch}`;
}

/**
 * True when `dir` is a filesystem mirror holding `provider` for `platform`, in either layout
 * Terraform reads: unpacked (`<host>/<ns>/<type>/<version>/<platform>/terraform-provider-<type>*`)
 * or packed (`<host>/<ns>/<type>/terraform-provider-<type>_<version>_<platform>.zip`).
 */
export function mirrorHolds(
  dir: string,
  provider: ProviderRequirement,
  platform = terraformPlatform(),
): boolean {
  const type = provider.source.split('/')[1];
  const base = join(dir, REGISTRY_HOST, provider.source);
  if (existsSync(join(base, `terraform-provider-${type}_${provider.version}_${platform}.zip`))) return true;
  try {
    return readdirSync(join(base, provider.version, platform)).some((f) =>
      f.startsWith(`terraform-provider-${type}`),
    );
  } catch {
    return false;
  }
}

/** How the mirror was found. */
export type MirrorOrigin =
  | 'TF_PROVIDER_MIRROR'
  | 'Terraform CLI configuration'
  | 'implied local mirror'
  | 'plugin cache'
  | 'found on this machine'
  | 'registry install';

export interface ProviderMirror {
  /** The mirror folder (the one above `registry.terraform.io/`). */
  readonly path: string;
  readonly origin: MirrorOrigin;
  /** One line for logs: where it is and how it was found. */
  readonly description: string;
}

/** No provider could be had; the message's first line says what to do, the rest where it looked. */
export class ProviderNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderNotFoundError';
  }
}

export interface ResolveOptions {
  /** The provider every stack needs (hashicorp/aws at the bound version). */
  readonly provider: ProviderRequirement;
  /** Providers a registry install fetches as well (hashicorp/random). @default none */
  readonly alsoInstall?: readonly ProviderRequirement[];
  /** Keeps the last search result and a registry install. */
  readonly cacheDir: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default os.homedir() */
  readonly home?: string;
  /** Folder whose `terraform.d/plugins` Terraform also reads. @default process.cwd() */
  readonly cwd?: string;
  /** Where the machine search starts. @default ['/'] */
  readonly searchRoots?: readonly string[];
  /** How many folder levels below a root a mirror may sit. @default 6 */
  readonly searchDepth?: number;
  /** Time limit of the machine search. @default 10 */
  readonly searchSeconds?: number;
  /** Time limit of the registry install. @default 600 */
  readonly installSeconds?: number;
  readonly platform?: string;
  /** Progress lines. @default silent */
  readonly log?: (line: string) => void;
}

/** Reads `plugin_cache_dir` and `filesystem_mirror` paths from a Terraform CLI configuration file. */
export function readCliConfig(
  file: string,
  env: NodeJS.ProcessEnv,
): { pluginCacheDir?: string; filesystemMirrors: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { filesystemMirrors: [] };
  }
  // Terraform expands environment variables in these paths ($HOME/.terraform.d/plugin-cache).
  const expand = (value: string) =>
    value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => env[name] ?? '');
  const cache = /^\s*plugin_cache_dir\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  const mirrors = [...text.matchAll(/filesystem_mirror\s*\{[^}]*?\bpath\s*=\s*"([^"]+)"/g)].map((m) =>
    expand(m[1]),
  );
  return { pluginCacheDir: cache === undefined ? undefined : expand(cache), filesystemMirrors: mirrors };
}

/**
 * Terraform's implied local mirror directories on Unix, in its own order: `terraform.d/plugins`
 * in the working directory, `~/.terraform.d/plugins`, then `terraform/plugins` under the XDG data
 * directories (https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories).
 */
export function impliedMirrorDirs(env: NodeJS.ProcessEnv, home: string, cwd: string): string[] {
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share/:/usr/share/').split(':').filter(Boolean);
  return [
    join(cwd, 'terraform.d', 'plugins'),
    join(home, '.terraform.d', 'plugins'),
    ...[dataHome, ...dataDirs].map((d) => join(d, 'terraform', 'plugins')),
  ];
}

/** Folders never worth entering when searching the machine for a mirror. */
const SKIP_NAMES = new Set(['node_modules', '.git', '.terraform', '.npm', '.cache']);
const SKIP_PATHS = new Set(['/proc', '/sys', '/dev', '/run']);

export interface SearchResult {
  readonly found?: string;
  readonly visited: number;
  readonly seconds: number;
  readonly timedOut: boolean;
}

/**
 * Breadth-first search for a folder holding `registry.terraform.io/` with the provider, at most
 * `depth` levels below each root and for at most `seconds`. Symbolic links are not followed.
 */
export function searchForMirror(
  roots: readonly string[],
  holds: (dir: string) => boolean,
  depth: number,
  seconds: number,
): SearchResult {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const queue: [string, number][] = roots.map((r) => [resolve(r), 0]);
  let visited = 0;
  for (let i = 0; i < queue.length; i++) {
    if (Date.now() > deadline) return { visited, seconds: seconds, timedOut: true };
    const [dir, level] = queue[i];
    visited++;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    if (entries.some((e) => e.name === REGISTRY_HOST && e.isDirectory()) && holds(dir)) {
      return { found: dir, visited, seconds: (Date.now() - started) / 1000, timedOut: false };
    }
    if (level >= depth) continue;
    for (const entry of entries) {
      if (!entry.isDirectory() || SKIP_NAMES.has(entry.name)) continue;
      const child = join(dir, entry.name);
      if (!SKIP_PATHS.has(child)) queue.push([child, level + 1]);
    }
  }
  return { visited, seconds: (Date.now() - started) / 1000, timedOut: false };
}

/** `terraform init` of a configuration that needs only `providers`, into `cacheDir` (unpacked layout). */
async function registryInstall(
  providers: readonly ProviderRequirement[],
  target: string,
  env: NodeJS.ProcessEnv,
  seconds: number,
): Promise<void> {
  mkdirSync(target, { recursive: true });
  const work = mkdtempSync(join(target, '..', 'registry-install-'));
  try {
    const required = Object.fromEntries(
      providers.map((p) => [p.source.split('/')[1], { source: p.source, version: p.version }]),
    );
    writeFileSync(
      join(work, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: required } }),
    );
    const passThrough = [
      'PATH',
      'HOME',
      'TMPDIR',
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'https_proxy',
      'http_proxy',
      'NO_PROXY',
      'no_proxy',
      'SSL_CERT_FILE',
      'SSL_CERT_DIR',
    ];
    await run('terraform', [`-chdir=${work}`, 'init', '-input=false', '-no-color', '-backend=false'], {
      env: {
        ...Object.fromEntries(passThrough.filter((k) => env[k] !== undefined).map((k) => [k, env[k]])),
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        // No CLI configuration: the registry, nothing else. The plugin cache keeps the unpacked
        // providers, which is the layout of a filesystem mirror.
        TF_CLI_CONFIG_FILE: '/dev/null',
        TF_PLUGIN_CACHE_DIR: target,
      },
      timeout: seconds * 1000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface SearchCache {
  readonly path: string;
}

/**
 * Finds a filesystem mirror holding `options.provider` (see the module comment for the order).
 * Throws {@link ProviderNotFoundError} when there is none and the registry cannot be reached.
 */
export async function resolveProviderMirror(options: ResolveOptions): Promise<ProviderMirror> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const platform = options.platform ?? terraformPlatform();
  const log = options.log ?? (() => undefined);
  const provider = options.provider;
  const label = `${provider.source} ${provider.version} (${platform})`;
  const holds = (dir: string) => mirrorHolds(dir, provider, platform);
  const looked: string[] = [];
  const found = (path: string, origin: MirrorOrigin, how: string): ProviderMirror => ({
    path,
    origin,
    description: `${label} from ${path} (${how})`,
  });

  const explicit = env[PROVIDER_MIRROR_ENV];
  if (explicit) {
    if (holds(explicit)) return found(explicit, 'TF_PROVIDER_MIRROR', `${PROVIDER_MIRROR_ENV}`);
    throw new ProviderNotFoundError(
      `${PROVIDER_MIRROR_ENV}=${explicit} holds no ${label}: point it at the folder above ` +
        `${REGISTRY_HOST}/${provider.source}/${provider.version}/${platform}/, or unset it to let the project find one.`,
    );
  }
  looked.push(`${PROVIDER_MIRROR_ENV}: not set`);

  const cliConfigFile = env.TF_CLI_CONFIG_FILE || join(home, '.terraformrc');
  const cli = readCliConfig(cliConfigFile, env);
  for (const dir of cli.filesystemMirrors) {
    if (holds(dir)) return found(dir, 'Terraform CLI configuration', `filesystem_mirror in ${cliConfigFile}`);
  }
  looked.push(
    `Terraform CLI configuration ${cliConfigFile}: ${cli.filesystemMirrors.length ? cli.filesystemMirrors.join(', ') : 'no filesystem_mirror'}`,
  );

  const implied = impliedMirrorDirs(env, home, options.cwd ?? process.cwd());
  for (const dir of implied)
    if (holds(dir)) return found(dir, 'implied local mirror', 'implied local mirror');
  looked.push(`implied local mirrors: ${implied.join(', ')}`);

  const pluginCache = env.TF_PLUGIN_CACHE_DIR || cli.pluginCacheDir;
  if (pluginCache && holds(pluginCache)) return found(pluginCache, 'plugin cache', 'Terraform plugin cache');
  looked.push(`plugin cache: ${pluginCache ?? 'none configured (TF_PLUGIN_CACHE_DIR, plugin_cache_dir)'}`);

  // The machine search and the registry install are remembered, keyed by provider and platform.
  const key = `${provider.source.replace('/', '-')}-${provider.version}-${platform}`;
  const cacheFile = join(options.cacheDir, `mirror-${key}.json`);
  const installed = join(options.cacheDir, 'registry-providers');
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as SearchCache;
    if (holds(cached.path)) {
      const origin = cached.path === installed ? 'registry install' : 'found on this machine';
      return found(cached.path, origin, `${origin}, remembered in ${cacheFile}`);
    }
  } catch {
    // Nothing remembered yet, or the mirror is gone: search again.
  }
  const remember = (path: string) => {
    mkdirSync(options.cacheDir, { recursive: true });
    writeFileSync(cacheFile, `${JSON.stringify({ path } satisfies SearchCache)}\n`);
  };

  const roots = options.searchRoots ?? ['/'];
  const depth = options.searchDepth ?? 6;
  const limit = options.searchSeconds ?? 10;
  log(`looking for a ${label} mirror under ${roots.join(', ')} (depth ${depth}, at most ${limit} s)`);
  const search = searchForMirror(roots, holds, depth, limit);
  if (search.found) {
    remember(search.found);
    return found(
      search.found,
      'found on this machine',
      `found on this machine in ${search.seconds.toFixed(1)} s, remembered in ${cacheFile}`,
    );
  }
  looked.push(
    `search of ${roots.join(', ')} to depth ${depth}: ${search.visited} folders in ${search.seconds.toFixed(1)} s` +
      (search.timedOut ? ' (stopped at the time limit)' : ''),
  );

  log(`no mirror on this machine; installing ${label} from ${REGISTRY_HOST}`);
  try {
    await registryInstall(
      [provider, ...(options.alsoInstall ?? [])],
      installed,
      env,
      options.installSeconds ?? 600,
    );
    if (holds(installed)) {
      remember(installed);
      return found(installed, 'registry install', `installed from ${REGISTRY_HOST}`);
    }
    looked.push(`${REGISTRY_HOST}: the install finished without ${label}`);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const reason =
      (e.stderr || e.message).split('\n').find((l) => /error/i.test(l)) ?? e.message.split('\n')[0];
    looked.push(`${REGISTRY_HOST}: not reachable (${reason.replace(/[│╷╵]/g, '').trim()})`);
  }

  throw new ProviderNotFoundError(
    [
      `No ${label} for offline plans: export ${PROVIDER_MIRROR_ENV}=<folder> naming a Terraform filesystem mirror ` +
        `(the folder above ${REGISTRY_HOST}/${provider.source}/${provider.version}/${platform}/), or run once with access to ${REGISTRY_HOST}.`,
      'Looked in:',
      ...looked.map((l) => `  - ${l}`),
      `Build a mirror on a machine with registry access: npm run synth && terraform -chdir=cdktf.out/stacks/staging providers mirror <folder>`,
    ].join('\n'),
  );
}
