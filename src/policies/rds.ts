import type { RuleContext, TfResource } from './types';
import { blocks, resolveTarget } from './values';

export function isPostgres(instance: TfResource): boolean {
  return String(instance.values.engine ?? '').startsWith('postgres');
}

/** The aws_db_parameter_group the instance uses, when it is one of the stack's own. */
export function parameterGroupOf(ctx: RuleContext, instance: TfResource): TfResource | undefined {
  return resolveTarget(ctx, instance.values.parameter_group_name, 'aws_db_parameter_group', ['name']);
}

/** A parameter's value in a parameter group, as a string; undefined when the group does not set it. */
export function parameterValue(group: TfResource | undefined, name: string): string | undefined {
  const value = blocks(group?.values.parameter).find((p) => p.name === name)?.value;
  return value === undefined ? undefined : String(value);
}
