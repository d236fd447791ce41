import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import {
  ECR_PUSH_ACTIONS,
  GithubOidc,
  INFRA_INSTANCE_PROFILE_ACTIONS,
  INFRA_OIDC_PROVIDER_ACTIONS,
  INFRA_POLICY_ACTIONS,
  INFRA_ROLE_ACTIONS,
  githubOidcProviderArn,
  type GithubOidcProps,
} from '../src/modules/github-oidc';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';
import { ACCOUNT, REPO, environments, propsFor } from './variants/github-oidc';

const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const AUD = 'token.actions.githubusercontent.com:aud';
const SUB = 'token.actions.githubusercontent.com:sub';
/** The only actions IAM accepts solely on Resource "*" among the ones these roles use. */
const UNSCOPED = ['ecr:GetAuthorizationToken', 'ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'];

const BASE = propsFor(environments.staging);

function build(props: GithubOidcProps): Json {
  return synthScope((scope) => {
    new GithubOidc(scope, 'oidc', props);
  });
}

/** Message of the ConfigError thrown while building `props`. */
function failure(props: GithubOidcProps): string {
  return errorOf(() => build(props));
}

function role(json: Json, suffix: string): Json {
  const found = Object.values(resourcesOf(json, 'aws_iam_role')).filter((r) => r.name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one role *${suffix}, found ${found.length}`);
  return found[0];
}

function roleKey(json: Json, suffix: string): string {
  return Object.entries(resourcesOf(json, 'aws_iam_role')).find(([, r]) => r.name.endsWith(suffix))![0];
}

/** Statements of the inline policy attached to the role `*<suffix>`. */
function statements(json: Json, suffix: string): Json[] {
  const ref = `\${aws_iam_role.${roleKey(json, suffix)}.id}`;
  const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((p) => p.role === ref);
  if (policies.length !== 1) throw new Error(`expected one inline policy on *${suffix}`);
  return JSON.parse(policies[0].policy).Statement as Json[];
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

function trust(providerRef: string, sub: string | string[]): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerRef },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: sub } },
      },
    ],
  };
}

describe.each(['staging', 'production'])('GithubOidc (%s preset)', (env) => {
  const props = propsFor(environments[env]);
  const prefix = `ecg-video-pipeline-${env}`;
  const json = build(props);
  const providerRef = `\${aws_iam_openid_connect_provider.${Object.keys(resourcesOf(json, 'aws_iam_openid_connect_provider'))[0]}.arn}`;
  const subject =
    env === 'production' ? `repo:${REPO}:environment:production` : `repo:${REPO}:ref:refs/heads/main`;

  it('creates the GitHub OIDC provider for the sts.amazonaws.com audience, with no pinned thumbprint', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
    expect(onlyResource(json, 'aws_iam_openid_connect_provider').thumbprint_list).toBeUndefined();
  });

  it('names the two roles <project>-<env>-github-app-deploy and -github-infra-deploy', () => {
    expect(
      Object.values(resourcesOf(json, 'aws_iam_role'))
        .map((r) => r.name)
        .sort(),
    ).toEqual([`${prefix}-github-app-deploy`, `${prefix}-github-infra-deploy`]);
  });

  it(
    env === 'production'
      ? 'trusts only jobs in the production GitHub environment of owner/repo, audience sts.amazonaws.com'
      : 'trusts only the main branch of owner/repo, audience sts.amazonaws.com',
    () => {
      for (const suffix of ['github-app-deploy', 'github-infra-deploy']) {
        expect(JSON.parse(role(json, suffix).assume_role_policy)).toEqual(trust(providerRef, subject));
      }
    },
  );

  it('lets the application role push to the ECR repositories, deploy the ECS service and publish the frontend', () => {
    expect(statements(json, 'github-app-deploy')).toEqual([
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'EcrPush', Effect: 'Allow', Action: ECR_PUSH_ACTIONS, Resource: props.ecrRepositoryArns },
      {
        Sid: 'EcsTaskDefinitions',
        Effect: 'Allow',
        Action: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
        Resource: '*',
      },
      {
        Sid: 'EcsDeployService',
        Effect: 'Allow',
        Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
        Resource: props.ecsServiceArn,
      },
      {
        Sid: 'PassTaskRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [props.taskRoleArn, props.executionRoleArn],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
      { Sid: 'FrontendList', Effect: 'Allow', Action: 's3:ListBucket', Resource: props.frontendBucketArn },
      {
        Sid: 'FrontendObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${props.frontendBucketArn}/*`,
      },
      {
        Sid: 'InvalidateFrontend',
        Effect: 'Allow',
        Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
        Resource: props.distributionArn,
      },
    ]);
    expect(ECR_PUSH_ACTIONS).toEqual([
      'ecr:BatchCheckLayerAvailability',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:PutImage',
      'ecr:BatchGetImage',
    ]);
    expect(props.ecrRepositoryArns).toHaveLength(3);
  });

  it('never allows a wildcard action, and Resource "*" only for actions without resource-level permissions (row 47)', () => {
    const all = [...statements(json, 'github-app-deploy'), ...statements(json, 'github-infra-deploy')];
    for (const s of all) {
      expect(s.Effect).toBe('Allow');
      expect(s.NotAction).toBeUndefined();
      for (const action of list(s.Action)) expect(action).not.toContain('*');
      if (list(s.Resource).includes('*')) {
        expect(list(s.Resource)).toEqual(['*']);
        for (const action of list(s.Action)) expect(UNSCOPED).toContain(action);
      }
    }
    expect(all.filter((s) => list(s.Resource).includes('*')).map((s) => s.Sid)).toEqual([
      'EcrLogin',
      'EcsTaskDefinitions',
    ]);
  });

  it('gives the infrastructure role PowerUserAccess, its own state keys and the lock table', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role: `\${aws_iam_role.${roleKey(json, 'github-infra-deploy')}.name}`,
      policy_arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    expect(Object.keys(resourcesOf(json, 'aws_iam_role_policy_attachment'))).toHaveLength(1);
    expect(statements(json, 'github-infra-deploy').slice(0, 3)).toEqual([
      {
        Sid: 'StateBucketList',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::ecg-video-pipeline-tfstate',
      },
      {
        Sid: 'StateObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `arn:aws:s3:::ecg-video-pipeline-tfstate/ecg-video-pipeline/${env}/*`,
      },
      {
        Sid: 'StateLock',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: `arn:aws:dynamodb:ap-northeast-2:${ACCOUNT}:table/ecg-video-pipeline-tflock`,
      },
    ]);
  });

  it('limits the infrastructure role IAM rights to entities named <project>-<env>-* and the OIDC provider', () => {
    const iam = statements(json, 'github-infra-deploy').slice(3);
    expect(iam).toEqual([
      {
        Sid: 'StackRoles',
        Effect: 'Allow',
        Action: INFRA_ROLE_ACTIONS,
        Resource: `arn:aws:iam::${ACCOUNT}:role/${prefix}-*`,
      },
      {
        Sid: 'StackPolicies',
        Effect: 'Allow',
        Action: INFRA_POLICY_ACTIONS,
        Resource: `arn:aws:iam::${ACCOUNT}:policy/${prefix}-*`,
      },
      {
        Sid: 'StackInstanceProfiles',
        Effect: 'Allow',
        Action: INFRA_INSTANCE_PROFILE_ACTIONS,
        Resource: `arn:aws:iam::${ACCOUNT}:instance-profile/${prefix}-*`,
      },
      {
        Sid: 'GithubOidcProvider',
        Effect: 'Allow',
        Action: INFRA_OIDC_PROVIDER_ACTIONS,
        Resource: PROVIDER_ARN,
      },
    ]);
    for (const s of iam) for (const a of s.Action) expect(a).toMatch(/^iam:[A-Za-z]+$/);
    expect(INFRA_ROLE_ACTIONS).toContain('iam:PassRole');
  });

  it('allows the infrastructure role two-hour sessions for long applies, the application role one hour', () => {
    expect(role(json, 'github-infra-deploy').max_session_duration).toBe(7200);
    expect(role(json, 'github-app-deploy').max_session_duration).toBe(3600);
  });
});

