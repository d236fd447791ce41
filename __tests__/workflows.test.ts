import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { synthStack } from './support/app';
import { resourcesOf, type Json } from './support/synth';

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
  'actions/upload-artifact': 'v4',
  'actions/download-artifact': 'v4',
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
    expect(withIdToken.sort()).toEqual([
      'deploy.production',
      'deploy.release-production',
      'deploy.release-staging',
      'deploy.staging',
    ]);
    const assuming = allJobs
      .filter(([, job]) => usesStep(job, 'aws-actions/configure-aws-credentials'))
      .map(([n]) => n);
    expect(assuming.sort()).toEqual(withIdToken.sort());
  });

  it('call only npm scripts that package.json defines', () => {
    const scripts = allJobs.flatMap(([, job]) =>
      runs(job).flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1])),
    );
    expect(new Set(scripts)).toEqual(new Set(['synth', 'lint', 'typecheck', 'plan', 'load-test']));
    for (const script of scripts) expect(packageScripts).toHaveProperty([script]);
    expect(packageScripts).toHaveProperty(['test']);
  });

  it('store no AWS keys: credentials come only from OIDC', () => {
    const text = ['ci.yml', 'deploy.yml']
      .map((f) => readFileSync(join(root, '.github/workflows', f), 'utf8'))
      .join('\n');
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    // The one secret: an optional read-only token to check out a private application repository.
    expect([...text.matchAll(/secrets\.\w+/g)].map((m) => m[0])).toEqual(['secrets.API_REPOSITORY_TOKEN']);
    const checkout = usesStep(deploy.jobs.build, 'actions/checkout') as Json;
    expect(checkout.with.token).toBe('${{ secrets.API_REPOSITORY_TOKEN || github.token }}');
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

describe('deploy.yml: infrastructure deploys', () => {
  const staging = deploy.jobs.staging as Json;
  const production = deploy.jobs.production as Json;

  it('runs on pushes to main and on manual dispatch with an optional api_ref, never on pull requests', () => {
    expect(deploy.on).toEqual({
      push: { branches: ['main'] },
      workflow_dispatch: {
        inputs: {
          api_ref: {
            description: expect.stringContaining('40-character commit SHA'),
            type: 'string',
            required: false,
            default: '',
          },
        },
      },
    });
    expect(Object.keys(deploy.jobs).sort()).toEqual([
      'build',
      'load-test',
      'production',
      'release-production',
      'release-staging',
      'staging',
    ]);
  });

  it('deploys staging on push to main, in the staging environment, through the staging role', () => {
    expect(staging.if).toBe("github.event_name == 'push'");
    // The staging role trusts only repo:<owner>/<repo>:environment:staging.
    expect(staging.environment).toBe('staging');
    expect(staging.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const creds = usesStep(staging, 'aws-actions/configure-aws-credentials') as Json;
    expect(creds.with['role-to-assume']).toBe('${{ vars.AWS_STAGING_DEPLOY_ROLE_ARN }}');
    expect(creds.with['role-duration-seconds']).toBe(7200);
    expect(runs(staging)).toContain('npx cdktf deploy staging --auto-approve');
    expect(stepIndex(staging, 'npm ci')).toBeLessThan(stepIndex(staging, 'cdktf deploy staging'));
    expect(steps(staging).indexOf(creds)).toBeLessThan(stepIndex(staging, 'cdktf deploy staging'));
  });

  it('deploys the production infrastructure only by a dispatch from main without api_ref, in production', () => {
    expect(production.if).toBe(
      "github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main' && inputs.api_ref == ''",
    );
    expect(production.environment).toBe('production');
    expect(production.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const creds = usesStep(production, 'aws-actions/configure-aws-credentials') as Json;
    expect(creds.with['role-to-assume']).toBe('${{ vars.AWS_PRODUCTION_DEPLOY_ROLE_ARN }}');
    expect(runs(production)).toContain('npx cdktf deploy production --auto-approve');
    expect(steps(production).indexOf(creds)).toBeLessThan(stepIndex(production, 'cdktf deploy production'));
  });

  it('sets up the same toolchain as CI in every job that runs Terraform', () => {
    for (const name of ['staging', 'production', 'release-staging', 'release-production']) {
      const job = deploy.jobs[name] as Json;
      expect(usesStep(job, 'actions/checkout'), name).toBeDefined();
      expect(usesStep(job, 'actions/setup-node')?.with, name).toEqual({ 'node-version': 20, cache: 'npm' });
      expect(usesStep(job, 'hashicorp/setup-terraform')?.with, name).toEqual(
        usesStep(ci.jobs.check, 'hashicorp/setup-terraform')?.with,
      );
    }
  });
});

describe('deploy.yml: API releases', () => {
  const build = deploy.jobs.build as Json;
  const releaseStaging = deploy.jobs['release-staging'] as Json;
  const loadTest = deploy.jobs['load-test'] as Json;
  const releaseProduction = deploy.jobs['release-production'] as Json;
  const releases: [string, Json][] = [
    ['staging', releaseStaging],
    ['production', releaseProduction],
  ];
  const step = (job: Json, name: string) => steps(job).find((s) => s.name === name) as Json;

  it('start only from a dispatch on main with api_ref, then run build -> staging -> load test -> production', () => {
    expect(build.if).toBe(
      "github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main' && inputs.api_ref != ''",
    );
    expect(releaseStaging.needs).toBe('build');
    expect(loadTest.needs).toBe('release-staging');
    expect(releaseProduction.needs).toEqual(['build', 'load-test']);
    // No condition of their own: each runs only when everything it needs succeeded.
    for (const job of [releaseStaging, loadTest, releaseProduction]) expect(job.if).toBeUndefined();
  });

  it('release each stack in its GitHub environment (required reviewers), through that environment role', () => {
    for (const [stack, job] of releases) {
      expect(job.environment, stack).toBe(stack);
      expect(job.env.STACK).toBe(stack);
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      const creds = usesStep(job, 'aws-actions/configure-aws-credentials') as Json;
      expect(creds.with['role-to-assume']).toBe(`\${{ vars.AWS_${stack.toUpperCase()}_DEPLOY_ROLE_ARN }}`);
      expect(creds.with['role-session-name']).toBe(`release-${stack}-\${{ github.run_id }}`);
      const order = [
        steps(job).indexOf(creds),
        stepIndex(job, 'docker push'),
        stepIndex(job, `npx cdktf deploy ${stack} --auto-approve --var "api_image_tag=$API_IMAGE_TAG"`),
        stepIndex(job, 'aws deploy create-deployment'),
      ];
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(runs(job).join('\n')).not.toContain(stack === 'staging' ? 'production' : 'staging');
    }
    // The build and the load test touch no AWS account.
    for (const job of [build, loadTest]) expect(job.permissions).toEqual({ contents: 'read' });
  });

  it('tag the image with the application commit SHA (immutable, never latest), built once for both stacks', async () => {
    const text = readFileSync(join(root, '.github/workflows/deploy.yml'), 'utf8');
    expect(text.replace(/runs-on: ubuntu-latest/g, '')).not.toMatch(/latest/);
    expect(build.outputs).toEqual({ image_tag: '${{ steps.tag.outputs.image_tag }}' });
    expect(usesStep(build, 'actions/checkout')?.with).toMatchObject({
      repository: '${{ vars.API_REPOSITORY }}',
      ref: '${{ inputs.api_ref }}',
    });
    for (const [, job] of releases) {
      expect(job.env.API_IMAGE_TAG).toBe('${{ needs.build.outputs.image_tag }}');
      expect(usesStep(job, 'actions/download-artifact')?.with.name).toBe('api-image');
    }
    expect(usesStep(build, 'actions/upload-artifact')?.with.name).toBe('api-image');
    expect(step(releaseStaging, 'Push the API image').run).toBe(
      step(releaseProduction, 'Push the API image').run,
    );
    expect(step(releaseStaging, 'Push the API image').run).toContain(
      'docker push "$REPOSITORY_URL:$API_IMAGE_TAG"',
    );

    const check = step(build, 'Check the release inputs').run as string;
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const accepted = await runStep(check, { API_REF: sha, API_REPOSITORY: 'ecg-team/ecg-api' });
    expect(accepted.code).toBe(0);
    expect(accepted.githubOutput).toBe(`image_tag=${sha}\n`);
    for (const ref of ['latest', 'main', sha.slice(0, 7), sha.toUpperCase(), '']) {
      const refused = await runStep(check, { API_REF: ref, API_REPOSITORY: 'ecg-team/ecg-api' });
      expect(refused.code, ref).toBe(1);
      expect(refused.stdout, ref).toContain(
        '::error::api_ref must be a full 40-character lowercase commit SHA',
      );
    }
  });

  it('load-test staging between the releases with the p95 2000 ms and 1 % error thresholds', () => {
    expect(loadTest.env.LOAD_TEST_URL).toBe(
      "${{ needs.release-staging.outputs.api_url }}${{ vars.LOAD_TEST_PATH || '/health' }}",
    );
    expect(releaseStaging.outputs).toEqual({ api_url: '${{ steps.deployment.outputs.api_url }}' });
    expect(runs(loadTest)).toContain(
      'npm run load-test -- --url "$LOAD_TEST_URL" --duration 30 --connections 10 --max-p95-ms 2000 --max-error-rate 0.01',
    );
  });

  it('use the p95 threshold of the staging latency alarm (2 s)', () => {
    const alarms = Object.values(resourcesOf(synthStack('staging'), 'aws_cloudwatch_metric_alarm')).filter(
      (a) => a.metric_name === 'TargetResponseTime',
    );
    expect(alarms.map((a) => [a.extended_statistic, a.threshold])).toEqual([['p95', 2]]);
  });

  it('never overlap: one release at a time, and one Terraform run per stack', () => {
    expect(deploy.concurrency).toEqual({
      group:
        "${{ github.event_name == 'workflow_dispatch' && inputs.api_ref != '' && 'release-api' || format('deploy-{0}', github.run_id) }}",
      'cancel-in-progress': false,
    });
    const groups = Object.fromEntries(
      Object.entries(deploy.jobs as Json).map(([name, job]) => [name, (job as Json).concurrency]),
    );
    expect(groups).toEqual({
      staging: { group: 'deploy-staging', 'cancel-in-progress': false },
      'release-staging': { group: 'deploy-staging', 'cancel-in-progress': false },
      production: { group: 'deploy-production', 'cancel-in-progress': false },
      'release-production': { group: 'deploy-production', 'cancel-in-progress': false },
      build: undefined,
      'load-test': undefined,
    });
  });

  describe('the CodeDeploy step (run with stand-ins for terraform and aws)', () => {
    const script = step(releaseStaging, 'Blue/green deployment (CodeDeploy)').run as string;
    const taskDefinition =
      'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/ecg-video-pipeline-staging-api:42';
    const tag = '0123456789abcdef0123456789abcdef01234567';
    const outputs = {
      api_task_definition_arn: taskDefinition,
      api_container_name: 'api',
      api_container_port: '8000',
      api_codedeploy_application: 'ecg-video-pipeline-staging-api',
      api_codedeploy_deployment_group: 'ecg-video-pipeline-staging-api',
      api_url: 'http://staging-alb.example.test',
    };
    const image = `123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/ecg-video-pipeline-staging-api:${tag}`;

    it('is the same script in both release jobs', () => {
      expect(step(releaseProduction, 'Blue/green deployment (CodeDeploy)').run).toBe(script);
    });

    it('deploys the revision Terraform registered with an AppSpec from the stack outputs, then waits', async () => {
      const result = await runStep(script, { STACK: 'staging', API_IMAGE_TAG: tag }, { outputs, image });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.terraform).toEqual(
        [
          'api_task_definition_arn',
          'api_container_name',
          'api_container_port',
          'api_codedeploy_application',
          'api_codedeploy_deployment_group',
          'api_url',
        ].map((name) => ['-chdir=cdktf.out/stacks/staging', 'output', '-raw', name]),
      );
      const [describe, create, wait] = result.aws;
      expect(describe.slice(0, 4)).toEqual([
        'ecs',
        'describe-task-definition',
        '--task-definition',
        taskDefinition,
      ]);
      expect(create.slice(0, 6)).toEqual([
        'deploy',
        'create-deployment',
        '--application-name',
        'ecg-video-pipeline-staging-api',
        '--deployment-group-name',
        'ecg-video-pipeline-staging-api',
      ]);
      const revision = JSON.parse(create[create.indexOf('--revision') + 1]);
      expect(revision.revisionType).toBe('AppSpecContent');
      expect(parse(revision.appSpecContent.content)).toEqual({
        version: 0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: taskDefinition,
                LoadBalancerInfo: { ContainerName: 'api', ContainerPort: 8000 },
              },
            },
          },
        ],
      });
      expect(revision.appSpecContent.content).toMatch(/^version: 0\.0\n/);
      expect(wait).toEqual(['deploy', 'wait', 'deployment-successful', '--deployment-id', 'd-TEST12345']);
      expect(result.aws).toHaveLength(3);
      expect(result.githubOutput).toBe('api_url=http://staging-alb.example.test\n');
    });

    it('fails before deploying when the registered revision runs another tag (api_image overrides it)', async () => {
      const result = await runStep(
        script,
        { STACK: 'staging', API_IMAGE_TAG: tag },
        { outputs, image: 'public.ecr.aws/docker/library/nginx:stable' },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `::error::${taskDefinition} runs public.ecr.aws/docker/library/nginx:stable`,
      );
      expect(result.aws.map((a) => a[1])).toEqual(['describe-task-definition']);
    });

    it('waits again while the deployment is still going (a canary outlasts the 30-minute waiter)', async () => {
      const result = await runStep(
        script,
        { STACK: 'staging', API_IMAGE_TAG: tag },
        { outputs, image, waitCodes: [255, 0], status: 'InProgress' },
      );
      expect(result.code).toBe(0);
      expect(result.aws.map((a) => a.slice(0, 2).join(' '))).toEqual([
        'ecs describe-task-definition',
        'deploy create-deployment',
        'deploy wait',
        'deploy get-deployment',
        'deploy wait',
      ]);
    });

    it('fails when the deployment fails (CodeDeploy rolled back)', async () => {
      const result = await runStep(
        script,
        { STACK: 'staging', API_IMAGE_TAG: tag },
        { outputs, image, waitCodes: [255], status: 'Failed' },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('::error::CodeDeploy deployment d-TEST12345 ended Failed');
      expect(result.githubOutput).toBe('');
    });
  });
});

