import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { Json } from './support/synth';

const run = promisify(execFile);
const root = join(__dirname, '..');
const load = (file: string): Json =>
  parse(readFileSync(join(root, '.github/workflows', file), 'utf8')) as Json;
const ci = load('ci.yml');
const deploy = load('deploy.yml');
const packageScripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Json).scripts as Json;

/** The major version each action is pinned to. */
const PINNED_ACTIONS: Record<string, string> = {
  'actions/checkout': 'v4',
  'actions/setup-node': 'v4',
  'actions/cache': 'v4',
  'actions/github-script': 'v7',
  'hashicorp/setup-terraform': 'v3',
  'aws-actions/configure-aws-credentials': 'v4',
};

function steps(job: Json): Json[] {
  return job.steps as Json[];
}

/** The `run` scripts of a job, one entry per step (empty string for `uses` steps). */
function runs(job: Json): string[] {
  return steps(job).map((s) => (s.run as string | undefined) ?? '');
}

/** Index of the first step whose run script contains `command`; fails when there is none. */
function stepIndex(job: Json, command: string): number {
  const i = runs(job).findIndex((r) => r.includes(command));
  if (i < 0) throw new Error(`no step runs ${command}`);
  return i;
}

function usesStep(job: Json, action: string): Json | undefined {
  return steps(job).find((s) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));
}

const allJobs: [string, Json][] = [
  ...Object.entries(ci.jobs as Json).map(([n, j]): [string, Json] => [`ci.${n}`, j]),
  ...Object.entries(deploy.jobs as Json).map(([n, j]): [string, Json] => [`deploy.${n}`, j]),
];

/** Runs action-validator (the official workflow JSON schema, compiled to WebAssembly) on a file. */
async function actionValidator(file: string): Promise<{ code: number; output: string }> {
  return run(join(root, 'node_modules', '.bin', 'action-validator'), [file]).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
  );
}

describe('GitHub Actions schema (@action-validator/cli)', () => {
  it.each(['ci.yml', 'deploy.yml'])('%s is a valid workflow', async (file) => {
    const result = await actionValidator(join(root, '.github/workflows', file));
    expect(result, result.output).toEqual({ code: 0, output: '' });
  });

  it('fails when a workflow breaks the schema, naming the path and the property', async () => {
    const broken = readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8').replace(
      'runs-on:',
      'runs-onn:',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'workflow-')), 'ci.yml');
    writeFileSync(file, broken);
    const result = await actionValidator(file);
    expect(result.code).toBe(1);
    expect(result.output).toContain('"path": "/jobs/check"');
    expect(result.output).toContain("Additional property 'runs-onn' is not allowed");
  });
});

describe('workflows', () => {
  it('pin every action to a major version tag', () => {
    const used = allJobs.flatMap(([, job]) => steps(job).flatMap((s) => (s.uses ? [s.uses as string] : [])));
    expect(used.length).toBeGreaterThan(0);
    for (const ref of used) {
      const [action, version] = ref.split('@');
      expect(PINNED_ACTIONS, ref).toHaveProperty([action]);
      expect(version, ref).toBe(PINNED_ACTIONS[action]);
    }
  });

  it('grant id-token: write only to the deploy jobs, the ones that assume an AWS role', () => {
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(deploy.permissions).toEqual({ contents: 'read' });
    const withIdToken = allJobs
      .filter(([, job]) => job.permissions?.['id-token'] === 'write')
      .map(([n]) => n);
    expect(withIdToken.sort()).toEqual(['deploy.production', 'deploy.staging']);
    const assuming = allJobs
      .filter(([, job]) => usesStep(job, 'aws-actions/configure-aws-credentials'))
      .map(([n]) => n);
    expect(assuming.sort()).toEqual(withIdToken.sort());
  });

  it('call only npm scripts that package.json defines', () => {
    const scripts = allJobs.flatMap(([, job]) =>
      runs(job).flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1])),
    );
    expect(new Set(scripts)).toEqual(new Set(['synth', 'lint', 'typecheck', 'plan']));
    for (const script of scripts) expect(packageScripts).toHaveProperty([script]);
    expect(packageScripts).toHaveProperty(['test']);
  });

  it('store no AWS keys: credentials come only from OIDC', () => {
    const text = ['ci.yml', 'deploy.yml']
      .map((f) => readFileSync(join(root, '.github/workflows', f), 'utf8'))
      .join('\n');
    expect(text).not.toMatch(/secrets\./);
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });
});

