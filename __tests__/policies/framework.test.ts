import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { App, Testing, TerraformStack } from 'cdktf';
import { readDocument, userDataText } from '../../src/policies/hcl';
import {
  NOT_APPLICABLE,
  RULES,
  SUPPRESSIONS,
  applyPolicyPack,
  buildPolicyReport,
  evaluateStack,
  findSuppression,
  formatStackReport,
  unsuppressedFindings,
  type PolicyReport,
} from '../../src/policies';
import { createContext } from '../../src/policies/context';
import { synthStack } from '../support/app';
import { fixture } from './support';

const ANCHOR_ROWS = Array.from({ length: 50 }, (_, i) => i + 1);

describe('policy pack coverage', () => {
  it('maps every scanner-anchor row to exactly one rule or not-applicable entry', () => {
    const covered = [...RULES.map((r) => r.anchor), ...NOT_APPLICABLE.map((n) => n.anchor)].filter(
      (a): a is number => typeof a === 'number',
    );
    expect([...covered].sort((a, b) => a - b)).toEqual(ANCHOR_ROWS);
  });

  it('gives every rule a unique id, scanner ids, environments, resource types, a description and its checks', () => {
    const ids = [...RULES.map((r) => r.id), ...NOT_APPLICABLE.map((n) => n.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^ECG-[A-Z0-9]+-\d{2}$/);
      expect(rule.environments.length).toBeGreaterThan(0);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      expect(rule.description).toMatch(/^\S.{20,}\.$/);
      expect(Object.keys(rule.checks).length).toBeGreaterThan(0);
      // Rows 23 and 32 have no scanner equivalent ("none", "own").
      if (rule.anchor !== 23 && rule.anchor !== 32) expect(rule.scannerIds.length).toBeGreaterThan(0);
    }
  });

  it('keeps production-only rows production-only', () => {
    const production = RULES.filter((r) => r.environments.length === 1).map((r) => r.anchor);
    expect(production).toEqual([4, 12, 13, 19, 22, 23, 25, 34, 35, 40, 50]);
    expect(RULES.every((r) => r.environments.every((e) => e === 'staging' || e === 'production'))).toBe(true);
  });

  it('documents why each not-applicable row has no rule', () => {
    expect(NOT_APPLICABLE).toEqual([expect.objectContaining({ id: 'ECG-ECR-03', anchor: 26 })]);
    for (const n of NOT_APPLICABLE) expect(n.reason.trim().length).toBeGreaterThan(40);
  });
});

describe('suppressions', () => {
  it('every suppression has a reason and names an existing rule and check', () => {
    for (const s of SUPPRESSIONS) {
      expect(s.reason.trim().length, `${s.ruleId} needs a reason`).toBeGreaterThan(40);
      const rule = RULES.find((r) => r.id === s.ruleId);
      expect(rule, `${s.ruleId} is not a rule`).toBeDefined();
      if (s.check !== undefined) expect(Object.keys(rule!.checks)).toContain(s.check);
    }
  });

  it('starts from the documented exceptions of the scanner anchors', () => {
    const scanner = (id: string) =>
      SUPPRESSIONS.filter((s) => RULES.find((r) => r.id === s.ruleId)!.scannerIds.includes(id));
    for (const id of [
      'AVD-AWS-0053',
      'CKV_AWS_260',
      'AVD-AWS-0104',
      'AwsSolutions-RDS11',
      'AwsSolutions-AEC5',
    ]) {
      expect(scanner(id), id).toHaveLength(1);
    }
    // Row 39: the documented staging exception, and production until a custom domain exists.
    expect(scanner('CKV_AWS_174').map((s) => s.environments)).toEqual([['staging'], ['production']]);
  });

  it('matches on rule, check, environment and resource type or address prefix', () => {
    const finding = { ruleId: 'ECG-X-01', address: 'aws_lb.api_alb_1234', check: 'c', message: 'm' };
    const s = (extra: object) =>
      findSuppression(finding, 'staging', [{ ruleId: 'ECG-X-01', reason: 'r', ...extra }]);
    expect(s({})).toBeDefined();
    expect(s({ check: 'other' })).toBeUndefined();
    expect(s({ environments: ['production'] })).toBeUndefined();
    expect(s({ resource: 'aws_lb' })).toBeDefined();
    expect(s({ resource: 'aws_lb_listener' })).toBeUndefined();
    expect(s({ resource: 'aws_lb.api_' })).toBeDefined();
    expect(s({ resource: 'aws_lb.web' })).toBeUndefined();
  });
});

