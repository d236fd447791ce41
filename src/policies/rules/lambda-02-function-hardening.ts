import type { Rule, TfResource } from '../types';
import { blocks, list } from '../values';

/**
 * Runtimes Lambda supports without a deprecation date in sight (Lambda runtimes page, "Supported
 * runtimes"); older ones lose security patches (AwsSolutions-L1 asks for the latest).
 */
export const SUPPORTED_RUNTIMES: readonly string[] = [
  'nodejs20.x',
  'nodejs22.x',
  'python3.11',
  'python3.12',
  'python3.13',
  'java17',
  'java21',
  'provided.al2023',
];

/** The log group a function writes to: logging_config.log_group, else `/aws/lambda/<name>`. */
function logGroupName(fn: TfResource): unknown {
  return blocks(fn.values.logging_config)[0]?.log_group ?? `/aws/lambda/${String(fn.values.function_name)}`;
}

export const lambdaFunctionHardening: Rule = {
  id: 'ECG-LAMBDA-02',
  anchor: 'own',
  scannerIds: ['CKV_AWS_117', 'CKV_AWS_338', 'AwsSolutions-L1'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_lambda_function'],
  description:
    'Every Lambda function runs in the VPC, on a supported runtime, and logs to a log group the stack manages (so ECG-LOG-01 sees its retention).',
  checks: {
    'not-in-vpc': 'vpc_config names no subnets or security groups',
    runtime: 'the runtime is not a supported one',
    'unmanaged-log-group': 'the function logs to a log group the stack does not create',
  },
  check(ctx) {
    const managed = new Set(
      ctx.resources('aws_cloudwatch_log_group').flatMap((g) => [g.values.name, `\${${g.address}.name}`]),
    );
    return ctx.resources('aws_lambda_function').flatMap((fn) => {
      const findings = [];
      const vpc = blocks(fn.values.vpc_config)[0];
      if (!vpc || list(vpc.subnet_ids).length === 0 || list(vpc.security_group_ids).length === 0) {
        findings.push(ctx.finding(fn, 'not-in-vpc', 'vpc_config names no subnets or security groups'));
      }
      if (!SUPPORTED_RUNTIMES.includes(String(fn.values.runtime))) {
        findings.push(
          ctx.finding(
            fn,
            'runtime',
            `runtime ${String(fn.values.runtime)} is not one of ${SUPPORTED_RUNTIMES.join(', ')}`,
          ),
        );
      }
      const group = logGroupName(fn);
      if (!managed.has(group)) {
        findings.push(
          ctx.finding(
            fn,
            'unmanaged-log-group',
            `logs to ${String(group)}, which no aws_cloudwatch_log_group of the stack creates`,
          ),
        );
      }
      return findings;
    });
  },
};
