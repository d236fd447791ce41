import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('fails with the compile error and exit 1 when a source does not compile', async () => {
    writeFileSync(join(dir, 'dep.ts'), 'export const answer: number = ;\n');
    const failure = await launch().then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('dep.ts');
  });
});