describe('evaluateStack', () => {
  it('finds nothing unsuppressed in the real state-backend stack', () => {
    const results = evaluateStack(synthStack('state-backend'), 'shared');
    expect(unsuppressedFindings(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'pass').map((r) => r.ruleId)).toEqual(
      expect.arrayContaining(['ECG-S3-01', 'ECG-S3-05', 'ECG-DDB-01']),
    );
  });

  it('applies only the rules of every environment to a shared stack', () => {
    const json = fixture((scope) => {
      new EcrRepository(scope, 'api', { name: 'api', imageTagMutability: 'MUTABLE' });
    });
    const byId = Object.fromEntries(evaluateStack(json, 'shared').map((r) => [r.ruleId, r]));
    expect(byId['ECG-ECR-02']).toMatchObject({ status: 'not-applicable', detail: 'production only' });
    expect(byId['ECG-ECR-01']).toMatchObject({ status: 'fail' });
    expect(byId['ECG-RDS-01']).toMatchObject({ status: 'not-applicable', detail: 'no aws_db_instance' });
  });

  it('marks a rule suppressed when every finding is, and keeps the reason', () => {
    const json = fixture((scope) => {
      new EcrRepository(scope, 'api', { name: 'api', imageScanningConfiguration: { scanOnPush: false } });
    });
    const [result] = evaluateStack(json, 'staging', {
      rules: RULES.filter((r) => r.id === 'ECG-ECR-01'),
      suppressions: [{ ruleId: 'ECG-ECR-01', reason: 'scanned by the registry' }],
    });
    expect(result).toMatchObject({
      status: 'suppressed',
      findings: [],
      suppressed: [
        expect.objectContaining({ reason: 'scanned by the registry', address: 'aws_ecr_repository.api' }),
      ],
    });
  });

  it('rejects a finding whose check the rule does not declare', () => {
    const rule = { ...RULES[0], checks: {} };
    expect(() => createContext([], 'staging', rule).finding('aws_s3_bucket.x', 'missing', 'm')).toThrow(
      'rule ECG-S3-01 reported undeclared check "missing"',
    );
  });
});

describe('reading documents', () => {
  it('reads jsonencode expressions with references, numbers, booleans and nulls', () => {
    expect(
      readDocument(
        '${jsonencode({"Statement" = [{"Resource" = [aws_s3_bucket.v.arn, "${aws_s3_bucket.v.arn}/*"], n = 1.5, t = true, z = null}]})}',
      ),
    ).toEqual({
      Statement: [
        { Resource: ['${aws_s3_bucket.v.arn}', '${aws_s3_bucket.v.arn}/*'], n: 1.5, t: true, z: null },
      ],
    });
    expect(readDocument('${file("x.json")}')).toBeUndefined();
  });

  it('reads JSON whose strings hold interpolations with quotes inside', () => {
    expect(
      readDocument(
        '[{"image":"${coalesce(var.image, "${aws_ecr_repository.api.repository_url}:${var.tag}")}","n":1}]',
      ),
    ).toEqual([
      { image: '${coalesce(var.image, "${aws_ecr_repository.api.repository_url}:${var.tag}")}', n: 1 },
    ]);
  });

  it('reads user data from base64encode of text or a join of text and references, and from base64 literals', () => {
    expect(userDataText('${base64encode("#!/bin/bash\\necho hi")}')).toBe('#!/bin/bash\necho hi');
    expect(userDataText('${base64encode(join("", ["a=", aws_s3_bucket.v.bucket, "\\n"]))}')).toBe(
      'a=${aws_s3_bucket.v.bucket}\n',
    );
    expect(userDataText(Buffer.from('echo ok').toString('base64'))).toBe('echo ok');
  });
});

function violatingStack(app: App) {
  const stack = new TerraformStack(app, 'staging');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
  new S3Bucket(stack, 'naked', { bucket: 'naked' });
  applyPolicyPack(stack, { environment: 'staging' });
  return stack;
}

