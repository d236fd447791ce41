import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { JsonSyntaxError } from '../src/tools/cdktf-json';
import { readCdktfJson, synthesizeApp } from '../src/tools/synth';
import { runSynth } from '../src/tools/synth-command';
import { withUserTfvarsNames } from '../src/tools/tfvars';
import { treeDigest } from './support/tree-digest';

/**
 * Bad input through the files and flags the user edits besides the settings: cdktf.json itself
 * (syntax, keys given twice, settings beside `context`), the tfvars files (names Terraform or the
 * project never read, literal values, the example left as it is) and `npm run plan` flags
 * (`--export` into cdktf.out, a file, a folder with files, twice). Each: one report naming what
 * the user edits, the value and the rule; exit 1; no stack trace; cdktf.out byte for byte as it was.
 */

const projectDir = resolve(__dirname, '..');
const cdktfJsonText = readFileSync(join(projectDir, 'cdktf.json'), 'utf8');
const context = (JSON.parse(cdktfJsonText) as { context: Record<string, unknown> }).context;

interface FileCase {
  readonly name: string;
  readonly channel: 'cdktf.json' | 'tfvars';
  /** Files (relative to the project folder) written before the run. */
  readonly files: Record<string, string>;
  readonly path: string;
  readonly value: string | RegExp;
  readonly rule: string | RegExp;
}

/** cdktf.json with `edit` applied to its text. */
const cdktfJson = (edit: (text: string) => string) => ({ 'cdktf.json': edit(cdktfJsonText) });

