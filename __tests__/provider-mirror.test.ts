import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLOSED_LOOPBACK_PROXY } from '../src/tools/offline-plan';
import {
  ProviderNotFoundError,
  boundProvider,
  impliedMirrorDirs,
  mirrorHolds,
  readCliConfig,
  resolveProviderMirror,
  searchForMirror,
  terraformPlatform,
  type ResolveOptions,
} from '../src/tools/provider-mirror';

const AWS = { source: 'hashicorp/aws', version: '5.100.0' };
const PLATFORM = 'linux_amd64';

/** A fake filesystem mirror holding hashicorp/aws 5.100.0, unpacked or packed. */
function fakeMirror(dir: string, layout: 'unpacked' | 'packed' = 'unpacked', version = AWS.version): string {
  const base = join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  if (layout === 'packed') {
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, `terraform-provider-aws_${version}_${PLATFORM}.zip`), '');
  } else {
    mkdirSync(join(base, version, PLATFORM), { recursive: true });
    writeFileSync(join(base, version, PLATFORM, `terraform-provider-aws_v${version}_x5`), '');
  }
  return dir;
}

/** A machine with nothing on it: an empty home, no variables, a search confined to an empty folder. */
function emptyMachine(): Omit<ResolveOptions, 'provider'> & { root: string; home: string } {
  const root = mkdtempSync(join(tmpdir(), 'machine-'));
  const home = join(root, 'home');
  mkdirSync(home);
  mkdirSync(join(root, 'search'));
  return {
    root,
    home,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_DIRS: join(root, 'share'),
      HTTPS_PROXY: CLOSED_LOOPBACK_PROXY,
      HTTP_PROXY: CLOSED_LOOPBACK_PROXY,
    },
    cwd: join(root, 'project'),
    cacheDir: join(root, 'cache'),
    searchRoots: [join(root, 'search')],
    platform: PLATFORM,
  };
}

const resolveOn = (machine: Omit<ResolveOptions, 'provider'>, extra: Partial<ResolveOptions> = {}) =>
  resolveProviderMirror({ provider: AWS, ...machine, ...extra });

describe('provider mirror layout', () => {
  it('reads both layouts Terraform reads, for the exact version and platform only', () => {
    const root = mkdtempSync(join(tmpdir(), 'mirror-'));
    expect(mirrorHolds(fakeMirror(join(root, 'a')), AWS, PLATFORM)).toBe(true);
    expect(mirrorHolds(fakeMirror(join(root, 'b'), 'packed'), AWS, PLATFORM)).toBe(true);
    expect(mirrorHolds(fakeMirror(join(root, 'c'), 'unpacked', '5.99.0'), AWS, PLATFORM)).toBe(false);
    expect(mirrorHolds(join(root, 'a'), AWS, 'darwin_arm64')).toBe(false);
    expect(mirrorHolds(join(root, 'missing'), AWS, PLATFORM)).toBe(false);
  });

  it('takes the provider version from the binding package the app imports', () => {
    expect(boundProvider(resolve(__dirname, '..'), '@cdktf/provider-aws')).toEqual(AWS);
    expect(terraformPlatform('linux', 'x64')).toBe('linux_amd64');
    expect(terraformPlatform('darwin', 'arm64')).toBe('darwin_arm64');
  });

  it("lists Terraform's implied local mirror directories in its order, XDG variables honoured", () => {
    expect(impliedMirrorDirs({}, '/h', '/p')).toEqual([
      '/p/terraform.d/plugins',
      '/h/.terraform.d/plugins',
      '/h/.local/share/terraform/plugins',
      '/usr/local/share/terraform/plugins',
      '/usr/share/terraform/plugins',
    ]);
    expect(impliedMirrorDirs({ XDG_DATA_HOME: '/x', XDG_DATA_DIRS: '/d1:/d2' }, '/h', '/p').slice(2)).toEqual(
      ['/x/terraform/plugins', '/d1/terraform/plugins', '/d2/terraform/plugins'],
    );
  });

  it('reads plugin_cache_dir and filesystem_mirror paths from a CLI configuration, variables expanded', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tfrc-')), 'cli.tfrc');
    writeFileSync(
      file,
      'plugin_cache_dir = "$HOME/.terraform.d/plugin-cache"\nprovider_installation {\n  filesystem_mirror {\n    path    = "${HOME}/mirror"\n    include = ["hashicorp/*"]\n  }\n  direct {}\n}\n',
    );
    expect(readCliConfig(file, { HOME: '/u' })).toEqual({
      pluginCacheDir: '/u/.terraform.d/plugin-cache',
      filesystemMirrors: ['/u/mirror'],
    });
    expect(readCliConfig('/nonexistent.tfrc', {})).toEqual({ filesystemMirrors: [] });
  });
});

