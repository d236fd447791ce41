import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where stray network calls go during a plan: a loopback port nothing listens on. */
export const CLOSED_LOOPBACK_PROXY = 'http://127.0.0.1:9';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One diagnostic of Terraform's machine-readable output (`-json`). */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
  readonly snippet?: {
    readonly context?: string | null;
    readonly code?: string;
    readonly start_line?: number;
  };
}

/** A diagnostic as Terraform prints it, without the box drawing: summary, where, then the detail. */
export function renderDiagnostic(d: Diagnostic): string {
  const lines = [`${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}`];
  if (d.range) {
    const context = d.snippet?.context ? `, in ${d.snippet.context}` : '';
    lines.push(`  on ${d.range.filename} line ${d.range.start.line}${context}:`);
    if (d.snippet?.code)
      lines.push(`  ${d.snippet.start_line ?? d.range.start.line}: ${d.snippet.code.trim()}`);
  }
  if (d.address) lines.push(`  with ${d.address}`);
  if (d.detail) lines.push(...d.detail.split('\n').map((l) => (l ? `  ${l}` : '')));
  return lines.join('\n');
}

/** Errors first, then warnings, each rendered; identical diagnostics once. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const ordered = [
    ...diagnostics.filter((d) => d.severity === 'error'),
    ...diagnostics.filter((d) => d.severity !== 'error'),
  ];
  return [...new Set(ordered.map(renderDiagnostic))].join('\n\n');
}

/** Terraform CLI failed: the message holds the errors only; `output` everything it printed. */
export class TerraformCommandError extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const subcommand = command.split(' ')[0];
    super(
      errors.length > 0
        ? `terraform ${subcommand} failed with ${errors.length} error(s):\n\n${renderDiagnostics(errors)}`
        : `terraform ${command} failed:\n${output}`,
    );
    this.name = 'TerraformCommandError';
  }
}

/** The messages of a `-json` run: diagnostics, planned changes and the change summary. */
export interface JsonStream {
  readonly diagnostics: Diagnostic[];
  readonly changes: { readonly address: string; readonly type: string; readonly action: string }[];
  readonly summary?: { readonly add: number; readonly change: number; readonly remove: number };
  /** Every human-readable message, in order (Terraform's own log of the run). */
  readonly log: string[];
}

/** Parses Terraform's JSON-lines UI output (`plan -json`). */
export function parseJsonStream(stdout: string): JsonStream {
  const stream: JsonStream = { diagnostics: [], changes: [], log: [] };
  let summary: JsonStream['summary'];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let message: Json;
    try {
      message = JSON.parse(line) as Json;
    } catch {
      continue;
    }
    if (typeof message['@message'] === 'string') stream.log.push(message['@message']);
    if (message.type === 'diagnostic') stream.diagnostics.push(message.diagnostic as Diagnostic);
    if (message.type === 'planned_change') {
      const resource = message.change.resource as Json;
      stream.changes.push({
        address: resource.addr,
        type: resource.resource_type,
        action: message.change.action,
      });
    }
    if (message.type === 'change_summary') summary = message.changes;
  }
  return { ...stream, summary };
}

/** Environment for terraform: no AWS credentials of the user's, and a proxy guard. */
export function terraformEnv(
  cliConfig: string | undefined,
  guard: boolean,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key];
  Object.assign(env, {
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    AWS_ACCESS_KEY_ID: 'AKIAOFFLINEPLAN00000',
    AWS_SECRET_ACCESS_KEY: 'offline-plan-dummy-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    TF_CLI_CONFIG_FILE: cliConfig ?? '/dev/null',
    // Terraform and the AWS provider are short-lived Go processes whose start builds a huge schema:
    // collecting garbage less often cuts ~15 % of a plan for ~0.5 GB more memory at the peak.
    GOGC: '400',
    ...extra,
  });
  if (guard) {
    Object.assign(env, {
      HTTPS_PROXY: CLOSED_LOOPBACK_PROXY,
      HTTP_PROXY: CLOSED_LOOPBACK_PROXY,
      https_proxy: CLOSED_LOOPBACK_PROXY,
      http_proxy: CLOSED_LOOPBACK_PROXY,
      NO_PROXY: '',
    });
  }
  return env;
}

/** Runs `terraform -chdir=<dir> <args>`; a failure throws with Terraform's diagnostics when it gave JSON. */
export async function terraform(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('terraform', [`-chdir=${dir}`, ...args], {
      env,
      maxBuffer: 512 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const stdout = e.stdout ?? '';
    if (args.includes('-json')) {
      const stream = parseJsonStream(stdout);
      const rendered = renderDiagnostics(stream.diagnostics);
      const output = [...stream.log, rendered, e.stderr ?? ''].filter(Boolean).join('\n');
      throw new TerraformCommandError(args.join(' '), output || e.message, stream.diagnostics);
    }
    throw new TerraformCommandError(args.join(' '), `${stdout}${e.stderr ?? ''}` || e.message);
  }
}