describe('GithubOidc', () => {
  it('trusts the branch and the environment when both are given', () => {
    const json = build({ ...BASE, branch: 'release', environment: 'staging' });
    const sub = JSON.parse(role(json, 'github-app-deploy').assume_role_policy).Statement[0].Condition
      .StringEquals[SUB];
    expect(sub).toEqual([`repo:${REPO}:ref:refs/heads/release`, `repo:${REPO}:environment:staging`]);
  });

  it('trusts infraRepository for the infrastructure role and repository for the application role', () => {
    const json = build({ ...BASE, repository: 'ecg-team/ecg-app', infraRepository: 'ecg-team/ecg-infra' });
    const subOf = (suffix: string) =>
      JSON.parse(role(json, suffix).assume_role_policy).Statement[0].Condition.StringEquals[SUB];
    expect(subOf('github-app-deploy')).toBe('repo:ecg-team/ecg-app:ref:refs/heads/main');
    expect(subOf('github-infra-deploy')).toBe('repo:ecg-team/ecg-infra:ref:refs/heads/main');
  });

  it('uses the existing provider when createProvider is false, and then leaves it out of the infrastructure role', () => {
    const json = build({ ...BASE, createProvider: false, existingProviderArn: PROVIDER_ARN });
    expect(resourcesOf(json, 'aws_iam_openid_connect_provider')).toEqual({});
    expect(JSON.parse(role(json, 'github-app-deploy').assume_role_policy)).toEqual(
      trust(PROVIDER_ARN, `repo:${REPO}:ref:refs/heads/main`),
    );
    expect(statements(json, 'github-infra-deploy').map((s) => s.Sid)).not.toContain('GithubOidcProvider');
  });

  // IAM names an OIDC provider after its URL host, one per account: the ARN of the account's
  // GitHub provider is known without an API call.
  it('builds the ARN of the account GitHub provider in the region partition, valid as existingProviderArn', () => {
    expect(githubOidcProviderArn(ACCOUNT, 'ap-northeast-2')).toBe(PROVIDER_ARN);
    expect(githubOidcProviderArn(ACCOUNT, 'cn-north-1')).toBe(
      `arn:aws-cn:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    );
    const arn = githubOidcProviderArn(ACCOUNT, 'ap-northeast-2');
    expect(() => build({ ...BASE, createProvider: false, existingProviderArn: arn })).not.toThrow();
  });

  it('accepts Terraform references for the account, ARNs and the existing provider', () => {
    const json = synthScope((scope) => {
      const v = (name: string) => new TerraformVariable(scope, name, { type: 'string' }).stringValue;
      new GithubOidc(scope, 'oidc', {
        ...BASE,
        createProvider: false,
        existingProviderArn: v('provider'),
        accountId: v('account'),
        ecrRepositoryArns: [v('ecr')],
        ecsServiceArn: v('service'),
        taskRoleArn: v('task'),
        executionRoleArn: v('execution'),
        frontendBucketArn: v('bucket'),
        distributionArn: v('distribution'),
      });
    });
    const app = statements(json, 'github-app-deploy');
    expect(app.find((s) => s.Sid === 'FrontendObjects')!.Resource).toBe('${var.bucket}/*');
    expect(app.find((s) => s.Sid === 'PassTaskRoles')!.Resource).toEqual(['${var.task}', '${var.execution}']);
    const infra = statements(json, 'github-infra-deploy');
    expect(infra.find((s) => s.Sid === 'StackRoles')!.Resource).toBe(
      'arn:aws:iam::${var.account}:role/ecg-video-pipeline-staging-*',
    );
    expect(JSON.parse(role(json, 'github-infra-deploy').assume_role_policy).Statement[0].Principal).toEqual({
      Federated: '${var.provider}',
    });
  });

  describe('releases through CodeDeploy (a CODE_DEPLOY service)', () => {
    const CD = `arn:aws:codedeploy:ap-northeast-2:${ACCOUNT}`;
    const codeDeploy = {
      codeDeployApplicationArn: `${CD}:application:ecg-video-pipeline-staging-api`,
      codeDeployDeploymentGroupArn: `${CD}:deploymentgroup:ecg-video-pipeline-staging-api/ecg-video-pipeline-staging-api`,
      codeDeployDeploymentConfigArn: `${CD}:deploymentconfig:CodeDeployDefault.ECSAllAtOnce`,
    };

    it('lets the application role create and watch deployments of its group only, and no longer update the service', () => {
      const app = statements(build({ ...BASE, ...codeDeploy }), 'github-app-deploy');
      // CodeDeploy permissions reference: CreateDeployment and GetDeployment act on the deployment
      // group, GetDeploymentConfig on the configuration, the revision calls on the application.
      expect(app.filter((s) => /^(Ecs(Deploy|Read)Service|CodeDeploy)/.test(s.Sid))).toEqual([
        {
          Sid: 'EcsReadService',
          Effect: 'Allow',
          Action: 'ecs:DescribeServices',
          Resource: BASE.ecsServiceArn,
        },
        {
          Sid: 'CodeDeployRelease',
          Effect: 'Allow',
          Action: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
          Resource: codeDeploy.codeDeployDeploymentGroupArn,
        },
        {
          Sid: 'CodeDeployConfig',
          Effect: 'Allow',
          Action: ['codedeploy:GetDeploymentConfig'],
          Resource: codeDeploy.codeDeployDeploymentConfigArn,
        },
        {
          Sid: 'CodeDeployRevision',
          Effect: 'Allow',
          Action: ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
          Resource: codeDeploy.codeDeployApplicationArn,
        },
      ]);
      // UpdateService cannot change a CODE_DEPLOY service's task definition (ECS API reference).
      expect(JSON.stringify(app)).not.toContain('ecs:UpdateService');
    });

    it('takes the ARNs as Terraform references', () => {
      const json = synthScope((scope) => {
        const v = (name: string) => new TerraformVariable(scope, name, { type: 'string' }).stringValue;
        new GithubOidc(scope, 'oidc', {
          ...BASE,
          codeDeployApplicationArn: v('app'),
          codeDeployDeploymentGroupArn: v('group'),
          codeDeployDeploymentConfigArn: v('config'),
        });
      });
      const app = statements(json, 'github-app-deploy');
      expect(app.find((s) => s.Sid === 'CodeDeployRelease')!.Resource).toBe('${var.group}');
      expect(app.find((s) => s.Sid === 'CodeDeployConfig')!.Resource).toBe('${var.config}');
      expect(app.find((s) => s.Sid === 'CodeDeployRevision')!.Resource).toBe('${var.app}');
    });

    it('fails when only some of the CodeDeploy ARNs are set, or one is malformed', () => {
      const message = failure({
        ...BASE,
        codeDeployApplicationArn: codeDeploy.codeDeployDeploymentGroupArn,
        codeDeployDeploymentGroupArn: `${CD}:deploymentgroup:*`,
      });
      expect(message).toContain(
        `stack/oidc.codeDeployApplicationArn ${codeDeploy.codeDeployDeploymentGroupArn} must be a CodeDeploy application ARN (arn:aws:codedeploy:<region>:<account>:application:<name>), set with the deployment group and configuration ARNs`,
      );
      expect(message).toContain(
        `stack/oidc.codeDeployDeploymentGroupArn ${CD}:deploymentgroup:* must be a CodeDeploy deployment group ARN`,
      );
      expect(message).toContain(
        'stack/oidc.codeDeployDeploymentConfigArn (unset) must be a CodeDeploy deployment configuration ARN',
      );
    });
  });

  it('fails when only the deployment configuration ARN is malformed', () => {
    const CD = `arn:aws:codedeploy:ap-northeast-2:${ACCOUNT}`;
    const message = failure({
      ...BASE,
      codeDeployApplicationArn: `${CD}:application:api`,
      codeDeployDeploymentGroupArn: `${CD}:deploymentgroup:api/api`,
      codeDeployDeploymentConfigArn: `${CD}:deploymentgroup:api/api`,
    });
    expect(message).toMatch(/^Invalid configuration \(1 problem\):/);
    expect(message).toContain(
      `stack/oidc.codeDeployDeploymentConfigArn ${CD}:deploymentgroup:api/api must be a CodeDeploy deployment configuration ARN`,
    );
  });

  it('exposes the role ARNs and the provider ARN as references', () => {
    const json = synthScope((scope) => {
      const oidc = new GithubOidc(scope, 'oidc', BASE);
      new TerraformOutput(scope, 'app', { value: oidc.appDeployRoleArn });
      new TerraformOutput(scope, 'infra', { value: oidc.infraDeployRoleArn });
      new TerraformOutput(scope, 'provider', { value: oidc.providerArn });
    });
    expect(json.output.app.value).toBe(`\${aws_iam_role.${roleKey(json, 'github-app-deploy')}.arn}`);
    expect(json.output.infra.value).toBe(`\${aws_iam_role.${roleKey(json, 'github-infra-deploy')}.arn}`);
    const provider = Object.keys(resourcesOf(json, 'aws_iam_openid_connect_provider'))[0];
    expect(json.output.provider.value).toBe(`\${aws_iam_openid_connect_provider.${provider}.arn}`);
  });

  it('fails when the repository is not owner/repo or uses a wildcard', () => {
    const rule =
      'must be owner/repo: a GitHub owner (letters, digits, single hyphens) and repository (letters, digits, . _ -), no wildcards';
    expect(failure({ ...BASE, repository: 'ecg-team/*' })).toContain(
      `stack/oidc.repository ecg-team/* ${rule}`,
    );
    expect(failure({ ...BASE, repository: '*/ecg-video-pipeline' })).toContain(
      `stack/oidc.repository */ecg-video-pipeline ${rule}`,
    );
    expect(failure({ ...BASE, repository: 'ecg-video-pipeline' })).toContain(
      `stack/oidc.repository ecg-video-pipeline ${rule}`,
    );
    expect(failure({ ...BASE, infraRepository: 'ecg-team/infra?' })).toContain(
      `stack/oidc.infraRepository ecg-team/infra? ${rule}`,
    );
  });

  it('fails when the branch or environment is a pattern', () => {
    const message = failure({ ...BASE, branch: 'release/*', environment: 'prod*' });
    expect(message).toContain(
      'stack/oidc.branch release/* must be a branch name: letters, digits, . _ - in /-separated parts, no wildcards',
    );
    expect(message).toContain(
      'stack/oidc.environment prod* must be a GitHub environment name: 1-255 letters, digits, . _ -, no wildcards',
    );
  });

  it('fails when createProvider is false without existingProviderArn', () => {
    expect(failure({ ...BASE, createProvider: false })).toContain(
      'stack/oidc.existingProviderArn (unset) is required when createProvider is false',
    );
  });

  it('fails when existingProviderArn is set while the provider is created here', () => {
    expect(failure({ ...BASE, existingProviderArn: PROVIDER_ARN })).toContain(
      `stack/oidc.existingProviderArn ${PROVIDER_ARN} must not be set when createProvider is true (the provider is created here)`,
    );
  });

  it('fails when existingProviderArn is not the GitHub provider', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/accounts.google.com`;
    expect(failure({ ...BASE, createProvider: false, existingProviderArn: arn })).toContain(
      `stack/oidc.existingProviderArn ${arn} must be the ARN of the IAM OIDC provider token.actions.githubusercontent.com`,
    );
  });

  it('fails when no ECR repository is given or an ARN is a wildcard', () => {
    expect(failure({ ...BASE, ecrRepositoryArns: [] })).toContain(
      'stack/oidc.ecrRepositoryArns [] must list at least one repository',
    );
    const wildcard = `arn:aws:ecr:ap-northeast-2:${ACCOUNT}:repository/*`;
    expect(failure({ ...BASE, ecrRepositoryArns: [wildcard] })).toContain(
      `stack/oidc.ecrRepositoryArns[0] ${wildcard} must be an ECR repository ARN`,
    );
  });

  it('fails when the service, role, bucket or distribution ARNs are malformed', () => {
    const message = failure({
      ...BASE,
      ecsServiceArn: 'ecg-video-pipeline-staging-api',
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/*`,
      executionRoleArn: 'arn:aws:iam::123:role/x',
      frontendBucketArn: 'arn:aws:s3:::frontend/*',
      distributionArn: 'E2ABCDEF123456',
    });
    expect(message).toContain(
      'stack/oidc.ecsServiceArn ecg-video-pipeline-staging-api must be an ECS service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>)',
    );
    expect(message).toContain(
      `stack/oidc.taskRoleArn arn:aws:iam::${ACCOUNT}:role/* must be an IAM role ARN`,
    );
    expect(message).toContain('stack/oidc.executionRoleArn arn:aws:iam::123:role/x must be an IAM role ARN');
    expect(message).toContain(
      'stack/oidc.frontendBucketArn arn:aws:s3:::frontend/* must be an S3 bucket ARN (no key or wildcard)',
    );
    expect(message).toContain(
      'stack/oidc.distributionArn E2ABCDEF123456 must be a CloudFront distribution ARN',
    );
  });

  it('fails when the account, region, state bucket, key prefix or lock table are invalid', () => {
    const message = failure({
      ...BASE,
      accountId: '1234',
      region: 'seoul',
      stateBucket: 'State_Bucket',
      stateKeyPrefix: 'ecg-video-pipeline/*',
      lockTable: 'x',
    });
    expect(message).toContain('stack/oidc.accountId 1234 must be a 12-digit AWS account id');
    expect(message).toContain('stack/oidc.region seoul must be an AWS region like ap-northeast-2');
    expect(message).toContain(
      'stack/oidc.stateBucket State_Bucket is not a valid S3 bucket name: may contain only lowercase letters, digits, dots (.) and hyphens (-)',
    );
    expect(message).toContain(
      'stack/oidc.stateKeyPrefix ecg-video-pipeline/* must be an S3 key prefix ending in /, without wildcards (e.g. ecg-video-pipeline/staging/)',
    );
    expect(message).toContain(
      'stack/oidc.lockTable x must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
    );
  });

  it('fails when the name prefix is not lowercase words or makes a role name too long', () => {
    expect(failure({ ...BASE, namePrefix: 'Ecg_Staging' })).toContain(
      'stack/oidc.namePrefix Ecg_Staging must be lowercase letters and digits in hyphen-separated words, like ecg-video-pipeline-staging',
    );
    const long = 'a'.repeat(45);
    expect(failure({ ...BASE, namePrefix: long })).toContain(
      `stack/oidc.namePrefix ${long} makes the role name ${long}-github-infra-deploy longer than 64 characters`,
    );
  });

  it('fails when the infrastructure session duration is outside 1 to 12 hours', () => {
    expect(failure({ ...BASE, infraSessionDurationSeconds: 600 })).toContain(
      'stack/oidc.infraSessionDurationSeconds 600 must be an integer from 3600 to 43200',
    );
  });

  it('fails when an account, region, state bucket, lock table or branch is not text, or the bucket is unset: a JavaScript caller is not type-checked', () => {
    const message = failure({
      ...BASE,
      accountId: 123456789012 as unknown as string,
      region: 2 as unknown as string,
      stateBucket: undefined as unknown as string,
      lockTable: 7 as unknown as string,
      branch: 5 as unknown as string,
    });
    expect(message).toContain('stack/oidc.accountId 123456789012 must be a 12-digit AWS account id');
    expect(message).toContain('stack/oidc.region 2 must be an AWS region like ap-northeast-2');
    expect(message).toContain(
      'stack/oidc.stateBucket (unset) is not a valid S3 bucket name: must be 3 to 63 characters long (it has 0)',
    );
    expect(message).toContain(
      'stack/oidc.lockTable 7 must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
    );
    expect(message).toContain(
      'stack/oidc.branch 5 must be a branch name: letters, digits, . _ - in /-separated parts, no wildcards',
    );
  });

  it('fails when a branch climbs out with ..', () => {
    expect(failure({ ...BASE, branch: 'release..x' })).toContain(
      'stack/oidc.branch release..x must be a branch name',
    );
  });

  it('takes a state key prefix of one folder or of several', () => {
    for (const stateKeyPrefix of ['infra/', 'a/b/c/']) {
      const infra = statements(build({ ...BASE, stateKeyPrefix }), 'github-infra-deploy');
      expect(JSON.stringify(infra)).toContain(`:::${BASE.stateBucket}/${stateKeyPrefix}*`);
    }
    expect(failure({ ...BASE, stateKeyPrefix: 'a//b/' })).toContain(
      'stack/oidc.stateKeyPrefix a//b/ must be',
    );
  });

  it('reports every problem at once', () => {
    const message = failure({ ...BASE, repository: 'x', branch: '*', accountId: 'a' });
    expect(message).toMatch(/^Invalid configuration \(3 problems\):/);
  });
});