describe('finding the provider without a variable', () => {
  it('takes TF_PROVIDER_MIRROR first', async () => {
    const machine = emptyMachine();
    const mirror = fakeMirror(join(machine.root, 'explicit'));
    fakeMirror(join(machine.home, '.terraform.d', 'plugins'));
    const found = await resolveOn({ ...machine, env: { ...machine.env, TF_PROVIDER_MIRROR: mirror } });
    expect(found).toMatchObject({ path: mirror, origin: 'TF_PROVIDER_MIRROR' });
  });

  it('fails when TF_PROVIDER_MIRROR holds no provider, saying what to do on the first line', async () => {
    const machine = emptyMachine();
    const bad = join(machine.root, 'empty');
    const error = await resolveOn({ ...machine, env: { ...machine.env, TF_PROVIDER_MIRROR: bad } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ProviderNotFoundError);
    expect((error as Error).message.split('\n')[0]).toBe(
      `TF_PROVIDER_MIRROR=${bad} holds no hashicorp/aws 5.100.0 (linux_amd64): point it at the folder above registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/, or unset it to let the project find one.`,
    );
  });

  it("uses the CLI configuration's filesystem_mirror, then the implied local mirrors, then the plugin cache", async () => {
    const machine = emptyMachine();
    const configured = fakeMirror(join(machine.root, 'configured'));
    const cliConfig = join(machine.root, 'cli.tfrc');
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path = "${configured}"\n  }\n}\n`,
    );
    const implied = fakeMirror(join(machine.home, '.local', 'share', 'terraform', 'plugins'));
    const cache = fakeMirror(join(machine.root, 'plugin-cache'));
    const env = { ...machine.env, TF_PLUGIN_CACHE_DIR: cache };

    expect(await resolveOn({ ...machine, env: { ...env, TF_CLI_CONFIG_FILE: cliConfig } })).toMatchObject({
      path: configured,
      origin: 'Terraform CLI configuration',
    });
    expect(await resolveOn({ ...machine, env })).toMatchObject({
      path: implied,
      origin: 'implied local mirror',
    });
    const xdg = fakeMirror(join(machine.root, 'share', 'terraform', 'plugins'));
    expect(
      await resolveOn({ ...machine, env: { ...env, XDG_DATA_HOME: join(machine.root, 'none') } }),
    ).toMatchObject({ path: xdg, origin: 'implied local mirror' });
    expect(
      await resolveOn({
        ...machine,
        env: { ...env, XDG_DATA_HOME: join(machine.root, 'none'), XDG_DATA_DIRS: join(machine.root, 'none') },
      }),
    ).toMatchObject({ path: cache, origin: 'plugin cache' });
  });

  it('searches the machine within its depth, then remembers what it found', async () => {
    const machine = emptyMachine();
    const search = machine.searchRoots![0];
    const mirror = fakeMirror(join(search, 'opt', 'team', 'tf-mirror'));
    fakeMirror(join(search, 'opt', 'node_modules', 'x')); // never entered
    const tooDeep = await resolveOn(machine, { searchDepth: 2 }).catch((e) => e);
    expect(tooDeep).toBeInstanceOf(ProviderNotFoundError);
    expect((tooDeep as Error).message).toContain(`search of ${search} to depth 2:`);

    const found = await resolveOn(machine, { searchDepth: 3 });
    expect(found).toMatchObject({ path: mirror, origin: 'found on this machine' });
    const again = await resolveOn({ ...machine, searchRoots: [] });
    expect(again.path).toBe(mirror);
    expect(again.description).toContain('remembered in');
  });

  it('stops the search at its time limit', () => {
    const result = searchForMirror(['/'], () => false, 50, 0);
    expect(result.timedOut).toBe(true);
    expect(result.found).toBeUndefined();
  });

  it('installs from the registry as Terraform does when nothing is on the machine', async () => {
    const machine = emptyMachine();
    // A stand-in terraform: what the real one leaves in TF_PLUGIN_CACHE_DIR after `init`.
    const bin = join(machine.root, 'bin');
    mkdirSync(bin);
    const target = 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64';
    writeFileSync(
      join(bin, 'terraform'),
      `#!/bin/sh\necho "$@ cli=$TF_CLI_CONFIG_FILE" > "$TF_PLUGIN_CACHE_DIR/../args"\nmkdir -p "$TF_PLUGIN_CACHE_DIR/${target}"\ntouch "$TF_PLUGIN_CACHE_DIR/${target}/terraform-provider-aws_v5.100.0_x5"\n`,
    );
    chmodSync(join(bin, 'terraform'), 0o755);
    const env = { ...machine.env, PATH: `${bin}:${process.env.PATH}` };
    const found = await resolveOn({ ...machine, env });
    expect(found).toMatchObject({
      path: join(machine.cacheDir, 'registry-providers'),
      origin: 'registry install',
    });
    expect(readFileSync(join(machine.cacheDir, 'args'), 'utf8')).toMatch(
      / init -input=false .* cli=\/dev\/null/,
    );
  });

  it('fails when nothing works, the first line saying what to do and the rest where it looked', async () => {
    const machine = emptyMachine();
    // The real terraform, against the closed loopback proxy: the registry cannot be reached.
    const error = await resolveOn(machine).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderNotFoundError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe(
      'No hashicorp/aws 5.100.0 (linux_amd64) for offline plans: export TF_PROVIDER_MIRROR=<folder> naming a Terraform filesystem mirror (the folder above registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/), or run once with access to registry.terraform.io.',
    );
    expect(lines).toContain('  - TF_PROVIDER_MIRROR: not set');
    expect(lines.some((l) => l.startsWith('  - implied local mirrors: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('  - registry.terraform.io: not reachable'))).toBe(true);
    expect(lines.at(-1)).toContain('terraform -chdir=cdktf.out/stacks/staging providers mirror <folder>');
  }, 60_000);
});
