import { readFileSync, readdirSync, statSync } from 'node:fs';
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