interface Stubs {
  /** `terraform output -raw <name>` answers. */
  readonly outputs?: Record<string, string>;
  /** The image `aws ecs describe-task-definition` reports. */
  readonly image?: string;
  /** Exit codes of successive `aws deploy wait` calls. */
  readonly waitCodes?: readonly number[];
  /** What `aws deploy get-deployment` reports. */
  readonly status?: string;
}

/**
 * Runs a workflow step's script as GitHub does (`bash --noprofile --norc -eo pipefail`), with
 * stand-ins for terraform and aws on PATH that record their arguments: nothing leaves the machine.
 */
async function runStep(
  script: string,
  env: Record<string, string>,
  stubs: Stubs = {},
): Promise<{
  code: number;
  stdout: string;
  stderr: string;
  githubOutput: string;
  aws: string[][];
  terraform: string[][];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-step-'));
  try {
    const record = (name: string) =>
      `printf '%s\\x1f' "$@" >> "${dir}/${name}.calls"; printf '\\x1e' >> "${dir}/${name}.calls"\n`;
    writeFileSync(
      join(dir, 'terraform'),
      `#!/usr/bin/env bash\n${record('terraform')}name="\${@: -1}"\nvar="TF_OUT_$name"\nprintf '%s' "\${!var}"\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(dir, 'wait-codes'), (stubs.waitCodes ?? [0]).join('\n') + '\n');
    writeFileSync(
      join(dir, 'aws'),
      `#!/usr/bin/env bash
${record('aws')}case "$1 $2" in
  "ecs describe-task-definition") printf '%s\\n' "$STUB_IMAGE" ;;
  "deploy create-deployment") echo d-TEST12345 ;;
  "deploy get-deployment") echo "$STUB_STATUS" ;;
  "deploy wait")
    code=$(head -n 1 "${dir}/wait-codes"); sed -i 1d "${dir}/wait-codes"; exit "\${code:-0}" ;;
  *) echo "unexpected aws $*" >&2; exit 99 ;;
