/** `<project>-<env>-<thing>`, the naming rule of docs/design.md. */
export function resourceName(project: string, environment: string, thing: string): string {
  return `${project}-${environment}-${thing}`;
}

/** Standard tags every stack's provider applies to every resource. */
export function defaultTags(project: string, environment: string): Record<string, string> {
  return { Project: project, Environment: environment, ManagedBy: 'cdktf' };
}

/**
 * `<project>-<env>`, the prefix every module names its resources with: lowercase letters, digits
 * and single hyphens (ElastiCache, RDS and S3 all refuse `--` or a trailing hyphen somewhere).
 */
export const NAME_PREFIX_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** The rule a module reports when its `namePrefix` breaks NAME_PREFIX_PATTERN. */
export const NAME_PREFIX_RULE =
  'must be lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen';
