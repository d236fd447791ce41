import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** Root of the project (this file is src/lib/function-bundle.ts). */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** Where bundles are kept between synths, keyed by their content (never committed). */
export const BUNDLE_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'ecg-functions');

/** Node.js major version the bundles target; matches the Lambda runtime the modules choose. */
export const BUNDLE_NODE_TARGET = 'node22';

/** Optional peer modules a bundled library loads only when asked to (left out of the bundle). */
const OPTIONAL_PEERS = ['@opentelemetry/api'];

export interface FunctionBundle {
  /** Folder holding exactly one file, `index.js`: the archive a TerraformAsset zips. */
  readonly directory: string;
  /** SHA-256 (hex) of `index.js`. */
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Bundles a function's entry file and everything it imports into one CommonJS `index.js` with
 * esbuild, at synth time. Minified without source paths, so the same sources give the same bytes
 * on every machine; the folder is named after the content, so concurrent synths share it.
 */
export function bundleFunction(name: string, entry: string): FunctionBundle {
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
  });
  const code = result.outputFiles[0].contents;
  const sha256 = createHash('sha256').update(code).digest('hex');
  const directory = join(BUNDLE_CACHE_DIR, `${name}-${sha256.slice(0, 16)}`);
  const file = join(directory, 'index.js');
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    // Write beside, then rename: a parallel synth never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return { directory, sha256, bytes: code.length };
}
