import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TerraformCommandError, readStackTfvars } from '../src/tools/offline-plan';
import { TFVARS_DIR_ENV } from '../src/tools/tfvars';
import { configuredApp, configuredPlan, planStack, synthWith } from './support/tfvars';
import { shellEnv } from './support/env';
import { synthStack } from './support/app';
import { type Json } from './support/synth';

const run = promisify(execFile);

const projectDir = resolve(__dirname, '..');

describe('deploy-time values from terraform.tfvars', () => {
  // support/tfvars.ts: terraform.tfvars sets alarm_email = "ops@example.com" and api_image_tag =
  // "v1.0.0"; tfvars/staging.tfvars sets api_image_tag = "v1.2.3" and one SSH CIDR.
  let outdir: string;
  let plan: Json;

  beforeAll(async () => {
    outdir = await configuredApp();
    plan = (await configuredPlan('staging')).plan;
  });

  it('copies terraform.tfvars to every platform stack and tfvars/<stack>.tfvars to its own stack only', async () => {
    const staging = await readStackTfvars(outdir, 'staging');
    const production = await readStackTfvars(outdir, 'production');
    expect(Object.keys(staging)).toEqual(['staging.auto.tfvars', 'terraform.tfvars']);
    expect(Object.keys(production)).toEqual(['production.auto.tfvars', 'terraform.tfvars']);
    expect(staging['terraform.tfvars']).toBe(production['terraform.tfvars']);
    expect(staging['staging.auto.tfvars']).toBe(
      'api_image_tag = "v1.2.3"\nssh_allowed_cidrs = ["203.0.113.0/24"]\n',
    );
    expect(production['production.auto.tfvars']).toBe('render_worker_image_tag = "4f2c1ab"\n');
    expect(existsSync(join(outdir, 'stacks', 'state-backend', 'terraform.tfvars'))).toBe(false);
  });

  it('takes effect in the plan without flags, the per-stack file winning', () => {
    expect(plan.variables.alarm_email.value).toBe('ops@example.com');
    expect(plan.variables.api_image_tag.value).toBe('v1.2.3');
    const changes = plan.resource_changes as Json[];
    const subscription = changes.find((c) => c.type === 'aws_sns_topic_subscription');
    expect(subscription?.change.after).toMatchObject({ endpoint: 'ops@example.com', protocol: 'email' });
    const ssh = changes.filter(
      (c) => c.type === 'aws_vpc_security_group_ingress_rule' && c.change.after.from_port === 22,
    );
    expect(ssh.map((c) => c.change.after.cidr_ipv4)).toEqual(['203.0.113.0/24']);
  });
});

describe('variable validation', () => {
  // Synth rejects these values itself (bad-input.test.ts); the plan must reject them too, for
  // tfvars written into cdktf.out by hand or passed with -var-file.
  it('fails the plan when tfvars hold bad values, naming each variable', async () => {
    const outdir = await synthWith({});
    const badValues = [
      'alarm_email = "not-an-email"',
      'api_image_tag = "bad tag!"',
      'api_image = "Not An Image"',
      'ssh_allowed_cidrs = ["0.0.0.0/0", ""]',
      'render_worker_image_tag = "-starts-with-dash"',
      '',
    ].join('\n');
    const failure = await planStack(outdir, 'staging', { 'terraform.tfvars': badValues }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TerraformCommandError);
    // Terraform's errors come first and alone; the partial plan stays in the full output.
    const error = failure as TerraformCommandError;
    expect(error.message.split('\n')[0]).toBe('terraform plan failed with 5 error(s):');
    expect(error.message).not.toContain('Plan to create');
    expect(error.output).toContain('Plan to create');
    expect(error.output).not.toContain('Invalid index');
    const output = error.output.replace(/\s+/g, ' ');
    expect(output).toContain('alarm_email must be empty or an e-mail address.');
    expect(output).toContain('api_image_tag must be a Docker tag');
    expect(output).toContain('api_image must be empty or an image reference');
    expect(output).toContain('ssh_allowed_cidrs must be IPv4 CIDRs no wider than /16 (never 0.0.0.0/0).');
    expect(output).toContain('render_worker_image_tag must be a Docker tag');
  });
});

describe('terraform.tfvars.example', () => {
  it('documents every variable the platform stacks declare, each with a comment', () => {
    const example = readFileSync(join(projectDir, 'terraform.tfvars.example'), 'utf8').split('\n');
    const declared = new Set([
      ...Object.keys(synthStack('staging').variable),
      ...Object.keys(synthStack('production').variable),
    ]);
    const assigned = example.map((line) => /^([a-z_]+)\s*=/.exec(line)?.[1]).filter((n): n is string => !!n);
    expect(new Set(assigned)).toEqual(declared);
    for (const name of declared) {
      const line = example.findIndex((l) => l.startsWith(`${name} `) || l.startsWith(`${name}=`));
      const block = example.slice(0, line).reverse();
      const comment = block.findIndex((l) => l.startsWith('#'));
      expect(comment, `${name} has no comment above it`).toBeGreaterThanOrEqual(0);
      expect(
        block.slice(0, comment).every((l) => /^[a-z_]+\s*=/.test(l)),
        name,
      ).toBe(true);
    }
  });
});

describe('the cdktf CLI flow', () => {
  // Also the check that the CLI prints no warning the project causes (it was in safe-writes.test.ts).
  it('writes the tfvars into the stack folder that `cdktf deploy` and `cdktf diff` run Terraform in, and warns of nothing (no NODE_OPTIONS warning: the .npmrc option carries the memory setting)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tfvars-cli-'));
    writeFileSync(join(root, 'terraform.tfvars'), 'alarm_email = "ops@example.com"\n');
    const outdir = join(root, 'cdktf.out');
    const { stdout, stderr } = await run('npx', ['--no-install', 'cdktf', 'synth', '--output', outdir], {
      cwd: projectDir,
      env: { ...shellEnv(), [TFVARS_DIR_ENV]: root },
    });
    expect(stdout + stderr).not.toContain('NODE_OPTIONS');
    expect(stdout + stderr).not.toMatch(/\[WARN\]/);
    expect(readFileSync(join(outdir, 'stacks', 'staging', 'terraform.tfvars'), 'utf8')).toBe(
      'alarm_email = "ops@example.com"\n',
    );
    expect(existsSync(join(outdir, 'stacks', 'staging', 'cdk.tf.json'))).toBe(true);
  }, 120_000);
});
