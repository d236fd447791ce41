import { App, Aspects, TerraformStack } from 'cdktf';
import {
  copyFileSync,
  existsSync,
  readFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildApp, readConfiguration, type BuiltApp, type ConfigurationOptions } from '../app';
import type { EnvironmentConfig } from '../config';
import { TFVARS_DIR_ENV } from '../config/settings';
import { nameLimitViolations } from '../lib/aws/name-check';
import { collectIssues, formatIssue, type ConfigIssue } from '../lib/validation';
import { PolicyPack, RULES, evaluateStack, type Json, type PolicyEnvironment } from '../policies';
import { MODULE_CONFIG_SOURCES } from '../stacks/platform-stack';
import { platformVariables } from '../stacks/variables';
import { JsonSyntaxError, cdktfJsonIssues, parseJsonText } from './cdktf-json';
import { removeUnwritten } from './stack-dirs';
import { copyTfvars, tfvarsIssues } from './tfvars';

/** What `cdktf synth` hands the app, read by `main.ts`. */
export interface SynthRequest {
  /** cdktf.json `context` as the CLI passes it (CDKTF_CONTEXT_JSON). */
  readonly context: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the stacks go (the CLI's CDKTF_OUTDIR, `cdktf.out`). */
  readonly outdir: string;
  /** The project folder: tfvars are read from here unless ECG_TFVARS_DIR names another. */
  readonly cwd: string;
  /** Replace the environment presets (tests inject bad configuration this way). */
  readonly environments?: ConfigurationOptions['environments'];
}

export interface SynthOutcome {
  readonly exitCode: 0 | 1;
  /** Every problem, when there are any. */
  readonly issues: readonly ConfigIssue[];
  /** The report printed on failure. */
  readonly report?: string;
}

/** Keys the CLI adds to the context it passes; they are not the user's settings. */
const CLI_CONTEXT_KEYS = ['cdktfRelativeModules'];

/** Reads a path like `gpu.renderWorker.count.max` or `aliases[0]` inside an object. */
function lookup(root: unknown, path: string): { found: boolean; value?: unknown } {
  let value: unknown = root;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter((x) => x !== ''))) {
    if (value === null || typeof value !== 'object' || !(part in (value as object))) return { found: false };
    value = (value as Record<string, unknown>)[part];
  }
  return { found: true, value };
}

/**
 * A module's problem named as the config field the user edits: `staging/render-worker.maxSize`
 * becomes `staging.gpu.renderWorker.count.max`. Problems of props the stack wires itself (ids,
 * ARNs) keep the construct path: they are not user input.
 */
export function toConfigPath(issue: ConfigIssue, environments: readonly EnvironmentConfig[]): ConfigIssue {
  const match = /^([^/.]+)\/([^/.]+)\.([A-Za-z0-9_]+)(.*)$/.exec(issue.path);
  const config = environments.find((e) => e.name === match?.[1]);
  const source = match ? MODULE_CONFIG_SOURCES[match[2]] : undefined;
  if (!match || !config || !source) return issue;
  const [, env, , prop, tail] = match;
  const field = `${source.props?.[prop] ?? `${source.config}.${prop}`}${tail}`;
  if (!lookup(config, field).found) {
    return { ...issue, rule: `${issue.rule} (a value src/stacks/platform-stack.ts wires into the module)` };
  }
  return { ...issue, path: `${env}.${field}` };
}

function stacksOf(built: BuiltApp): { stack: TerraformStack; environment: PolicyEnvironment }[] {
  return [
    { stack: built.stateBackend, environment: 'shared' },
    ...Object.values(built.platforms).map((p) => ({
      stack: p as TerraformStack,
      environment: p.config.name,
    })),
  ];
}

/** The policy pack's unsuppressed findings, each naming the config field behind it and how to accept it. */
function policyIssues(
  stack: TerraformStack,
  json: Json,
  environment: PolicyEnvironment,
  config: EnvironmentConfig | undefined,
): ConfigIssue[] {
  return evaluateStack(json, environment)
    .flatMap((result) => result.findings)
    .map((finding) => {
      const field = RULES.find((r) => r.id === finding.ruleId)?.configField;
      const controlled = field !== undefined && config !== undefined && lookup(config, field).found;
      const suppression = `{ ruleId: '${finding.ruleId}', check: '${finding.check}', environments: ['${environment}'], resource: '${finding.address}', reason: '<why this is acceptable>' }`;
      return {
        path: controlled ? `${environment}.${field}` : `${stack.node.id} ${finding.address}`,
        value: controlled ? lookup(config, field).value : finding.ruleId,
        rule:
          `breaks policy ${finding.ruleId} (${finding.address}: ${finding.message}). ` +
          (controlled ? 'Change this field, or accept' : 'Accept') +
          ` the finding with a reason in src/policies/suppressions.ts: ${suppression}`,
      };
    });
}

/**
 * Everything a built app breaks before it is written: module props, policy pack, name limits,
 * cdktf's own checks. The Terraform JSON each stack was checked as goes into `checked`.
 */
function builtAppIssues(
  built: BuiltApp,
  environments: readonly EnvironmentConfig[],
  checked: Map<TerraformStack, Json>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stacks = stacksOf(built);
  // What app.synth() does first, so the checks see what is written (cross-stack outputs included).
  for (const { stack } of stacks) stack.prepareStack();
  for (const { stack, environment } of stacks) {
    const json = stack.toTerraform() as Json;
    checked.set(stack, json);
    const config = environments.find((e) => e.name === environment);
    issues.push(...policyIssues(stack, json, environment, config));
    for (const violation of nameLimitViolations(json)) {
      issues.push({
        path: `${stack.node.id} ${violation.address}`,
        value: violation.name,
        rule: violation.rule,
      });
    }
    for (const node of stack.node.findAll()) {
      for (const message of node.node.validate()) {
        issues.push({ path: node.node.path, value: node.node.id, rule: message });
      }
    }
  }
  return issues;
}

