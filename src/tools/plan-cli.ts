import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ENVIRONMENT_NAMES } from '../config';
import { didYouMean } from '../lib/suggest';

/** The stacks the app synthesizes, in its order (a test checks this against the synthesized app). */
export const STACK_IDS: readonly string[] = ['state-backend', ...ENVIRONMENT_NAMES];

export const PLAN_USAGE = 'usage: npm run plan -- [stack ...] [--verbose] [--export <folder>]';

export interface PlanArgs {
  readonly stacks: readonly string[];
  /** Print Terraform's full output too (the plan, or every message of a failed run). */
  readonly verbose: boolean;
  /** Write the offline copy of one stack into this folder instead of planning. */
  readonly exportDir?: string;
}

/**
 * Reads `npm run plan` arguments; returns the problem as a message when they are wrong, so the
 * script stops before it synthesizes anything.
 */
export function parsePlanArgs(argv: readonly string[]): PlanArgs | { readonly error: string } {
  const stacks: string[] = [];
  let verbose = false;
  let exportDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--verbose' || arg === '-v') verbose = true;
    else if (arg === '--export') {
      if (exportDir !== undefined) {
        return {
          error: `--export ${argv[i + 1] ?? ''}: --export is given twice (${exportDir} first); name one folder\n${PLAN_USAGE}`,
        };
      }
      exportDir = argv[++i];
      if (!exportDir) return { error: `--export needs a folder\n${PLAN_USAGE}` };
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}\n${PLAN_USAGE}` };
    else stacks.push(arg);
  }
  const unknown = stacks.filter((s) => !STACK_IDS.includes(s));
  if (unknown.length > 0) {
    const lines = unknown.map((s) => {
      const guess = didYouMean(s, STACK_IDS);
      return `unknown stack "${s}"${guess ? `: did you mean ${guess}?` : ''}`;
    });
    return { error: `${lines.join('\n')}\nstacks: ${STACK_IDS.join(', ')}` };
  }
  if (exportDir !== undefined && stacks.length !== 1) {
    return { error: `--export writes one stack: name it (stacks: ${STACK_IDS.join(', ')})` };
  }
  return { stacks: stacks.length > 0 ? stacks : STACK_IDS, verbose, exportDir };
}

/** The real path of `path`, symlinks and `..` resolved, for a path whose tail may not exist yet. */
function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
}

/**
 * Why `npm run plan -- <stack> --export <dir>` must not write into `dir`, or undefined when it may.
 * The offline copy holds a local-backend override: inside `cdktf.out` it would turn the next
 * `cdktf deploy` of that stack to a local state (the team's S3 state and its lock bypassed), and
 * over existing files it would mix with what is there. So the folder must be new or empty, and
 * outside the project's cdktf.out however it is spelt (`..`, symlinks).
 */
export function exportDirProblem(dir: string, projectDir: string): string | undefined {
  const target = realPath(dir);
  const outdir = realPath(join(projectDir, 'cdktf.out'));
  const inside = relative(outdir, target);
  if (inside === '' || (!inside.startsWith(`..${sep}`) && inside !== '..' && !inside.startsWith(sep))) {
    return `--export ${dir}: is inside cdktf.out (${target}); the offline copy's local-backend override would reach cdktf deploy there: export to a new folder outside cdktf.out`;
  }
  if (existsSync(target) && !statSync(target).isDirectory()) {
    return `--export ${dir}: is an existing file; name a new or empty folder`;
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    return `--export ${dir}: is a folder that is not empty (${readdirSync(target).length} entries); name a new or empty folder`;
  }
  return undefined;
}
