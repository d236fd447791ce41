import type { Json } from './synth';

/** Resource types that hold data or identity a re-create would lose. */
export const STATEFUL_TYPES = [
  'aws_db_instance',
  'aws_elasticache_replication_group',
  'aws_s3_bucket',
  'aws_ecr_repository',
  'aws_dynamodb_table',
  'aws_secretsmanager_secret',
  'aws_kms_key',
  // The suffix of every bucket name: a new one renames (re-creates) the buckets.
  'random_id',
] as const;

/** `<type>.<name>` of every stateful resource of a synthesized stack, sorted. */
export function statefulAddresses(json: Json): string[] {
  return STATEFUL_TYPES.flatMap((type) =>
    Object.keys(json.resource?.[type] ?? {}).map((name) => `${type}.${name}`),
  ).sort();
}

/** Differences between a stack's stateful addresses and the pinned ones, as readable lines. */
export function addressDrift(actual: readonly string[], pinned: readonly string[]): string[] {
  return [
    ...pinned
      .filter((a) => !actual.includes(a))
      .map((a) => `missing (renamed or removed: Terraform would destroy it): ${a}`),
    ...actual.filter((a) => !pinned.includes(a)).map((a) => `new (not pinned yet): ${a}`),
  ];
}