esac
`,
      { mode: 0o755 },
    );
    writeFileSync(join(dir, 'step.sh'), script);
    writeFileSync(join(dir, 'github-output'), '');
    const stepEnv: NodeJS.ProcessEnv = {
      PATH: `${dir}:${process.env.PATH}`,
      HOME: dir,
      GITHUB_OUTPUT: join(dir, 'github-output'),
      GITHUB_RUN_ID: '1234',
      STUB_IMAGE: stubs.image ?? '',
      STUB_STATUS: stubs.status ?? '',
      ...Object.fromEntries(Object.entries(stubs.outputs ?? {}).map(([k, v]) => [`TF_OUT_${k}`, v])),
      ...env,
    };
    const result = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'step.sh')], {
      env: stepEnv,
      cwd: dir,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
    const calls = (name: string) => {
      const file = join(dir, `${name}.calls`);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\x1e')
        .filter((c) => c !== '')
        .map((c) => c.split('\x1f').slice(0, -1));
    };
    return {
      ...result,
      githubOutput: readFileSync(join(dir, 'github-output'), 'utf8'),
      aws: calls('aws'),
      terraform: calls('terraform'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the READMEs on deploys and releases', () => {
  const workflow = readFileSync(join(root, '.github/workflows/deploy.yml'), 'utf8');
  const readmes = ['README.md', 'README.ko.md'].map((f): [string, string] => [
    f,
    readFileSync(join(root, f), 'utf8'),
  ]);

  it('name every variable and secret the deploy workflow reads, and both environments', () => {
    const names = [...new Set([...workflow.matchAll(/\b(?:vars|secrets)\.(\w+)/g)].map((m) => m[1]))].sort();
    expect(names).toEqual([
      'API_BUILD_CONTEXT',
      'API_REPOSITORY',
      'API_REPOSITORY_TOKEN',
      'AWS_PRODUCTION_DEPLOY_ROLE_ARN',
      'AWS_REGION',
      'AWS_STAGING_DEPLOY_ROLE_ARN',
      'ECG_PRODUCTION_ACCOUNT_IDS',
      'ECG_STAGING_ACCOUNT_IDS',
      'LOAD_TEST_PATH',
    ]);
    for (const [file, text] of readmes) {
      for (const name of names) expect(text, `${file} ${name}`).toContain(`\`${name}\``);
      expect(text, file).toMatch(/\| `staging` +\|/);
      expect(text, file).toMatch(/\| `production` +\|/);
    }
  });

  it('show the load test with the thresholds the workflow uses', () => {
    const flags = '--duration 30 --connections 10 \\\n  --max-p95-ms 2000 --max-error-rate 0.01';
    expect(workflow).toContain(flags.replace(' \\\n  ', ' '));
    for (const [file, text] of readmes) {
      expect(text, file).toContain(`npm run load-test -- --url https://staging.example.com/health ${flags}`);
    }
  });

  it('name the stack outputs the CodeDeploy step reads', () => {
    const outputs = [...workflow.matchAll(/\$\(out (\w+)\)/g)].map((m) => m[1]);
    expect(new Set(outputs)).toEqual(
      new Set([
        'api_task_definition_arn',
        'api_container_name',
        'api_container_port',
        'api_codedeploy_application',
        'api_codedeploy_deployment_group',
        'api_url',
      ]),
    );
    for (const [file, text] of readmes) {
      for (const name of outputs.filter((o) => o !== 'api_url'))
        expect(text, `${file} ${name}`).toContain(name);
    }
  });
});
