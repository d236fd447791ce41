/**
 * `node scripts/run-app.mjs main.ts`: the cdktf.json app command. It runs the TypeScript app with
 * plain Node, from one esbuild bundle of the entry and everything it imports (CommonJS, as tsx
 * builds it, but without tsx's kept function names: esbuild would wrap every closure cdktf's token
 * resolver creates, about 15 % of a stack's synth CPU), kept in node_modules/.cache/ecg-infra/app/
 * with V8's code cache for it.
 * The bundle is built again when any file it was built from changed (size or modification time),
 * or tsconfig.json, package.json, esbuild or this file did: a clean clone builds it on its first
 * synth (`npm ci` empties the cache), an edit is picked up by the next synth, and a synth whose
 * sources did not change compiles nothing. Where the cache cannot be written, it runs from memory.
 * The npm scripts start the project's tools the same way (`node scripts/run-app.mjs scripts/plan.ts`):
 * about 0.2 s of CPU before a tool's own work, where tsx takes 0.9 s.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const launcher = fileURLToPath(import.meta.url);
const root = resolve(dirname(launcher), '..');
const cacheDir = join(root, 'node_modules', '.cache', 'ecg-infra', 'app');
/** Files that change what a build gives besides its inputs. */
const SETTINGS = [
  relative(root, launcher),
  'tsconfig.json',
  'package.json',
  'node_modules/esbuild/package.json',
];

if (!process.argv[2]) {
  process.stderr.write('usage: node scripts/run-app.mjs <entry.ts> [args]\n');
  process.exit(2);
}
const entry = resolve(process.argv[2]);
const name = relative(root, entry).replace(/[^A-Za-z0-9]+/g, '-');
const bundleFile = join(cacheDir, `${name}.js`);
const manifestFile = join(cacheDir, `${name}.json`);

function stamp(file) {
  const st = statSync(join(root, file), { throwIfNoEntry: false });
  return st ? [st.size, st.mtimeMs] : null;
}

/** Writes beside, then renames: a synth running in parallel never reads half a file. */
function writeAtomically(file, data) {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, data);
    renameSync(partial, file);
  } catch {
    // A read-only node_modules: the next synth builds again.
  }
}

/** The cached bundle, when nothing it was built from changed since. */
function cachedBuild() {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const same = Object.entries(manifest.inputs).every(([file, was]) => {
      const now = stamp(file);
      return now !== null && now[0] === was[0] && now[1] === was[1];
    });
    if (!same) return undefined;
    const code = readFileSync(bundleFile, 'utf8');
    return manifest.hash === hashOf(code) ? { code, hash: manifest.hash } : undefined;
  } catch {
    return undefined;
  }
}

function hashOf(code) {
  return createHash('sha256').update(code).digest('hex').slice(0, 16);
}

/**
 * A bundle keeps one scope for all modules; the app's own files get their own `__dirname` and
 * `__filename` (src/lib/function-bundle.ts finds the project from it).
 */
const ownPaths = {
  name: 'own-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(sep).includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const paths = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};\n`;
      return { contents: paths + source, loader: 'ts' };
    });
  },
};

async function build() {
  const esbuild = createRequire(launcher)('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: false,
    // esbuild is loaded at synth only to bundle the Lambda functions (it finds its own binary);
    // prettier (the tools that write docs) is an ES module that cannot run inside a CommonJS bundle.
    external: ['esbuild', 'prettier'],
    write: false,
    outfile: bundleFile,
    metafile: true,
    logLevel: 'silent',
    plugins: [ownPaths],
  });
  // A warning is a bundle that would misbehave at run time (an ES module's import.meta is empty
  // in CommonJS): refused like a compile error.
  if (result.warnings.length > 0) {
    throw new Error(esbuild.formatMessagesSync(result.warnings, { kind: 'warning' }).join('\n'));
  }
  const code = result.outputFiles[0].text;
  // esbuild does not warn for dependencies: an ES module of node_modules that reads import.meta
  // gets an empty object in its place, and fails when the bundle loads.
  const emptyMeta = [...code.matchAll(/^var import_meta\d* = \{\};$/gm)].map((m) => {
    const before = code.slice(0, m.index).match(/^\/\/ (\S+)$/gm);
    return before ? before[before.length - 1].slice(3) : 'a module';
  });
  if (emptyMeta.length > 0) {
    throw new Error(
      `${[...new Set(emptyMeta)].join(', ')} read import.meta, which a CommonJS bundle leaves empty: make the package external in scripts/run-app.mjs`,
    );
  }
  const hash = hashOf(code);
  const inputs = {};
  for (const file of [...SETTINGS, ...Object.keys(result.metafile.inputs)]) {
    const now = stamp(file);
    if (now) inputs[file] = now;
  }
  writeAtomically(bundleFile, code);
  writeAtomically(manifestFile, JSON.stringify({ hash, inputs }));
  try {
    for (const file of readdirSync(cacheDir)) {
      if (file.startsWith(`${name}-`) && file.endsWith('.v8cache') && !file.includes(hash)) {
        rmSync(join(cacheDir, file), { force: true });
      }
    }
  } catch {
    // nothing cached yet
  }
  return { code, hash };
}

let app = cachedBuild();
if (!app) {
  try {
    app = await build();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

// RUN_APP_CHECK=1: build the bundle (or find it up to date) and stop, for the tests and warm-ups.
if (process.env.RUN_APP_CHECK === '1') process.exit(0);

// V8's code cache of this very bundle (named after its hash): the app's code is not compiled
// again, only checked. Missing or refused (another Node version), it is written after the run.
const codeCacheFile = join(cacheDir, `${name}-${app.hash}.v8cache`);
let cachedData;
try {
  cachedData = readFileSync(codeCacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${app.code}\n})`, {
  filename: bundleFile,
  cachedData,
});
// The app sees itself as `node main.ts` would: its path in process.argv[1], require from there.
process.argv.splice(1, 2, entry);
const appModule = { exports: {}, filename: entry, id: '.', loaded: false };
script.runInThisContext()(appModule.exports, createRequire(entry), appModule, entry, dirname(entry));
if (cachedData === undefined || script.cachedDataRejected) {
  writeAtomically(codeCacheFile, script.createCachedData());
}
