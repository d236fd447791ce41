import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_CACHE_DIR, bundleFunction } from '../src/lib/function-bundle';

describe('bundleFunction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  const entry = join(dir, 'entry.ts');
  const name = `test-bundle-${process.pid}`;
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const cached of readdirSync(BUNDLE_CACHE_DIR).filter((f) => f.startsWith(name))) {
      rmSync(join(BUNDLE_CACHE_DIR, cached), { recursive: true, force: true });
    }
  });

  it('reuses a bundle whose inputs are unchanged and rebuilds when one changes', () => {
    writeFileSync(entry, 'export const answer = 41;\n');
    const first = bundleFunction(name, entry);
    expect(bundleFunction(name, entry)).toEqual(first);
    writeFileSync(entry, 'export const answer = 4200;\n');
    const second = bundleFunction(name, entry);
    expect(second.sha256).not.toBe(first.sha256);
    expect(second.directory).not.toBe(first.directory);
  });

  it('zips the bundle once into a byte-stable archive: rebuilt later, the same bytes', async () => {
    writeFileSync(entry, 'export const handler = async () => 7;\n');
    const first = bundleFunction(name, entry);
    const bytes = readFileSync(first.archive);
    // No build time inside: 1980-01-01 00:00, the earliest zip date, whatever the clock says.
    expect(execFileSync('zipinfo', ['-T', '-s', first.archive]).toString()).toMatch(
      /-rw-r--r-- .* 19800101\.000000 index\.js/,
    );
    await new Promise((done) => setTimeout(done, 1100));
    rmSync(first.directory, { recursive: true, force: true });
    const again = bundleFunction(name, entry);
    expect(again.archive).toBe(first.archive);
    expect(readFileSync(again.archive).equals(bytes)).toBe(true);
    expect(again.assetHash).toMatch(/^[0-9A-F]{32}$/);
  });

  it('stats the inputs inside node_modules again only after an install rewrote node_modules/.package-lock.json', () => {
    writeFileSync(entry, 'export const answer = 43;\n');
    bundleFunction(name, entry);
    const manifestFile = join(BUNDLE_CACHE_DIR, `${name}.manifest.json`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      inputs: Record<string, [number, number]>;
      installed: [number, number];
    };
    expect(manifest.installed).toHaveLength(2);
    // An input inside node_modules that no longer matches: unseen while the install is the same...
    manifest.inputs['node_modules/gone/index.js'] = [1, 1];
    writeFileSync(manifestFile, JSON.stringify(manifest));
    bundleFunction(name, entry);
    expect(JSON.parse(readFileSync(manifestFile, 'utf8')).inputs).toHaveProperty([
      'node_modules/gone/index.js',
    ]);
    // ...and found, the bundle built again, once the install stamp differs.
    manifest.installed = [0, 0];
    writeFileSync(manifestFile, JSON.stringify(manifest));
    bundleFunction(name, entry);
    expect(JSON.parse(readFileSync(manifestFile, 'utf8')).inputs).not.toHaveProperty([
      'node_modules/gone/index.js',
    ]);
  });
});