describe('ci.yml', () => {
  const job = ci.jobs.check as Json;

  it('runs on pull requests only, in one job', () => {
    expect(Object.keys(ci.on)).toEqual(['pull_request']);
    expect(Object.keys(ci.jobs)).toEqual(['check']);
  });

  it('may read the code and write the plan comment, nothing else', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('sets up Node 20 with the npm cache and Terraform without its stdout wrapper', () => {
    expect(usesStep(job, 'actions/checkout')).toBeDefined();
    expect(usesStep(job, 'actions/setup-node')?.with).toEqual({ 'node-version': 20, cache: 'npm' });
    expect(usesStep(job, 'hashicorp/setup-terraform')?.with).toMatchObject({ terraform_wrapper: false });
  });

  it('installs, builds the provider mirror, then lints, type-checks, tests and plans in that order', () => {
    const order = [
      'npm ci',
      'TF_PROVIDER_MIRROR=$RUNNER_TEMP/tf-mirror',
      'providers mirror "$TF_PROVIDER_MIRROR"',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run plan',
    ].map((c) => stepIndex(job, c));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    expect(runs(job)[stepIndex(job, 'TF_PROVIDER_MIRROR=')]).toContain('>> "$GITHUB_ENV"');
  });

  it('builds the mirror only when the cache keyed on package-lock.json misses', () => {
    const cache = usesStep(job, 'actions/cache') as Json;
    expect(cache.with).toEqual({
      path: '${{ runner.temp }}/tf-mirror',
      key: "tf-mirror-${{ runner.os }}-${{ hashFiles('package-lock.json') }}",
    });
    const build = steps(job)[stepIndex(job, 'providers mirror')];
    expect(build.if).toBe(`steps.${cache.id}.outputs.cache-hit != 'true'`);
    expect(build.run).toContain('npm run synth');
    expect(build.run).toContain('terraform -chdir=cdktf.out/stacks/staging providers mirror');
  });

  it('plans every stack with the output kept for the comment, failing the step when the plan fails', () => {
    const plan = steps(job)[stepIndex(job, 'npm run plan')];
    expect(plan.run).toBe('npm run plan 2>&1 | tee "$RUNNER_TEMP/plan.txt"');
    expect(plan.shell).toBe('bash'); // bash -eo pipefail: tee does not hide a failing plan
  });

  it('posts the plan summary on the pull request, updating its earlier comment, except from forks', () => {
    const comment = usesStep(job, 'actions/github-script') as Json;
    expect(comment.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(comment.if).toContain("steps.plan.outcome != 'skipped'");
    expect(comment.env.PLAN_FILE).toBe('${{ runner.temp }}/plan.txt');
    const script = comment.with.script as string;
    expect(script).toContain('to add, (\\d+) to change, (\\d+) to destroy');
    expect(script).toContain('github.rest.issues.updateComment');
    expect(script).toContain('github.rest.issues.createComment');
  });
});

describe('deploy.yml', () => {
  const staging = deploy.jobs.staging as Json;
  const production = deploy.jobs.production as Json;

  it('runs on pushes to main and on manual dispatch, never on pull requests', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(Object.keys(deploy.jobs).sort()).toEqual(['production', 'staging']);
  });

  it('deploys staging on push to main through the staging role from a repository variable', () => {
    expect(staging.if).toBe("github.event_name == 'push'");
    expect(staging.environment).toBeUndefined();
    expect(staging.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const creds = usesStep(staging, 'aws-actions/configure-aws-credentials') as Json;
    expect(creds.with['role-to-assume']).toBe('${{ vars.AWS_STAGING_DEPLOY_ROLE_ARN }}');
    expect(creds.with['role-duration-seconds']).toBe(7200);
    expect(runs(staging)).toContain('npx cdktf deploy staging --auto-approve');
    expect(stepIndex(staging, 'npm ci')).toBeLessThan(stepIndex(staging, 'cdktf deploy staging'));
    expect(steps(staging).indexOf(creds)).toBeLessThan(stepIndex(staging, 'cdktf deploy staging'));
  });

  it('deploys production only by manual dispatch from main, in the production environment', () => {
    expect(production.if).toBe("github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'");
    expect(production.environment).toBe('production');
    expect(production.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const creds = usesStep(production, 'aws-actions/configure-aws-credentials') as Json;
    expect(creds.with['role-to-assume']).toBe('${{ vars.AWS_PRODUCTION_DEPLOY_ROLE_ARN }}');
    expect(runs(production)).toContain('npx cdktf deploy production --auto-approve');
    expect(steps(production).indexOf(creds)).toBeLessThan(stepIndex(production, 'cdktf deploy production'));
  });

  it('deploys each stack from its own job only, one run at a time, without cancelling an apply', () => {
    expect(runs(staging).join('\n')).not.toContain('production');
    expect(runs(production).join('\n')).not.toContain('cdktf deploy staging');
    expect(staging.concurrency).toEqual({ group: 'deploy-staging', 'cancel-in-progress': false });
    expect(production.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
  });

  it('sets up the same toolchain as CI before deploying', () => {
    for (const job of [staging, production]) {
      expect(usesStep(job, 'actions/checkout')).toBeDefined();
      expect(usesStep(job, 'actions/setup-node')?.with).toEqual({ 'node-version': 20, cache: 'npm' });
      expect(usesStep(job, 'hashicorp/setup-terraform')?.with).toEqual(
        usesStep(ci.jobs.check, 'hashicorp/setup-terraform')?.with,
      );
    }
  });
});
