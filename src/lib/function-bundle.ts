import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { zipSync } from './zip';

/** Root of the project (this file is src/lib/function-bundle.ts). */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** Where bundles are kept between synths, keyed by their content (never committed). */
export const BUNDLE_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'ecg-functions');

/** Node.js major version the bundles target; matches the Lambda runtime the modules choose. */
export const BUNDLE_NODE_TARGET = 'node22';

/** Optional peer modules a bundled library loads only when asked to (left out of the bundle). */
const OPTIONAL_PEERS = ['@opentelemetry/api'];

export interface FunctionBundle {
  /** Folder holding `index.js` and `archive.zip`. */
  readonly directory: string;
  /**
   * `archive.zip`: the deployment package, `index.js` alone, zipped once when the bundle is built
   * (byte-stable: fixed timestamp, mode 644). A TerraformAsset of type FILE copies it as it is.
   */
  readonly archive: string;
  /** SHA-256 (hex) of `index.js`. */
  readonly sha256: string;
  /**
   * MD5 of `index.js`, upper-case hex: the folder cdktf names the asset after. It is the name cdktf
   * gave the folder of `index.js` alone when it zipped it at every synth, so the path stays.
   */
  readonly assetHash: string;
  readonly bytes: number;
}

/** What a bundle was built from: every input file with its size and modification time. */
interface BundleManifest {
  readonly entry: string;
  readonly inputs: Readonly<Record<string, readonly [number, number]>>;
  /** INSTALL_STAMP's size and modification time when the bundle was built. */
  readonly installed?: readonly [number, number];
  readonly bundle: FunctionBundle;
}

/**
 * npm rewrites this file whenever an install changes node_modules: while it is unchanged, the
 * inputs inside node_modules (about a thousand files of the AWS SDK) are not stat'ed one by one,
 * only the project's own sources are. A file edited by hand inside node_modules is not noticed.
 */
const INSTALL_STAMP = 'node_modules/.package-lock.json';

function stamp(path: string): [number, number] | undefined {
  try {
    const st = statSync(join(PROJECT_ROOT, path));
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

/** The previous bundle of `name`, when every file it was built from is unchanged. */
function unchanged(name: string, entry: string): FunctionBundle | undefined {
  const path = join(BUNDLE_CACHE_DIR, `${name}.manifest.json`);
  if (!existsSync(path)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as BundleManifest;
    const { directory, archive } = manifest.bundle;
    if (
      manifest.entry !== entry ||
      !manifest.bundle.assetHash ||
      !existsSync(join(directory, 'index.js')) ||
      !existsSync(archive)
    )
      return undefined;
    const installed = stamp(INSTALL_STAMP);
    const sameInstall =
      manifest.installed !== undefined &&
      installed !== undefined &&
      installed[0] === manifest.installed[0] &&
      installed[1] === manifest.installed[1];
    const toCheck = Object.entries(manifest.inputs).filter(
      ([input]) => !(sameInstall && input.startsWith('node_modules/')),
    );
    const same = toCheck.every(([input, [size, mtime]]) => {
      const now = stamp(input);
      return now !== undefined && now[0] === size && now[1] === mtime;
    });
    return same ? manifest.bundle : undefined;
  } catch {
    return undefined;
  }
}

/** Writes beside, then renames: a parallel synth never sees half a file. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, file);
}

/**
 * Bundles a function's entry file and everything it imports into one CommonJS `index.js` with
 * esbuild, at synth time, and zips it into `archive.zip`. Minified without source paths, so the
 * same sources give the same bytes on every machine; the folder is named after the content, so
 * concurrent synths share it. A bundle whose input files (size and modification time) are
 * unchanged is reused as it is: no esbuild, no zip.
 */
export function bundleFunction(name: string, entry: string): FunctionBundle {
  const known = unchanged(name, entry);
  if (known) return known;
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: BUNDLE_NODE_TARGET,
    format: 'cjs',
    minify: true,
    keepNames: true,
    legalComments: 'eof',
    external: OPTIONAL_PEERS,
    write: false,
    outfile: 'index.js',
    logLevel: 'silent',
    metafile: true,
  });
  const code = result.outputFiles[0].contents;
  const sha256 = createHash('sha256').update(code).digest('hex');
  const directory = join(BUNDLE_CACHE_DIR, `${name}-${sha256.slice(0, 16)}`);
  const file = join(directory, 'index.js');
  const archive = join(directory, 'archive.zip');
  mkdirSync(directory, { recursive: true });
  if (!existsSync(file)) writeAtomically(file, code);
  if (!existsSync(archive)) writeAtomically(archive, zipSync([{ name: 'index.js', data: code }]));
  const assetHash = createHash('md5').update(code).digest('hex').toUpperCase();
  const bundle: FunctionBundle = { directory, archive, sha256, assetHash, bytes: code.length };
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs).flatMap((input) => {
      const now = stamp(input);
      return now ? [[input, now]] : [];
    }),
  );
  writeAtomically(
    join(BUNDLE_CACHE_DIR, `${name}.manifest.json`),
    JSON.stringify({ entry, inputs, installed: stamp(INSTALL_STAMP), bundle }),
  );
  return bundle;
}
