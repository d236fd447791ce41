import { readDocument } from './hcl';
import type { Finding, Json, RuleContext, TfResource } from './types';

/** The container definitions of a task definition; undefined when they cannot be read at synth time. */
export function containers(taskDefinition: TfResource): Json[] | undefined {
  const doc = readDocument(taskDefinition.values.container_definitions);
  if (!Array.isArray(doc)) return undefined;
  return doc.filter((c): c is Json => c !== null && typeof c === 'object');
}

/** `container <name>`, for messages. */
export function containerLabel(container: Json, index: number): string {
  return `container ${typeof container.name === 'string' ? container.name : `#${index + 1}`}`;
}

/** The `checks` entry of every rule that reads container definitions. */
export const UNREADABLE_DEFINITIONS = {
  'unreadable-definitions': 'container_definitions cannot be read at synth time',
} as const;

/**
 * Findings of `check` for every container of `taskDefinition`, each given its `container <name>`
 * label; one `unreadable-definitions` finding instead when the definitions cannot be parsed.
 */
export function containerFindings(
  ctx: RuleContext,
  taskDefinition: TfResource,
  check: (container: Json, label: string) => Finding[],
): Finding[] {
  const list = containers(taskDefinition);
  if (!list) {
    return [
      ctx.finding(
        taskDefinition,
        'unreadable-definitions',
        'has container_definitions that cannot be parsed',
      ),
    ];
  }
  return list.flatMap((c, i) => check(c, containerLabel(c, i)));
}
