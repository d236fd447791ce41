import { containers } from '../ecs';
import type { Json, Rule, RuleContext, TfResource } from '../types';
import { blocks, policyStatements, referenced, referrers } from '../values';

/** AWS managed policies that grant xray:PutTraceSegments (AWS managed policy reference). */
const XRAY_MANAGED_POLICIES = /:policy\/(AWSXrayWriteOnlyAccess|AWSXRayDaemonWriteAccess)$/;

/**
 * Whether `container` is an OpenTelemetry collector with a traces pipeline from an OTLP receiver
 * to the awsxray exporter, read from its configuration variable (AOT_CONFIG_CONTENT, which the
 * ADOT collector loads).
 */
function shipsTraces(container: Json): boolean {
  const variable = ((container.environment as Json[] | undefined) ?? []).find(
    (e) => e.name === 'AOT_CONFIG_CONTENT',
  );
  let config: Json;
  try {
    config = JSON.parse(String(variable?.value)) as Json;
  } catch {
    return false;
  }
  const pipeline = config?.service?.pipelines?.traces as Json | undefined;
  const otlp = config?.receivers?.otlp?.protocols as Json | undefined;
  return Boolean(
    otlp &&
    (otlp.grpc || otlp.http) &&
    pipeline?.receivers?.includes?.('otlp') &&
    pipeline?.exporters?.some?.((e: string) => e === 'awsxray' || e.startsWith('awsxray/')),
  );
}

/** Whether the task role (by reference) may put trace segments: an inline policy or a managed one. */
function roleSendsTraces(ctx: RuleContext, td: TfResource): boolean {
  const [role] = referenced(ctx, td.values.task_role_arn, 'aws_iam_role');
  if (!role) return false;
  const inline = referrers(ctx, 'aws_iam_role_policy', 'role', role).flatMap(
    (p) => policyStatements(p.values.policy) ?? [],
  );
  if (
    inline.some(
      (s) =>
        s.effect === 'Allow' &&
        s.actions.some((a) => ['xray:puttracesegments', 'xray:*'].includes(a.toLowerCase())),
    )
  )
    return true;
  return referrers(ctx, 'aws_iam_role_policy_attachment', 'role', role).some((a) =>
    XRAY_MANAGED_POLICIES.test(String(a.values.policy_arn)),
  );
}

export const tracesShipped: Rule = {
  id: 'ECG-TRACE-01',
  anchor: 'own',
  scannerIds: ['CKV_AWS_50'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecs_task_definition', 'aws_lambda_function'],
  description:
    'The API task ships traces (a collector container with an OTLP receiver exporting to X-Ray, a task role that may put trace segments) and every Lambda function has active X-Ray tracing.',
  checks: {
    'no-collector': 'no container runs a collector with an OTLP receiver exporting to X-Ray',
    'no-xray-permission': 'the task role may not put trace segments to X-Ray',
    'function-not-traced': 'a Lambda function does not set tracing_config.mode Active',
    'unreadable-definitions': 'container_definitions cannot be read at synth time',
  },
  check(ctx) {
    const tasks = ctx.resources('aws_ecs_task_definition').flatMap((td) => {
      const list = containers(td);
      if (!list)
        return [ctx.finding(td, 'unreadable-definitions', 'has container_definitions that cannot be parsed')];
      const findings = [];
      if (!list.some(shipsTraces))
        findings.push(
          ctx.finding(
            td,
            'no-collector',
            'has no collector container whose AOT_CONFIG_CONTENT pipes an OTLP receiver to the awsxray exporter',
          ),
        );
      if (!roleSendsTraces(ctx, td))
        findings.push(
          ctx.finding(td, 'no-xray-permission', 'has a task role that may not xray:PutTraceSegments'),
        );
      return findings;
    });
    const functions = ctx
      .resources('aws_lambda_function')
      .filter((fn) => blocks(fn.values.tracing_config)[0]?.mode !== 'Active')
      .map((fn) => ctx.finding(fn, 'function-not-traced', 'does not set tracing_config.mode Active'));
    return [...tasks, ...functions];
  },
};