/**
 * Lets `app.synth()` write what the checks computed instead of computing it twice more: the
 * checks prepared every stack and turned it into JSON, the two passes over every resource that
 * take most of a synth's time. Nothing changes a stack in between while the only aspect in the
 * app is the policy pack (it adds a validation and changes nothing); with any other aspect,
 * `app.synth()` prepares and computes everything again, after the aspects ran.
 */
function reuseCheckedJson(app: App, checked: ReadonlyMap<TerraformStack, Json>): void {
  const aspects = app.node.findAll().flatMap((node) => Aspects.of(node).all);
  if (!aspects.every((aspect) => aspect instanceof PolicyPack)) return;
  for (const [stack, json] of checked) {
    stack.prepareStack = () => undefined;
    stack.toTerraform = () => json;
  }
}

/**
 * Moves every file of `from` over `to` (a folder beside it, so on the same file system), each
 * renamed into place; where a rename cannot cross file systems, it copies and renames.
 */
function moveTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    if (statSync(source).isDirectory()) {
      moveTree(source, target);
      continue;
    }
    try {
      renameSync(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const staged = `${target}.synth-tmp`;
      copyFileSync(source, staged);
      renameSync(staged, target);
    }
  }
}

/**
 * What the cdktf CLI does not say about the project's cdktf.json (keys given twice, settings
 * beside `context`); a syntax error, when the file is read without the CLI.
 */
function projectFileIssues(cwd: string): ConfigIssue[] {
  const file = join(cwd, 'cdktf.json');
  if (!existsSync(file)) return [];
  try {
    return cdktfJsonIssues(parseJsonText(readFileSync(file, 'utf8'), 'cdktf.json'));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return [
      {
        path: 'cdktf.json',
        value: `line ${error.line}, column ${error.column}`,
        rule: `is not valid JSON: ${error.problem}`,
      },
    ];
  }
}

function report(issues: readonly ConfigIssue[]): string {
  const unique = issues.filter(
    (issue, i) => issues.findIndex((other) => other.path === issue.path && other.rule === issue.rule) === i,
  );
  return (
    `Invalid configuration (${unique.length} problem${unique.length === 1 ? '' : 's'}); nothing was written:\n` +
    unique.map((i) => `  - ${formatIssue(i)}`).join('\n')
  );
}

/**
 * The app as `cdktf synth` runs it. Settings, environment config, tfvars, module props, AWS name
 * limits and the policy pack are all checked before the first file is written; with any problem,
 * every problem is reported at once and `outdir` is left exactly as it was. The stacks are built
 * in a scratch folder beside `outdir` and moved over it only when all is well, file by file, so
 * what Terraform keeps there (`.terraform/`, a local state file) stays; any other file a stack
 * folder holds that this synth did not write is removed (src/tools/stack-dirs.ts).
 */
export function runSynth(request: SynthRequest): SynthOutcome {
  const contextKeys = Object.keys(request.context).filter((k) => !CLI_CONTEXT_KEYS.includes(k));
  const { configuration, issues } = readConfiguration(
    { context: (key) => request.context[key], env: request.env, contextKeys },
    { environments: request.environments },
  );

  issues.push(...projectFileIssues(request.cwd));

  const tfvarsDir = request.env[TFVARS_DIR_ENV]
    ? resolve(request.cwd, request.env[TFVARS_DIR_ENV])
    : request.cwd;
  if (request.env[TFVARS_DIR_ENV] && !(existsSync(tfvarsDir) && statSync(tfvarsDir).isDirectory())) {
    issues.push({
      path: TFVARS_DIR_ENV,
      value: request.env[TFVARS_DIR_ENV],
      rule: 'must name an existing folder',
    });
  } else {
    const variablesOf = Object.fromEntries(
      configuration.environments.map((e) => [
        e.name,
        platformVariables({ immutableTags: e.ecr?.imageTagMutability === 'IMMUTABLE' }),
      ]),
    );
    issues.push(...tfvarsIssues(tfvarsDir, variablesOf));
  }

  const outdir = resolve(request.cwd, request.outdir);
  mkdirSync(dirname(outdir), { recursive: true });
  const scratch = mkdtempSync(join(dirname(outdir), '.synth-'));
  try {
    let built: BuiltApp | undefined;
    let app: App | undefined;
    const checked = new Map<TerraformStack, Json>();
    // A configuration that fails its own checks is not built: module checks would only repeat them.
    if (issues.length === 0) {
      app = new App({ outdir: scratch, skipValidation: true });
      const outcome = collectIssues(() => buildApp(app as App, configuration));
      built = outcome.result;
      issues.push(...outcome.issues.map((i) => toConfigPath(i, configuration.environments)));
      if (built && issues.length === 0) {
        issues.push(...builtAppIssues(built, configuration.environments, checked));
      }
    }
    if (issues.length > 0 || !app || !built) {
      return { exitCode: 1, issues, report: report(issues) };
    }
    reuseCheckedJson(app, checked);
    app.synth();
    copyTfvars(tfvarsDir, scratch, Object.keys(built.platforms));
    // Nothing of an earlier run survives that this synth did not write (an offline override
    // would turn `cdktf deploy` to a local backend), except what Terraform keeps there.
    removeUnwritten(scratch, outdir);
    moveTree(scratch, outdir);
    return { exitCode: 0, issues: [] };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
