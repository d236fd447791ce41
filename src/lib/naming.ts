/** `<project>-<env>-<thing>`, the naming rule of docs/design.md. */
export function resourceName(project: string, environment: string, thing: string): string {
  return `${project}-${environment}-${thing}`;
}

/** Standard tags every stack's provider applies to every resource. */
export function defaultTags(project: string, environment: string): Record<string, string> {
  return { Project: project, Environment: environment, ManagedBy: 'cdktf' };
}
