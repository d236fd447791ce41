import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readCdktfJson } from '../src/tools/synth';

const run = promisify(execFile);
const projectDir = resolve(__dirname, '..');
const cacheDir = join(projectDir, 'node_modules', '.cache', 'ecg-infra', 'app');

describe('scripts/run-app.mjs, the launcher of the cdktf.json app command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-app-'));
  const entry = join(dir, 'entry.ts');
  const cached = relative(projectDir, entry).replace(/[^A-Za-z0-9]+/g, '-');
  afterAll(() => {
    for (const file of readdirSync(cacheDir).filter((f) => f.startsWith(cached))) {
      rmSync(join(cacheDir, file), { force: true });
    }
  });

  const launch = async () =>
    (await run(process.execPath, ['scripts/run-app.mjs', entry, 'one'], { cwd: projectDir })).stdout;
  /** How a launch that must fail ended: its exit code and stderr (undefined if it succeeded). */
  const launchFailure = () =>
    launch().then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );

  it('is what cdktf.json runs, with main.ts as its entry', () => {
    expect(readCdktfJson(projectDir).app).toBe('node scripts/run-app.mjs main.ts');
  });

  it('runs TypeScript from a cached bundle, rebuilt only when a file it imports changes', async () => {
    writeFileSync(
      join(dir, 'dep.ts'),
      'export const answer: number = 41;\nexport const where = __dirname;\n',
    );
    writeFileSync(
      entry,
      "import { answer, where } from './dep';\nconsole.log(JSON.stringify({ answer, where, argv: process.argv.slice(1) }));\n",
    );
    expect(JSON.parse(await launch())).toEqual({ answer: 41, where: dir, argv: [entry, 'one'] });
    const bundle = join(cacheDir, `${cached}.js`);
    const built = statSync(bundle).mtimeMs;
    // Unchanged sources: the same bundle, not written again, and V8's code cache beside it.
    expect(JSON.parse(await launch())).toMatchObject({ answer: 41 });
    expect(statSync(bundle).mtimeMs).toBe(built);
    expect(
      readdirSync(cacheDir).filter((f) => f.startsWith(`${cached}-`) && f.endsWith('.v8cache')),
    ).toHaveLength(1);

    writeFileSync(
      join(dir, 'dep.ts'),
      'export const answer: number = 4200;\nexport const where = __dirname;\n',
    );
    expect(JSON.parse(await launch())).toMatchObject({ answer: 4200 });
    expect(readFileSync(bundle, 'utf8')).toContain('4200');
  });

  it('fails with the warning and exit 1 when the bundle would run an empty import.meta (an ES-only module)', async () => {
    writeFileSync(
      join(dir, 'dep.ts'),
      'export const answer = import.meta.url;\nexport const where = __dirname;\n',
    );
    const failure = await launchFailure();
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('"import.meta" is not available with the "cjs" output format');
    expect(failure?.stderr).toContain('dep.ts');
  });

  it('fails with exit 1, naming the module, when a dependency reads import.meta (esbuild does not warn there)', async () => {
    const pkg = join(dir, 'node_modules', 'esm-only');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"esm-only","type":"module","exports":"./index.mjs"}\n');
    writeFileSync(join(pkg, 'index.mjs'), 'export const here = import.meta.url;\n');
    writeFileSync(
      join(dir, 'dep.ts'),
      "export { here as answer } from 'esm-only';\nexport const where = __dirname;\n",
    );
    const failure = await launchFailure();
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(
      'index.mjs read import.meta, which a CommonJS bundle leaves empty: make the package external in scripts/run-app.mjs',
    );
  });

  it('bundles every tool an npm script starts through it without a warning (RUN_APP_CHECK=1 builds only)', async () => {
    const scripts = (
      JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const entries = [
      ...new Set(
        Object.values(scripts).flatMap(
          (command) => /^node scripts\/run-app\.mjs (\S+)/.exec(command)?.[1] ?? [],
        ),
      ),
    ].sort();
    expect(entries).toEqual([
      'scripts/bench.ts',
      'scripts/cdktf.ts',
      'scripts/cost.ts',
      'scripts/diagram.ts',
      'scripts/json-identity.ts',
      'scripts/load-test.ts',
      'scripts/mutation-report.ts',
      'scripts/plan.ts',
      'scripts/policy.ts',
      'scripts/synth.ts',
    ]);
    for (const entry of entries) {
      await run(process.execPath, ['scripts/run-app.mjs', entry], {
        cwd: projectDir,
        env: { ...process.env, RUN_APP_CHECK: '1' },
      });
    }
  }, 120_000);

  it('fails with the compile error and exit 1 when a source does not compile', async () => {
    writeFileSync(join(dir, 'dep.ts'), 'export const answer: number = ;\n');
    const failure = await launchFailure();
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('dep.ts');
  });
});