describe('PolicyPack aspect', () => {
  it('fails Testing.synth with validations, naming rule ids and addresses', () => {
    const stack = violatingStack(Testing.app());
    expect(() => Testing.synth(stack, true)).toThrow(
      /ECG-S3-01 aws_s3_bucket\.naked: has no aws_s3_bucket_public_access_block/,
    );
    expect(() => Testing.synth(stack, true)).toThrow(
      /ECG-S3-05 aws_s3_bucket\.naked: has no bucket policy denying requests without TLS/,
    );
  });

  it('fails app.synth()', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'policy-pack-')) });
    violatingStack(app);
    expect(() => app.synth()).toThrow(
      /\[staging\] ECG-S3-01 aws_s3_bucket\.naked: has no aws_s3_bucket_public_access_block/,
    );
  });

  it('lets a compliant stack synthesize, with each stack registered once', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'clean');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
    new EcrRepository(stack, 'api', { name: 'api', imageScanningConfiguration: { scanOnPush: true } });
    applyPolicyPack(stack, { environment: 'staging' });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  it('writes the JSON it checked, computing it once per synth, and never a stale copy', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'once');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
    new EcrRepository(stack, 'api', { name: 'api', imageScanningConfiguration: { scanOnPush: true } });
    applyPolicyPack(stack, { environment: 'staging' });
    const computed = vi.spyOn(TerraformStack.prototype, 'toTerraform');
    try {
      const first = JSON.parse(Testing.synth(stack, true)) as { resource: Record<string, object> };
      // Validation computes it; the synthesizer takes that JSON instead of computing it again.
      expect(computed).toHaveBeenCalledTimes(1);
      expect(Object.keys(first.resource)).toEqual(['aws_ecr_repository']);
      new EcrRepository(stack, 'web', { name: 'web', imageScanningConfiguration: { scanOnPush: true } });
      const second = JSON.parse(Testing.synth(stack, true)) as { resource: Record<string, object> };
      expect(Object.keys(second.resource.aws_ecr_repository)).toEqual(['api', 'web']);
      expect(computed).toHaveBeenCalledTimes(2);
      expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
    } finally {
      computed.mockRestore();
    }
  });

  it('does not fail on suppressed findings', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'suppressed');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
    new EcrRepository(stack, 'api', { name: 'api' });
    applyPolicyPack(stack, {
      environment: 'staging',
      suppressions: [{ ruleId: 'ECG-ECR-01', reason: 'fixture' }],
    });
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});

describe('policy report', () => {
  const json = fixture((scope) => {
    new EcrRepository(scope, 'api', { name: 'api' });
    new S3Bucket(scope, 'naked', { bucket: 'naked' });
  });
  const report = buildPolicyReport([{ stack: 'staging', environment: 'staging', json }], {
    suppressions: [{ ruleId: 'ECG-ECR-01', reason: 'scanned by the registry' }],
  });

  it('counts statuses and unsuppressed findings', () => {
    expect(report.failures).toBe(6);
    expect(report.stacks[0].summary).toEqual({
      pass: 1,
      fail: 6,
      suppressed: 1,
      'not-applicable': RULES.length - 8 + NOT_APPLICABLE.length,
    });
  });

  it('prints every rule with its status, findings, suppression reasons and not-applicable rows', () => {
    const table = formatStackReport(report.stacks[0]);
    const lines = table.split('\n');
    expect(lines[0]).toBe(
      `staging (evaluated as staging): 1 pass, 6 fail, 1 suppressed, ${RULES.length - 8 + NOT_APPLICABLE.length} not applicable`,
    );
    expect(lines.filter((l) => /^ECG-/.test(l))).toHaveLength(RULES.length + NOT_APPLICABLE.length);
    expect(table).toMatch(/^ECG-S3-01 +1 +fail +Every bucket has exactly one/m);
    expect(table).toContain('x ECG-S3-01 aws_s3_bucket.naked: has no aws_s3_bucket_public_access_block');
    expect(table).toMatch(/^ECG-ECR-01 +24 +suppressed /m);
    expect(table).toContain(
      '~ ECG-ECR-01 aws_ecr_repository.api: image_scanning_configuration.scan_on_push is not true',
    );
    expect(table).toContain('suppressed: scanned by the registry');
    expect(table).toMatch(/^ECG-S3-04 +4 +not-applicable n\/a: production only$/m);
    expect(table).toMatch(/^ECG-RDS-01 +9 +not-applicable n\/a: no aws_db_instance$/m);
    expect(table).toMatch(/^ECG-ECR-03 +26 +not-applicable no rule: Optional/m);
  });
});

describe('npm run policy (scripts/policy.ts)', () => {
  // The command `npm run policy` runs (package.json), without npm's own start.
  it('prints a table per stack, writes the JSON report and exits non-zero only on unsuppressed findings', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'policy-cli-')), 'policy.json');
    const projectDir = resolve(__dirname, '..', '..');
    const run = promisify(execFile);
    const { stdout, code } = await run(
      process.execPath,
      ['scripts/run-app.mjs', 'scripts/policy.ts', '--json', out],
      {
        cwd: projectDir,
      },
    ).then(
      ({ stdout }) => ({ stdout, code: 0 }),
      (error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }),
    );
    const report = JSON.parse(readFileSync(out, 'utf8')) as PolicyReport;
    expect(report.stacks.map((s) => [s.stack, s.environment])).toEqual([
      ['state-backend', 'shared'],
      ['staging', 'staging'],
      ['production', 'production'],
    ]);
    for (const s of report.stacks) expect(s.results).toHaveLength(RULES.length);
    expect(report.suppressions).toEqual(SUPPRESSIONS);
    expect(code).toBe(report.failures === 0 ? 0 : 1);
    expect(stdout).toMatch(/^state-backend \(evaluated as shared\): /m);
    expect(stdout).toMatch(/^production \(evaluated as production\): /m);
    expect(stdout).toContain(`report written to ${out}`);
  }, 120_000);
});
