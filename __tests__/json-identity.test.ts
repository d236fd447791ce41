import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ADDRESSES_FIXTURE,
  addressesByStack,
  blockDifferences,
  checkoutRevision,
  compareSynthOutputs,
  formatIdentityReport,
  terraformAddresses,
} from '../src/tools/json-identity';
import { synthesizeInProcess } from '../src/tools/synth';
import { addressDrift } from './support/stateful';
import type { Json } from './support/synth';

const projectDir = resolve(__dirname, '..');
const pinned = JSON.parse(readFileSync(join(projectDir, ADDRESSES_FIXTURE), 'utf8')) as Record<
  string,
  string[]
>;
const pinnedStateful = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'stateful-addresses.json'), 'utf8'),
) as Record<string, string[]>;

describe('pinned addresses of every resource, data source and output', () => {
  // As `npm run identity -- --write-addresses` synthesizes them: cdktf.json settings, no ECG_*.
  const actual = addressesByStack(synthesizeInProcess(projectDir, {}, { skipValidation: true }));

  it('pins the three stacks', () => {
    expect(Object.keys(actual).sort()).toEqual(['production', 'staging', 'state-backend']);
    expect(Object.keys(pinned).sort()).toEqual(['production', 'staging', 'state-backend']);
  });

  // A renamed construct id (a module split that adds a construct level, say) moves a resource to
  // another address: Terraform destroys the old one. Deliberate changes: npm run identity -- --write-addresses.
  it.each(['state-backend', 'staging', 'production'])('%s has exactly the pinned addresses', (stack) => {
    expect(addressDrift(actual[stack], pinned[stack])).toEqual([]);
  });

  it('holds every pinned stateful address (stateful-addresses.json is a subset)', () => {
    for (const [stack, addresses] of Object.entries(pinnedStateful)) {
      expect(addresses.filter((a) => !pinned[stack].includes(a))).toEqual([]);
    }
  });
});

describe('comparing synthesized output by address', () => {
  const before: Json = {
    '//': { metadata: { version: '0.21.0' } },
    provider: { aws: [{ region: 'ap-northeast-2' }] },
    resource: {
      aws_lb: { api_alb_57F8549D: { name: 'x-alb', internal: true } },
      aws_lb_listener: { api_http_E1D2E7D4: { port: 80 } },
    },
    data: { aws_ssm_parameter: { ami: { name: '/aws/service/x' } } },
    output: { 'alb-dns': { value: '${aws_lb.api_alb_57F8549D.dns_name}' } },
  };

  it('lists resources, data sources and outputs by address', () => {
    expect(terraformAddresses(before)).toEqual([
      'aws_lb.api_alb_57F8549D',
      'aws_lb_listener.api_http_E1D2E7D4',
      'data.aws_ssm_parameter.ami',
      'output.alb-dns',
    ]);
  });

  it('finds nothing between a stack and itself', () => {
    expect(blockDifferences(before, JSON.parse(JSON.stringify(before)) as Json)).toEqual([]);
  });

  it('fails when a construct id is renamed: the old address is missing and a new one appears', () => {
    const after = JSON.parse(JSON.stringify(before)) as Json;
    after.resource.aws_lb = { api_lb_alb_0C3B2D1A: after.resource.aws_lb.api_alb_57F8549D };
    expect(blockDifferences(before, after)).toEqual([
      'missing: resource.aws_lb.api_alb_57F8549D',
      'new: resource.aws_lb.api_lb_alb_0C3B2D1A',
    ]);
  });

  it('fails when an argument, an output or the provider changes', () => {
    const after = JSON.parse(JSON.stringify(before)) as Json;
    after.resource.aws_lb_listener.api_http_E1D2E7D4.port = 8080;
    after.output['alb-dns'].sensitive = true;
    after.provider.aws[0].region = 'us-west-2';
    expect(blockDifferences(before, after)).toEqual([
      'changed: provider.aws',
      'changed: resource.aws_lb_listener.api_http_E1D2E7D4',
      'changed: output.alb-dns',
    ]);
  });

  it('compares two output folders file by file and names the differing blocks', () => {
    const root = mkdtempSync(join(tmpdir(), 'identity-test-'));
    const write = (side: string, stack: string, json: Json) => {
      mkdirSync(join(root, side, stack), { recursive: true });
      writeFileSync(join(root, side, stack, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    };
    write('a', 'staging', before);
    write('b', 'staging', before);
    const same = compareSynthOutputs(join(root, 'a'), join(root, 'b'));
    expect(same.identical).toBe(true);
    expect(formatIdentityReport(same, 'HEAD')).toMatch(
      /^identical {2}[0-9a-f]{64} {2}staging\/cdk\.tf\.json\nthe working tree synthesizes byte-identical output to HEAD$/,
    );

    const changed = JSON.parse(JSON.stringify(before)) as Json;
    changed.resource.aws_lb.api_alb_57F8549D.internal = false;
    write('b', 'staging', changed);
    write('b', 'production', before);
    const different = compareSynthOutputs(join(root, 'a'), join(root, 'b'));
    expect(different.identical).toBe(false);
    expect([...different.files.keys()]).toEqual(['production/cdk.tf.json', 'staging/cdk.tf.json']);
    expect(different.files.get('production/cdk.tf.json')?.[0]).toBeUndefined();
    expect(different.differences.get('staging/cdk.tf.json')).toEqual([
      'changed: resource.aws_lb.api_alb_57F8549D',
    ]);
  });
});

describe('checking out a revision for the comparison', () => {
  it('makes a temporary worktree with the shared node_modules, and removes it', async () => {
    const checkout = await checkoutRevision(projectDir, 'HEAD');
    try {
      expect(checkout.dir.startsWith(tmpdir())).toBe(true);
      expect(checkout.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(existsSync(join(checkout.dir, 'cdktf.json'))).toBe(true);
      expect(lstatSync(join(checkout.dir, 'node_modules')).isSymbolicLink()).toBe(true);
    } finally {
      await checkout.dispose();
    }
    expect(existsSync(checkout.dir)).toBe(false);
  }, 60_000);
});