const FILE_CASES: readonly FileCase[] = [
  {
    name: 'a trailing comma in context',
    channel: 'cdktf.json',
    files: cdktfJson((t) => t.replace('"hostedZoneName": ""', '"hostedZoneName": "",')),
    path: 'cdktf.json',
    value: 'line 21, column 3',
    rule: 'is not valid JSON: a comma before } (JSON allows no trailing comma)',
  },
  {
    name: 'a single-quoted value',
    channel: 'cdktf.json',
    files: cdktfJson((t) => t.replace('"region": "ap-northeast-2"', '"region": \'ap-northeast-2\'')),
    path: 'cdktf.json',
    value: 'line 10, column 15',
    rule: "a 'single-quoted' string (JSON needs double quotes)",
  },
  {
    name: 'a missing comma between two settings',
    channel: 'cdktf.json',
    files: cdktfJson((t) => t.replace('"project": "ecg-video-pipeline",', '"project": "ecg-video-pipeline"')),
    path: 'cdktf.json',
    value: 'line 10, column 5',
    rule: 'expected , or } after the value of "project", found "\\""',
  },
  {
    name: 'a string never closed',
    channel: 'cdktf.json',
    files: cdktfJson((t) =>
      t.replace('"lockTable": "ecg-video-pipeline-tflock"', '"lockTable": "ecg-video-pipeline-tflock'),
    ),
    path: 'cdktf.json',
    value: 'line 12, column 18',
    rule: 'a string runs past the end of its line (missing closing ")',
  },
  {
    name: 'a setting given twice in context (JSON keeps the last)',
    channel: 'cdktf.json',
    files: cdktfJson((t) =>
      t.replace('"region": "ap-northeast-2",', '"region": "ap-northeast-2",\n    "region": "us-west-2",'),
    ),
    path: 'cdktf.json context.region',
    value: 'us-west-2',
    rule: 'is given twice (lines 10 and 11); JSON keeps only the last, so the other is ignored: keep one',
  },
  {
    name: 'context given twice (the first is ignored)',
    channel: 'cdktf.json',
    files: cdktfJson((t) =>
      t.replace('"terraformModules": [],', '"terraformModules": [],\n  "context": { "project": "other" },'),
    ),
    path: 'cdktf.json context',
    value: /^\{"project":"ecg-video-pipeline"/,
    rule: 'is given twice (lines 8 and 9)',
  },
  {
    name: 'the region beside context',
    channel: 'cdktf.json',
    files: cdktfJson((t) =>
      t.replace('"language": "typescript",', '"language": "typescript",\n  "region": "us-west-2",'),
    ),
    path: 'cdktf.json region',
    value: 'us-west-2',
    rule: 'is a setting beside "context" (line 3), where cdktf ignores it: move it into "context"',
  },
  {
    name: 'the state bucket beside context',
    channel: 'cdktf.json',
    files: cdktfJson((t) => t.replace('"projectId":', '"stateBucket": "team-tfstate",\n  "projectId":')),
    path: 'cdktf.json stateBucket',
    value: 'team-tfstate',
    rule: 'move it into "context"',
  },
  {
    name: 'the lockfile switch beside context',
    channel: 'cdktf.json',
    files: cdktfJson((t) => t.replace('"projectId":', '"useLockfile": true,\n  "projectId":')),
    path: 'cdktf.json useLockfile',
    value: 'true',
    rule: 'is a setting beside "context"',
  },
  {
    name: 'a tfvars file named .tfvar',
    channel: 'tfvars',
    files: { 'tfvars/staging.tfvar': 'alarm_email = "ops@example.com"\n' },
    path: 'tfvars/staging.tfvar',
    value: '(not read)',
    rule: 'is never read: only tfvars/<stack>.tfvars is (stacks: staging, production); rename it tfvars/staging.tfvars',
  },
  {
    name: 'terraform.tfvars.json (read by cdktf deploy alone)',
    channel: 'tfvars',
    files: { 'terraform.tfvars.json': '{"alarm_email": "ops@example.com"}\n' },
    path: 'terraform.tfvars.json',
    value: '(not read)',
    rule: 'is a JSON variable file, which this project does not copy into the stacks (cdktf deploy alone would pass it; npm run plan and plain terraform would not): write the values in HCL in terraform.tfvars',
  },
  {
    name: 'a JSON tfvars file of a stack',
    channel: 'tfvars',
    files: { 'tfvars/production.tfvars.json': '{"alarm_email": "ops@example.com"}\n' },
    path: 'tfvars/production.tfvars.json',
    value: '(not read)',
    rule: 'write the values in HCL in tfvars/production.tfvars',
  },
  {
    name: "a stack's tfvars file at the top of the project",
    channel: 'tfvars',
    files: { 'staging.tfvars': 'alarm_email = "ops@example.com"\n' },
    path: 'staging.tfvars',
    value: '(not read)',
    rule: 'rename it tfvars/staging.tfvars',
  },
  {
    name: 'an .auto.tfvars file at the top of the project',
    channel: 'tfvars',
    files: { 'team.auto.tfvars': 'alarm_email = "ops@example.com"\n' },
    path: 'team.auto.tfvars',
    value: '(not read)',
    rule: 'rename it terraform.tfvars',
  },
  {
    name: 'the example copied unedited (the task image would be "<repository>:")',
    channel: 'tfvars',
    files: { 'terraform.tfvars': readFileSync(join(projectDir, 'terraform.tfvars.example'), 'utf8') },
    path: 'terraform.tfvars api_image_tag',
    value: '""',
    rule: /^\(line 12\) leaves the API image of staging without a tag: .*Set api_image_tag to a pushed tag, or api_image to a full reference$/,
  },
  {
    name: 'api_image set with api_image_tag (the tag would be unused)',
    channel: 'tfvars',
    files: {
      'tfvars/staging.tfvars':
        'api_image_tag = "3f9c2ab"\napi_image = "public.ecr.aws/docker/library/nginx:stable"\n',
    },
    path: 'tfvars/staging.tfvars api_image',
    value: 'public.ecr.aws/docker/library/nginx:stable',
    rule: 'names the API image of staging together with api_image_tag "3f9c2ab" (tfvars/staging.tfvars line 1): api_image wins',
  },
  {
    name: 'api_image set while staging keeps its default tag latest',
    channel: 'tfvars',
    files: { 'tfvars/staging.tfvars': 'api_image = "public.ecr.aws/docker/library/nginx:stable"\n' },
    path: 'tfvars/staging.tfvars api_image',
    value: 'public.ecr.aws/docker/library/nginx:stable',
    rule: 'together with api_image_tag "latest" (its default)',
  },
  {
    name: 'a placeholder of the runbook left in a tag',
    channel: 'tfvars',
    files: { 'terraform.tfvars': 'api_image_tag = "<git sha>"\n' },
    path: 'terraform.tfvars api_image_tag',
    value: '<git sha>',
    rule: '(line 1) still holds the placeholder <git sha> of the example: replace it with the real value',
  },
  {
    name: 'a function call in a tfvars file',
    channel: 'tfvars',
    files: { 'tfvars/production.tfvars': '\nalarm_email = lower("OPS@example.com")\n' },
    path: 'tfvars/production.tfvars alarm_email',
    value: 'lower("OPS@example.com")',
    rule: '(line 2) is an expression: a variable file holds literal values only',
  },
  {
    name: 'a variable reference in a tfvars file',
    channel: 'tfvars',
    files: { 'terraform.tfvars': 'model_server_image_tag = var.api_image_tag\n' },
    path: 'terraform.tfvars model_server_image_tag',
    value: 'var.api_image_tag',
    rule: 'is an expression',
  },
  {
    name: 'a bad value named with its line',
    channel: 'tfvars',
    files: { 'tfvars/staging.tfvars': '# alarms\n\nalarm_email = "ops"\n' },
    path: 'tfvars/staging.tfvars alarm_email',
    value: 'ops',
    rule: '(line 3) must be empty or an e-mail address',
  },
  {
    name: 'a number where a list of CIDRs belongs',
    channel: 'tfvars',
    files: { 'terraform.tfvars': 'ssh_allowed_cidrs = 10\n' },
    path: 'terraform.tfvars ssh_allowed_cidrs',
    value: '10',
    rule: '(line 1) must be IPv4 CIDRs no wider than /16',
  },
];

interface FlagCase {
  readonly name: string;
  /** Arguments after `npm run plan --`; `$tmp` is a fresh folder of the test. */
  readonly args: readonly string[];
  /** Prepares `$tmp`. */
  readonly setup?: (tmp: string) => void;
  readonly value: string;
  readonly rule: string;
}

const FLAG_CASES: readonly FlagCase[] = [
  {
    name: '--export into a stack folder of cdktf.out',
    args: ['staging', '--export', 'cdktf.out/stacks/staging'],
    value: 'cdktf.out/stacks/staging',
    rule: 'is inside cdktf.out (',
  },
  {
    name: '--export into cdktf.out spelt with ..',
    args: ['staging', '--export', 'src/../cdktf.out/x'],
    value: 'src/../cdktf.out/x',
    rule: 'is inside cdktf.out',
  },
  {
    name: '--export through a symlink into cdktf.out',
    args: ['staging', '--export', '$tmp/link/stacks/staging'],
    setup: (tmp) => symlinkSync(join(projectDir, 'cdktf.out'), join(tmp, 'link')),
    value: '$tmp/link/stacks/staging',
    rule: "the offline copy's local-backend override would reach cdktf deploy there",
  },
  {
    name: '--export onto an existing file',
    args: ['staging', '--export', '$tmp/notes.txt'],
    setup: (tmp) => writeFileSync(join(tmp, 'notes.txt'), 'keep me\n'),
    value: '$tmp/notes.txt',
    rule: 'is an existing file; name a new or empty folder',
  },
  {
    name: '--export into a folder with files',
    args: ['staging', '--export', '$tmp/work'],
    setup: (tmp) => {
      mkdirSync(join(tmp, 'work'));
      writeFileSync(join(tmp, 'work', 'main.tf'), '# mine\n');
    },
    value: '$tmp/work',
    rule: 'is a folder that is not empty (1 entries); name a new or empty folder',
  },
  {
    name: '--export given twice',
    args: ['staging', '--export', '$tmp/a', '--export', '$tmp/b'],
    value: '$tmp/b',
    rule: '--export is given twice ($tmp/a first); name one folder',
  },
  {
    name: '--export without a folder',
    args: ['staging', '--export'],
    value: '',
    rule: '--export needs a folder',
  },
  {
    name: '--export of two stacks',
    args: ['staging', 'production', '--export', '$tmp/x'],
    value: '',
    rule: '--export writes one stack: name it',
  },
  {
    name: 'a misspelt flag',
    args: ['staging', '--exprot', '$tmp/x'],
    value: '',
    rule: 'unknown option --exprot',
  },
];

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

describe('bad input through cdktf.json and the tfvars files: one report, exit 1, cdktf.out unchanged', () => {
  let root: string;
  let outdir: string;
  let before: Record<string, string>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bad-input-files-'));
    outdir = join(root, 'cdktf.out');
    expect(runSynth({ context, env: {}, outdir, cwd: root }).report).toBeUndefined();
    // What Terraform keeps beside the JSON must survive any synth.
    writeFileSync(
      join(outdir, 'stacks', 'state-backend', 'terraform.state-backend.tfstate'),
      '{"serial": 7}',
    );
    before = treeDigest(outdir);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(FILE_CASES.map((c) => [`${c.channel}: ${c.name}`, c] as const))('%s', (_, c) => {
    const cwd = mkdtempSync(join(root, 'project-'));
    for (const [file, text] of Object.entries(c.files)) {
      mkdirSync(dirname(join(cwd, file)), { recursive: true });
      writeFileSync(join(cwd, file), text);
    }
    // The context as the cdktf CLI passes it: parsed by JSON.parse (the last of two keys wins).
    let cliContext = context;
    try {
      cliContext = (JSON.parse(c.files['cdktf.json'] ?? cdktfJsonText) as { context: typeof context })
        .context;
    } catch {
      // a syntax error: the CLI would stop; runSynth still reads the file itself
    }
    const outcome = runSynth({ context: cliContext, env: {}, outdir, cwd });
    expect(outcome.exitCode).toBe(1);
    const report = outcome.report ?? '';
    expect(report.match(/^Invalid configuration/gm)).toHaveLength(1);
    const line = report
      .split('\n')
      .find((l) =>
        typeof c.value === 'string'
          ? l.startsWith(`  - ${c.path} ${c.value} `)
          : l.startsWith(`  - ${c.path} `) && c.value.test(l.slice(`  - ${c.path} `.length)),
      );
    expect(line, report).toBeDefined();
    const rule = line!.slice(line!.indexOf(typeof c.value === 'string' ? `${c.value} ` : ' is given') + 1);
    if (typeof c.rule === 'string') expect(line).toContain(c.rule);
    else expect(rule.slice(rule.indexOf('(line'))).toMatch(c.rule);
    expect(report).not.toMatch(STACK_TRACE);
    expect(treeDigest(outdir)).toEqual(before);
    expect(readdirSync(root).filter((n) => n.startsWith('.synth-'))).toEqual([]);
  });

  it('takes a numeric tag as Terraform does: api_image_tag = 20240501 is the tag "20240501"', () => {
    const cwd = mkdtempSync(join(root, 'project-'));
    writeFileSync(join(cwd, 'terraform.tfvars'), 'api_image_tag = 20240501\nmodel_server_image_tag = 7\n');
    const outcome = runSynth({ context, env: {}, outdir: join(cwd, 'out'), cwd });
    expect(outcome.report).toBeUndefined();
    expect(readFileSync(join(cwd, 'out', 'stacks', 'staging', 'terraform.tfvars'), 'utf8')).toContain(
      '20240501',
    );
  }, 60_000);

  it('names a broken cdktf.json in one line when a tool reads it (npm run plan, synth, cost)', () => {
    const dir = mkdtempSync(join(root, 'project-'));
    writeFileSync(
      join(dir, 'cdktf.json'),
      cdktfJsonText.replace('"useLockfile": false,', '"useLockfile": false'),
    );
    let error: unknown;
    try {
      readCdktfJson(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as Error).message).toBe(
      'cdktf.json line 16, column 5: expected , or } after the value of "useLockfile", found "\\""',
    );
  });

  it("names the user's tfvars file in Terraform's errors, not the copy in the stack folder", () => {
    const message =
      'Error: Invalid value for variable\n\n  on staging.auto.tfvars line 3:\n   3: alarm_email = "ops"';
    expect(withUserTfvarsNames(message, 'staging')).toBe(
      'Error: Invalid value for variable\n\n  on tfvars/staging.tfvars line 3:\n   3: alarm_email = "ops"',
    );
  });

  // Moved from bad-input.test.ts, which the mutation runs take in: this case starts the app command.
  it('the app command exits 1 with the report on stderr and no stack trace', async () => {
    const failure = await synthesizeApp(projectDir, outdir, {
      ...process.env,
      ECG_REGION: 'ap-northest-2',
      ECG_PROJECT: 'abcdefghijklmnopqrstuvwx',
    }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^Invalid configuration \(2 problems\); nothing was written:\n/);
    expect(failure?.stderr).toContain('  - ECG_PROJECT abcdefghijklmnopqrstuvwx is 24 characters');
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
    expect(treeDigest(outdir)).toEqual(before);
  });
});

const run = promisify(execFile);

describe('bad npm run plan flags: one message, exit 1, nothing written', () => {
  const tmps: string[] = [];
  afterAll(() => tmps.forEach((t) => rmSync(t, { recursive: true, force: true })));

  it.each(FLAG_CASES.map((c) => [c.name, c] as const))(
    'plan flags: %s',
    async (_, c) => {
      const tmp = mkdtempSync(join(tmpdir(), 'bad-flags-'));
      tmps.push(tmp);
      c.setup?.(tmp);
      const outBefore = treeDigest(join(projectDir, 'cdktf.out'));
      const tmpBefore = treeDigest(tmp);
      const args = c.args.map((a) => a.replace('$tmp', tmp));
      const result = await run(process.execPath, ['scripts/run-app.mjs', 'scripts/plan.ts', ...args], {
        cwd: projectDir,
        env: process.env,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const first = result.stderr.split('\n')[0];
      const value = c.value.replace('$tmp', tmp);
      if (value !== '') expect(first.startsWith(`--export ${value}: `), result.stderr).toBe(true);
      expect(first).toContain(c.rule.replace('$tmp', tmp));
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(treeDigest(join(projectDir, 'cdktf.out'))).toEqual(outBefore);
      expect(treeDigest(tmp)).toEqual(tmpBefore);
    },
    60_000,
  );
});

describe('the case list', () => {
  it('holds at least 20 cases over cdktf.json, tfvars and plan flags', () => {
    const counts = {
      'cdktf.json': FILE_CASES.filter((c) => c.channel === 'cdktf.json').length,
      tfvars: FILE_CASES.filter((c) => c.channel === 'tfvars').length,
      'plan flags': FLAG_CASES.length,
    };
    expect(Object.values(counts).every((n) => n >= 5)).toBe(true);
    expect(FILE_CASES.length + FLAG_CASES.length).toBeGreaterThanOrEqual(20);
  });
});
