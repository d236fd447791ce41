import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Imports run one way. Each folder of src/ has a layer; a file may import only from its own layer
 * or a lower one, so no two layers ever depend on each other.
 */
const LAYERS: Readonly<Record<string, number>> = {
  lib: 0,
  modules: 1,
  policies: 1,
  functions: 1,
  config: 2,
  stacks: 3,
  'app.ts': 4,
  tools: 4,
};

const SRC = resolve(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file: string): string {
  return relative(SRC, file).split('/')[0];
}

function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)].map(
    (m) => m[1],
  );
  return specifiers.map((s) => resolve(dirname(file), s));
}

function upwardImports(file: string, targets: readonly string[]): string[] {
  return targets
    .filter((target) => target.startsWith(SRC))
    .filter((target) => LAYERS[layerOf(target)] > LAYERS[layerOf(file)])
    .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`);
}

describe('import direction', () => {
  const files = sourceFiles(SRC);

  it('knows the layer of every folder of src/', () => {
    expect([...new Set(files.map(layerOf))].filter((l) => LAYERS[l] === undefined)).toEqual([]);
  });

  it('never imports from a higher layer (lib < modules, policies < config < stacks < app, tools)', () => {
    expect(files.flatMap((file) => upwardImports(file, localImports(file)))).toEqual([]);
  });

  it('fails when a module imports from config or lib imports from a module', () => {
    expect(upwardImports(join(SRC, 'modules', 'ecs.ts'), [join(SRC, 'config', 'validate')])).toEqual([
      'modules/ecs.ts -> config/validate',
    ]);
    expect(upwardImports(join(SRC, 'lib', 'naming.ts'), [join(SRC, 'modules', 'vpc')])).toHaveLength(1);
    expect(upwardImports(join(SRC, 'config', 'types.ts'), [join(SRC, 'modules', 'ecs')])).toEqual([]);
  });
});

/** The file a relative import names: `x.ts`, or `x/index.ts` for a folder. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
}

/** Local imports of every file, `import type` ones left out with `runtimeOnly`. */
function importGraph(files: readonly string[], runtimeOnly: boolean): Map<string, string[]> {
  const pattern = /(?:^|\n)\s*(import|export)(\s+type\b)?[^'";]*?from\s+'(\.[^']+)'/g;
  return new Map(
    files.map((file) => [
      file,
      [...readFileSync(file, 'utf8').matchAll(pattern)]
        .filter((m) => !(runtimeOnly && m[2]))
        .map((m) => resolveImport(file, m[3]))
        .filter((t): t is string => t !== undefined),
    ]),
  );
}

/** Every import circle of the graph, as `a.ts -> b.ts -> a.ts` (depth-first, each back edge once). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        cycles.push([...path.slice(path.indexOf(next)), next].map((f) => relative(SRC, f)).join(' -> '));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('import circles', () => {
  const files = sourceFiles(SRC);

  it('has no import circle among the files of src/ at run time', () => {
    expect(importCycles(importGraph(files, true))).toEqual([]);
  });

  it('has no circle when type imports count too', () => {
    expect(importCycles(importGraph(files, false))).toEqual([]);
  });

  it('fails when two files import each other (directly or through a folder index)', () => {
    const a = join(SRC, 'tools', 'cost', 'pricing.ts');
    const b = join(SRC, 'tools', 'cost', 'index.ts');
    const graph = new Map([
      [a, [b]],
      [b, [a]],
    ]);
    expect(importCycles(graph)).toEqual([
      'tools/cost/index.ts -> tools/cost/pricing.ts -> tools/cost/index.ts',
    ]);
    expect(resolveImport(join(SRC, 'app.ts'), './tools/diagram')).toBe(
      join(SRC, 'tools', 'diagram', 'index.ts'),
    );
  });
});

const ROOT = resolve(__dirname, '..');
const MAX_LINES = 600;

describe('file size', () => {
  const lineCount = (file: string) => readFileSync(file, 'utf8').replace(/\n$/, '').split('\n').length;
  const sources = [...sourceFiles(SRC), ...sourceFiles(join(ROOT, 'scripts')), join(ROOT, 'main.ts')].map(
    (f) => relative(ROOT, f),
  );

  it(`keeps every source file (src/, scripts/, main.ts) at ${MAX_LINES} lines or fewer`, () => {
    const over = sources.filter((f) => lineCount(join(ROOT, f)) > MAX_LINES).sort();
    expect(over).toEqual([]);
  });
});
