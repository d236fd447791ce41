/**
 * Rules between fields of one environment that the schema cannot see: ports that must agree,
 * availability zones the region has, the GitHub branch, and lists whose entries must be unique
 * (reported as the config field, not as the construct id they would collide on).
 */
import type { EnvironmentConfig } from './types';
import { type ConfigIssue, IssueCollector } from '../lib/validation';
import { duplicateIssues } from '../lib/schema';
import { gitBranchProblems } from '../lib/github';

/** The port of a `http://localhost[:port]` (or 127.0.0.1) URL in a health-check command. */
function localPort(command: readonly string[]): number | undefined {
  const match = /https?:\/\/(?:localhost|127\.0\.0\.1)(?::(\d+))?/.exec(command.join(' '));
  if (!match) return undefined;
  return match[1] !== undefined ? Number(match[1]) : command.join(' ').includes('https://') ? 443 : 80;
}

export function validateCrossFields(root: IssueCollector, cfg: EnvironmentConfig): void {
  const api = cfg.api;
  // The container health check runs inside the task: ECS marks the task unhealthy and replaces it
  // when the command fails, so it must call the port the application listens on.
  const checked = localPort(api.healthCheck.command);
  if (checked !== undefined) {
    root
      .at('api')
      .at('healthCheck')
      .at('command')
      .check(
        checked === api.containerPort,
        api.healthCheck.command.join(' '),
        `calls port ${checked}, but api.containerPort is ${api.containerPort}: the check would fail and ECS would replace every task`,
      );
  }
  // Security-group rules use security.ports; the services listen on their own port fields.
  const ports = cfg.security.ports;
  const pairs = [
    ['api.containerPort', api.containerPort, 'api', ports.api],
    ['gpu.modelServer.port', cfg.gpu.modelServer.port, 'modelServer', ports.modelServer],
    ['gpu.renderWorker.port', cfg.gpu.renderWorker.port, 'renderWorker', ports.renderWorker],
  ] as const;
  for (const [field, port, key, rulePort] of pairs) {
    const at = field.split('.').reduce((c, part) => c.at(part), root);
    at.check(
      port === rulePort,
      port,
      `must equal security.ports.${key} (${rulePort}): the security-group rules open that port, so traffic to ${port} would be dropped`,
    );
  }
  for (const problem of gitBranchProblems(cfg.cicd.branch)) {
    root.at('cicd').at('branch').report(cfg.cicd.branch, problem);
  }
}

/** Entries that must be unique, named by the field (`gpu.renderWorker.schedules[1].name`). */
export function duplicateFieldIssues(cfg: EnvironmentConfig): ConfigIssue[] {
  const n = String(cfg.name);
  return [
    ...duplicateIssues(`${n}.ecr.repositories`, cfg.ecr?.repositories),
    ...(['modelServer', 'renderWorker'] as const).flatMap((f) => [
      ...duplicateIssues(`${n}.gpu.${f}.fallbackInstanceTypes`, cfg.gpu?.[f]?.fallbackInstanceTypes),
    ]),
    ...duplicateIssues(`${n}.edge.allowedCountries`, cfg.edge?.allowedCountries),
    ...duplicateIssues(`${n}.edge.aliases`, cfg.edge?.aliases),
    ...duplicateIssues(`${n}.storage.corsAllowedOrigins`, cfg.storage?.corsAllowedOrigins),
  ];
}
