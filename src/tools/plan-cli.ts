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
