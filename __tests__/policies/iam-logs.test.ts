import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Fn } from 'cdktf';
import { iamLeastPrivilege } from '../../src/policies/rules/iam-01-least-privilege';
import { logRetention } from '../../src/policies/rules/log-01-retention';
import { findingsOf, fixture, resultOf } from './support';

const ASSUME_ECS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

function iam(
  statements: (bucketArn: string) => unknown[],
  encode: (doc: unknown) => string = JSON.stringify,
) {
  return fixture((scope) => {
    const bucket = new S3Bucket(scope, 'videos', { bucket: 'videos' });
    const role = new IamRole(scope, 'task', { name: 'task', assumeRolePolicy: ASSUME_ECS });
    new IamRolePolicy(scope, 'task-policy', {
      role: role.name,
      policy: encode({ Version: '2012-10-17', Statement: statements(bucket.arn) }),
    });
  });
}

describe('ECG-IAM-01 least privilege', () => {
  const scoped = (arn: string) => [
    { Sid: 'Videos', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${arn}/*` },
    {
      Sid: 'Exec',
      Effect: 'Allow',
      Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel'],
      Resource: '*',
    },
    { Sid: 'Token', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'DenyAll',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];

  it('passes scoped statements and "*" only for actions without resource-level permissions', () => {
    expect(resultOf(iamLeastPrivilege, iam(scoped))).toMatchObject({ status: 'pass', findings: [] });
    expect(
      findingsOf(
        iamLeastPrivilege,
        iam(scoped, (d) => Fn.jsonencode(d)),
      ),
    ).toEqual([]);
  });

  it('fails action "*", NotAction and scopable actions on Resource "*", in policies and inline role policies', () => {
    const json = fixture((scope) => {
      new IamPolicy(scope, 'admin', {
        name: 'admin',
        policy: JSON.stringify({
          Statement: [
            { Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' },
            { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
            {
              Sid: 'AnyBucket',
              Effect: 'Allow',
              Action: ['s3:GetObject', 'ecr:GetAuthorizationToken'],
              Resource: ['*'],
            },
          ],
        }),
      });
      new IamRole(scope, 'worker', {
        name: 'worker',
        assumeRolePolicy: ASSUME_ECS,
        inlinePolicy: [
          {
            name: 'logs',
            policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] }),
          },
        ],
      });
    });
    expect(findingsOf(iamLeastPrivilege, json)).toEqual([
      'ECG-IAM-01 aws_iam_policy.admin: statement Admin allows action "*"',
      'ECG-IAM-01 aws_iam_policy.admin: statement #2 allows NotAction (every other action)',
      'ECG-IAM-01 aws_iam_policy.admin: statement AnyBucket allows s3:GetObject on Resource "*"',
      'ECG-IAM-01 aws_iam_role.worker: inline policy logs statement #1 allows logs:* on Resource "*"',
    ]);
  });

  it('fails a policy it cannot read', () => {
    const json = fixture((scope) => {
      new IamPolicy(scope, 'external', { name: 'external', policy: '${file("policy.json")}' });
    });
    expect(findingsOf(iamLeastPrivilege, json)).toEqual([
      'ECG-IAM-01 aws_iam_policy.external: has a policy document that cannot be parsed',
    ]);
  });
});

describe('ECG-LOG-01 log retention', () => {
  function group(retentionInDays?: number) {
    return fixture((scope) => {
      new CloudwatchLogGroup(scope, 'api', { name: '/ecs/api', retentionInDays });
    });
  }

  it('passes 7 days in staging and 30 in production', () => {
    expect(resultOf(logRetention, group(7), 'staging').status).toBe('pass');
    expect(resultOf(logRetention, group(30), 'production').status).toBe('pass');
  });

  it('fails no retention, and less than 30 days in production', () => {
    expect(findingsOf(logRetention, group(), 'staging')).toEqual([
      'ECG-LOG-01 aws_cloudwatch_log_group.api: retention_in_days is (unset) (must be set, at least 7)',
    ]);
    expect(findingsOf(logRetention, group(7), 'production')).toEqual([
      'ECG-LOG-01 aws_cloudwatch_log_group.api: retention_in_days is 7 (must be set, at least 30 in production)',
    ]);
  });
});
