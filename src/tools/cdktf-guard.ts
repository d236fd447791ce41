import { join } from 'node:path';
import { overrideFiles } from './stack-dirs';

/** Commands the daily npm scripts pass to the cdktf CLI. */
export const GUARDED_COMMANDS = ['diff', 'deploy', 'destroy'] as const;
export type GuardedCommand = (typeof GUARDED_COMMANDS)[number];

export const ALLOW_PRODUCTION_DESTROY_FLAG = '--allow-production-destroy';
export const ALLOW_PRODUCTION_DESTROY_ENV = 'ECG_ALLOW_PRODUCTION_DESTROY';

const STACKS = ['state-backend', 'staging', 'production'];

/**
 * Why a cdktf invocation must not run, or undefined when it may. Destroying production (or the
 * state backend, which every environment's state lives in) needs an explicit flag or variable;
 * prevent_destroy on the database, video bucket, state bucket and lock table is the second rail.
 */
export function refusal(
  command: string,
  stack: string | undefined,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (!(GUARDED_COMMANDS as readonly string[]).includes(command)) {
    return `unknown command ${command}: use one of ${GUARDED_COMMANDS.join(', ')}`;
  }
  if (!stack || !STACKS.includes(stack)) {
    return `stack ${stack ?? '(none)'} is not one of ${STACKS.join(', ')}`;
  }
  const allowed = args.includes(ALLOW_PRODUCTION_DESTROY_FLAG) || env[ALLOW_PRODUCTION_DESTROY_ENV] === 'yes';
  if (command === 'destroy' && stack !== 'staging' && !allowed) {
    return (
      `refusing to destroy ${stack}: pass ${ALLOW_PRODUCTION_DESTROY_FLAG} or set ` +
      `${ALLOW_PRODUCTION_DESTROY_ENV}=yes (and remove prevent_destroy from the protected resources first)`
    );
  }
  return undefined;
}

/**
 * Why the stack folder `cdktf deploy`/`diff`/`destroy` would run Terraform in must not be used, or
 * undefined: an override file there (an offline copy's local backend) would make Terraform keep
 * the state on this machine, outside the team's S3 state and its lock.
 */
export function stackDirRefusal(outdir: string, stack: string): string | undefined {
  const found = overrideFiles(join(outdir, 'stacks', stack));
  if (found.length === 0) return undefined;
  return (
    `refusing to run Terraform in cdktf.out/stacks/${stack}: it holds ${found.join(', ')}, an override ` +
    'file that would replace the S3 backend with a local one. Remove it (npm run synth removes it), ' +
    'and write offline copies outside cdktf.out (npm run plan -- <stack> --export <new folder>)'
  );
}
