import { UNREADABLE_DEFINITIONS, containerFindings } from '../ecs';
import type { Json, Rule } from '../types';
import { blocks, isSet } from '../values';

const SECRET_NAME = /password|passwd|secret|token|api_?key|private_?key|access_?key|credential/i;
/** An ARN or a reference to an id/ARN/name: a pointer to a secret, not the secret. */
const POINTER = /^(arn:|\$\{[^}]*\.(arn|id|name)\}$)/;
const SECRET_VALUE = /AKIA[0-9A-Z]{16}|:\/\/[^\s:/@]*:[^\s@/]+@|\$\{random_password\./;

function plaintextSecret(variable: Json): boolean {
  const value = typeof variable.value === 'string' ? variable.value : '';
  if (SECRET_VALUE.test(value)) return true;
  return SECRET_NAME.test(String(variable.name ?? '')) && value !== '' && !POINTER.test(value);
}

export const ecsRolesSecretsLogs: Rule = {
  id: 'ECG-ECS-05',
  anchor: 31,
  scannerIds: ['CKV_AWS_249', 'AVD-AWS-0036', 'AwsSolutions-ECS2', 'AwsSolutions-ECS7'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_ecs_task_definition'],
  description:
    'Task definitions use different execution and task roles, keep secrets out of plain environment variables, and configure logging for every container.',
  checks: {
    'shared-role': 'execution_role_arn and task_role_arn are the same',
    'plaintext-secret': 'a container passes a secret as a plain environment variable',
    'no-log-configuration': 'a container has no logConfiguration',
    ...UNREADABLE_DEFINITIONS,
  },
  check(ctx) {
    return ctx.resources('aws_ecs_task_definition').flatMap((td) => {
      const { execution_role_arn: execution, task_role_arn: task } = td.values;
      return [
        ...(isSet(execution) && execution === task
          ? [ctx.finding(td, 'shared-role', 'execution_role_arn and task_role_arn are the same role')]
          : []),
        ...containerFindings(ctx, td, (c, label) => [
          ...blocks(c.environment)
            .filter(plaintextSecret)
            .map((variable) =>
              ctx.finding(
                td,
                'plaintext-secret',
                `${label} passes ${variable.name} as a plain environment variable (use secrets)`,
              ),
            ),
          ...(isSet(c.logConfiguration?.logDriver)
            ? []
            : [ctx.finding(td, 'no-log-configuration', `${label} has no logConfiguration`)]),
        ]),
      ];
    });
  },
};
