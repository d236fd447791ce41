import { TerraformOutput, TerraformVariable } from 'cdktf';
import {
  parseSizeOnceTagged,
  platformVariables,
  sizeOnceTagged,
  type VariableSpec,
} from '../src/stacks/variables';
import { synthScope } from './support/synth';

/** The synth-time side of a variable's rules: true when every rule accepts `value`. */
function accepted(specs: readonly VariableSpec[], name: string, value: unknown): boolean {
  const spec = specs.find((s) => s.name === name);
  if (!spec) throw new Error(`no variable ${name}`);
  return spec.rules.every((rule) => rule.accepts(value));
}

const specs = platformVariables({ immutableTags: true });

describe('synth-time checks of tfvars values (the same rules Terraform checks at plan)', () => {
  it('ssh_allowed_cidrs: IPv4 CIDRs from /16 to /32, each octet at most 255, as a list', () => {
    for (const ok of [[], ['203.0.113.0/24'], ['10.0.0.0/16', '255.255.255.255/32']]) {
      expect(accepted(specs, 'ssh_allowed_cidrs', ok), JSON.stringify(ok)).toBe(true);
    }
    for (const bad of [
      ['0.0.0.0/0'],
      ['10.0.0.0/15'],
      ['256.0.0.0/16'],
      ['10.0.0.256/24'],
      ['10.0.0.0/24', '10.0.0.0'],
      ['10.0.0.0/24 '],
      [24],
      '10.0.0.0/24',
    ]) {
      expect(accepted(specs, 'ssh_allowed_cidrs', bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('image tags: a Docker tag or empty, never latest, never a number', () => {
    expect(accepted(specs, 'api_image_tag', '4f2c1ab')).toBe(true);
    expect(accepted(specs, 'api_image_tag', '')).toBe(true);
    expect(accepted(specs, 'api_image_tag', 'latest')).toBe(false);
    expect(accepted(specs, 'api_image_tag', 7)).toBe(false);
    expect(accepted(specs, 'api_image_tag', '-x')).toBe(false);
  });
});

describe('parseSizeOnceTagged (the reports read a fleet size that waits for its image)', () => {
  it('reads the variable and the size of the synthesized conditional', () => {
    expect(parseSizeOnceTagged('${(var.render_worker_image_tag == "") ? 0 : 2}')).toEqual({
      variable: 'render_worker_image_tag',
      size: 2,
    });
    expect(parseSizeOnceTagged('${(var.model_server_image_tag == "") ? 0 : 12}')).toEqual({
      variable: 'model_server_image_tag',
      size: 12,
    });
  });

  it('reads what sizeOnceTagged synthesizes (the producer), and 0 stays a plain 0', () => {
    const json = synthScope((scope) => {
      const tag = new TerraformVariable(scope, 'render_worker_image_tag', { type: 'string', default: '' });
      new TerraformOutput(scope, 'gated', { value: sizeOnceTagged(tag.stringValue, 3) });
      new TerraformOutput(scope, 'none', { value: sizeOnceTagged(tag.stringValue, 0) });
    });
    expect(parseSizeOnceTagged(json.output.gated.value)).toEqual({
      variable: 'render_worker_image_tag',
      size: 3,
    });
    expect(json.output.none.value).toBe(0);
  });

  it('reads nothing else', () => {
    for (const other of [
      2,
      '2',
      undefined,
      'x${(var.tag == "") ? 0 : 2}',
      '${(var.tag == "") ? 0 : 2}x',
      '${(var.Tag == "") ? 0 : 2}',
      '${(var.1tag == "") ? 0 : 2}',
      '${(var.tag-x == "") ? 0 : 2}',
      '${(var.tag == "") ? 0 : x}',
    ]) {
      expect(parseSizeOnceTagged(other), String(other)).toBeUndefined();
    }
  });
});
