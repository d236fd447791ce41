import type { Rule } from '../types';

/** Service principals are `<name>.amazonaws.com`; anything else with a `*` is everyone. */
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

export const lambdaNoPublicAccess: Rule = {
  id: 'ECG-LAMBDA-01',
  anchor: 'own',
  scannerIds: ['CKV_AWS_258', 'CKV_AWS_301', 'CKV_AWS_364', 'AVD-AWS-0067'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_lambda_function', 'aws_lambda_function_url', 'aws_lambda_permission'],
  description:
    'No Lambda function is public: no function URL without IAM auth, no permission for principal "*", and service permissions scoped by source ARN or account.',
  checks: {
    'public-url': 'a function URL has authorization_type NONE',
    'public-permission': 'a resource-based permission allows principal "*"',
    'unscoped-service-permission': 'a permission for an AWS service names no source_arn or source_account',
  },
  check(ctx) {
    const urls = ctx
      .resources('aws_lambda_function_url')
      .filter((u) => u.values.authorization_type !== 'AWS_IAM')
      .map((u) =>
        ctx.finding(
          u,
          'public-url',
          `authorization_type is ${String(u.values.authorization_type)} (must be AWS_IAM)`,
        ),
      );
    const permissions = ctx.resources('aws_lambda_permission').flatMap((p) => {
      const principal = String(p.values.principal ?? '');
      if (principal === '*' || principal.includes('*')) {
        return [ctx.finding(p, 'public-permission', `allows principal ${principal} to invoke the function`)];
      }
      if (
        SERVICE_PRINCIPAL.test(principal) &&
        p.values.source_arn === undefined &&
        p.values.source_account === undefined
      ) {
        return [
          ctx.finding(
            p,
            'unscoped-service-permission',
            `allows ${principal} without source_arn or source_account (any account's resource could invoke it)`,
          ),
        ];
      }
      return [];
    });
    return [...urls, ...permissions];
  },
};
