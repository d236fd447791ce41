import { readDocument } from './hcl';
import type { Json, TfResource } from './types';

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
