import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { GithubOidc, githubOidcProviderArn, type GithubOidcProps } from '../src/modules/github-oidc';
import { errorOf, resourcesOf, synthScope, type Json } from './support/synth';

const P: GithubOidcProps = {
  namePrefix: 'p-e',
  repository: 'o/app',
  ecrRepositoryArns: [
    'arn:aws:ecr:ap-northeast-2:123456789012:repository/p-e-api',
    'arn:aws:ecr:ap-northeast-2:123456789012:repository/p-e/render.worker',
  ],
  ecsServiceArn: 'arn:aws:ecs:ap-northeast-2:123456789012:service/p-e-cluster/p-e-api',
  taskRoleArn: 'arn:aws:iam::123456789012:role/p-e-task',
  executionRoleArn: 'arn:aws:iam::123456789012:role/service/p-e-execution',
  frontendBucketArn: 'arn:aws:s3:::p-e-frontend',
  distributionArn: 'arn:aws:cloudfront::123456789012:distribution/E2ABC',
  accountId: '123456789012',
  region: 'ap-northeast-2',
  stateBucket: 'p-tfstate',
  stateKeyPrefix: 'p/e/',
  lockTable: 'p-tflock',
};

const PROVIDER_REF = '${aws_iam_openid_connect_provider.oidc_provider_F68E095F.arn}';
const APP_ROLE = 'oidc_app-deploy-role_4720EDA7';
const INFRA_ROLE = 'oidc_infra-deploy-role_227CBFC0';

/** Every resource of the synth by type and address, its JSON policy documents parsed. */
function resourcesRead(props: GithubOidcProps): Json {
  const json = synthScope((scope) => {
    new GithubOidc(scope, 'oidc', props);
  });
  const out: Json = {};
  for (const [type, resources] of Object.entries<Json>(json.resource)) {
    out[type] = Object.fromEntries(
      Object.entries<Json>(resources).map(([address, body]) => {
        const copy = { ...body };
        for (const key of ['policy', 'assume_role_policy']) {
          if (typeof copy[key] === 'string') copy[key] = JSON.parse(copy[key]);
        }
        return [address, copy];
      }),
    );
  }
  return out;
}

/** The web-identity trust policy for `sub`, as IAM reads it. */
function trust(federated: string, sub: string | string[]): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: federated },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': sub,
          },
        },
      },
    ],
  };
}

const ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListRolePolicies',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:PassRole',
];
const POLICY_ACTIONS = [
  'iam:CreatePolicy',
  'iam:DeletePolicy',
  'iam:GetPolicy',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicyVersion',
  'iam:GetPolicyVersion',
  'iam:ListPolicyVersions',
  'iam:TagPolicy',
  'iam:UntagPolicy',
  'iam:ListPolicyTags',
];
const INSTANCE_PROFILE_ACTIONS = [
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:TagInstanceProfile',
  'iam:UntagInstanceProfile',
  'iam:ListInstanceProfileTags',
];
const OIDC_PROVIDER_ACTIONS = [
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:GetOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UntagOpenIDConnectProvider',
];

/** The infrastructure role's statements in partition `partition`, account 123456789012. */
function infraStatements(partition: string, region: string, withProvider: boolean): Json[] {
  const iam = `arn:${partition}:iam::123456789012`;
  return [
    // Terraform's S3 backend lists the bucket to find workspaces: the bucket, not a prefix.
    {
      Sid: 'StateBucketList',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:${partition}:s3:::p-tfstate`,
    },
    {
      Sid: 'StateObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `arn:${partition}:s3:::p-tfstate/p/e/*`,
    },
    {
      Sid: 'StateLock',
      Effect: 'Allow',
      Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Resource: `arn:${partition}:dynamodb:${region}:123456789012:table/p-tflock`,
    },
    { Sid: 'StackRoles', Effect: 'Allow', Action: ROLE_ACTIONS, Resource: `${iam}:role/p-e-*` },
    { Sid: 'StackPolicies', Effect: 'Allow', Action: POLICY_ACTIONS, Resource: `${iam}:policy/p-e-*` },
    {
      Sid: 'StackInstanceProfiles',
      Effect: 'Allow',
      Action: INSTANCE_PROFILE_ACTIONS,
      Resource: `${iam}:instance-profile/p-e-*`,
    },
    ...(withProvider
      ? [
          {
            Sid: 'GithubOidcProvider',
            Effect: 'Allow',
            Action: OIDC_PROVIDER_ACTIONS,
            Resource: `${iam}:oidc-provider/token.actions.githubusercontent.com`,
          },
        ]
      : []),
  ];
}

describe('GithubOidc with only the required props (read whole)', () => {
  const all = resourcesRead(P);

  it('creates the provider for the sts.amazonaws.com audience, without a thumbprint', () => {
    expect(all.aws_iam_openid_connect_provider).toEqual({
      oidc_provider_F68E095F: {
        client_id_list: ['sts.amazonaws.com'],
        url: 'https://token.actions.githubusercontent.com',
      },
    });
  });

  it('creates both roles trusting the main branch of the one repository (the infraRepository default), app one hour, infra two hours', () => {
    expect(all.aws_iam_role).toEqual({
      [APP_ROLE]: {
        assume_role_policy: trust(PROVIDER_REF, 'repo:o/app:ref:refs/heads/main'),
        description: 'GitHub Actions (o/app): push images, deploy the ECS service, publish the frontend',
        max_session_duration: 3600,
        name: 'p-e-github-app-deploy',
      },
      [INFRA_ROLE]: {
        assume_role_policy: trust(PROVIDER_REF, 'repo:o/app:ref:refs/heads/main'),
        description: 'GitHub Actions (o/app): cdktf deploy of the p-e stack',
        max_session_duration: 7200,
        name: 'p-e-github-infra-deploy',
      },
    });
  });

  it('gives the application role its inline policy app-deploy: ECR push, task definitions, the service, PassRole to ECS tasks, the frontend', () => {
    expect(all.aws_iam_role_policy['oidc_app-deploy-policy_D4710315']).toEqual({
      name: 'app-deploy',
      role: `\${aws_iam_role.${APP_ROLE}.id}`,
      policy: {
        Version: '2012-10-17',
        Statement: [
          // GetAuthorizationToken takes only Resource "*" (ECR API reference).
          { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Sid: 'EcrPush',
            Effect: 'Allow',
            Action: [
              'ecr:BatchCheckLayerAvailability',
              'ecr:InitiateLayerUpload',
              'ecr:UploadLayerPart',
              'ecr:CompleteLayerUpload',
              'ecr:PutImage',
              'ecr:BatchGetImage',
            ],
            Resource: [
              'arn:aws:ecr:ap-northeast-2:123456789012:repository/p-e-api',
              'arn:aws:ecr:ap-northeast-2:123456789012:repository/p-e/render.worker',
            ],
          },
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
            Resource: 'arn:aws:ecs:ap-northeast-2:123456789012:service/p-e-cluster/p-e-api',
          },
          {
            Sid: 'PassTaskRoles',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: [
              'arn:aws:iam::123456789012:role/p-e-task',
              'arn:aws:iam::123456789012:role/service/p-e-execution',
            ],
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          },
          {
            Sid: 'FrontendList',
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::p-e-frontend',
          },
          {
            Sid: 'FrontendObjects',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: 'arn:aws:s3:::p-e-frontend/*',
          },
          {
            Sid: 'InvalidateFrontend',
            Effect: 'Allow',
            Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
            Resource: 'arn:aws:cloudfront::123456789012:distribution/E2ABC',
          },
        ],
      },
    });
  });

  it('gives the infrastructure role state-and-stack-iam: the state, the lock, IAM on p-e-* entities and the provider it owns', () => {
    expect(all.aws_iam_role_policy['oidc_infra-deploy-policy_2D6F413D']).toEqual({
      name: 'state-and-stack-iam',
      role: `\${aws_iam_role.${INFRA_ROLE}.id}`,
      policy: { Version: '2012-10-17', Statement: infraStatements('aws', 'ap-northeast-2', true) },
    });
    expect(Object.keys(all.aws_iam_role_policy)).toHaveLength(2);
  });

  it('attaches PowerUserAccess to the infrastructure role only', () => {
    expect(all.aws_iam_role_policy_attachment).toEqual({
      'oidc_infra-power-user_0EF6BD11': {
        policy_arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        role: `\${aws_iam_role.${INFRA_ROLE}.name}`,
      },
    });
  });
});

describe('GithubOidc trust subjects', () => {
  const subOf = (all: Json, role: string) =>
    all.aws_iam_role[role].assume_role_policy.Statement[0].Condition.StringEquals[
      'token.actions.githubusercontent.com:sub'
    ];

  it('trusts only the GitHub environment when one is given and no branch (no main default then)', () => {
    const all = resourcesRead({ ...P, environment: 'production' });
    expect(all.aws_iam_role[APP_ROLE].assume_role_policy).toEqual(
      trust(PROVIDER_REF, 'repo:o/app:environment:production'),
    );
    expect(subOf(all, INFRA_ROLE)).toBe('repo:o/app:environment:production');
  });

  it('trusts only the branch given, as one string', () => {
    const all = resourcesRead({ ...P, branch: 'release/v1.2', infraRepository: 'o/infra' });
    expect(subOf(all, APP_ROLE)).toBe('repo:o/app:ref:refs/heads/release/v1.2');
    expect(subOf(all, INFRA_ROLE)).toBe('repo:o/infra:ref:refs/heads/release/v1.2');
    expect(all.aws_iam_role[INFRA_ROLE].description).toBe(
      'GitHub Actions (o/infra): cdktf deploy of the p-e stack',
    );
    expect(all.aws_iam_role[APP_ROLE].description).toBe(
      'GitHub Actions (o/app): push images, deploy the ECS service, publish the frontend',
    );
  });

  it('trusts the branch and the environment, as a list, branch first', () => {
    const all = resourcesRead({ ...P, branch: 'main', environment: 'staging', infraRepository: 'o/infra' });
    expect(subOf(all, INFRA_ROLE)).toEqual([
      'repo:o/infra:ref:refs/heads/main',
      'repo:o/infra:environment:staging',
    ]);
  });

  it('exposes the subjects of both roles', () => {
    let oidc: GithubOidc | undefined;
    synthScope((scope) => {
      oidc = new GithubOidc(scope, 'oidc', { ...P, infraRepository: 'o/infra', environment: 'prod' });
    });
    expect(oidc!.appDeploySubjects).toEqual(['repo:o/app:environment:prod']);
    expect(oidc!.infraDeploySubjects).toEqual(['repo:o/infra:environment:prod']);
    expect(oidc!.appDeployRoleName).toBe('p-e-github-app-deploy');
    expect(oidc!.infraDeployRoleName).toBe('p-e-github-infra-deploy');
  });
});

describe('GithubOidc branches', () => {
  it('with an existing provider: no provider resource, its ARN as the federated principal, no provider rights', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const all = resourcesRead({ ...P, createProvider: false, existingProviderArn: arn });
    expect(all.aws_iam_openid_connect_provider).toBeUndefined();
    expect(all.aws_iam_role[APP_ROLE].assume_role_policy).toEqual(
      trust(arn, 'repo:o/app:ref:refs/heads/main'),
    );
    expect(all.aws_iam_role[INFRA_ROLE].assume_role_policy).toEqual(
      trust(arn, 'repo:o/app:ref:refs/heads/main'),
    );
    expect(all.aws_iam_role_policy['oidc_infra-deploy-policy_2D6F413D'].policy.Statement).toEqual(
      infraStatements('aws', 'ap-northeast-2', false),
    );
  });

  // ARN partitions: aws-cn for the China regions, aws-us-gov for GovCloud (IAM user guide, "IAM ARNs").
  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-east-1', 'aws'],
  ])('builds every ARN of region %s in partition %s', (region, partition) => {
    const all = resourcesRead({ ...P, region });
    expect(all.aws_iam_role_policy['oidc_infra-deploy-policy_2D6F413D'].policy.Statement).toEqual(
      infraStatements(partition, region, true),
    );
    expect(all.aws_iam_role_policy_attachment['oidc_infra-power-user_0EF6BD11'].policy_arn).toBe(
      `arn:${partition}:iam::aws:policy/PowerUserAccess`,
    );
    expect(githubOidcProviderArn('123456789012', region)).toBe(
      `arn:${partition}:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`,
    );
  });

  it('uses the aws partition for a region given as a Terraform reference', () => {
    const json = synthScope((scope) => {
      const region = new TerraformVariable(scope, 'region', { type: 'string' }).stringValue;
      new GithubOidc(scope, 'oidc', { ...P, region });
      expect(githubOidcProviderArn('123456789012', region)).toBe(
        'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      );
    });
    const infra = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
      (p) => p.name === 'state-and-stack-iam',
    )!;
    expect(JSON.parse(infra.policy).Statement[2].Resource).toBe(
      'arn:aws:dynamodb:${var.region}:123456789012:table/p-tflock',
    );
    expect(JSON.parse(infra.policy).Statement[3].Resource).toBe('arn:aws:iam::123456789012:role/p-e-*');
  });

  it('keeps infraSessionDurationSeconds on the infrastructure role only', () => {
    const all = resourcesRead({ ...P, infraSessionDurationSeconds: 43200 });
    expect(all.aws_iam_role[INFRA_ROLE].max_session_duration).toBe(43200);
    expect(all.aws_iam_role[APP_ROLE].max_session_duration).toBe(3600);
  });
});

describe('GithubOidc validation edges', () => {
  const build = (props: Partial<GithubOidcProps>) => () =>
    new GithubOidc(new TerraformStack(Testing.app(), 'stack'), 'oidc', { ...P, ...props } as GithubOidcProps);
  const oneProblem = (line: string) => `Invalid configuration (1 problem):\n  - ${line}`;
  const REPO_RULE =
    'must be owner/repo: a GitHub owner (letters, digits, single hyphens) and repository (letters, digits, . _ -), no wildcards';

  it('takes a 44-character name prefix (role name p-e...-github-infra-deploy of 64, the IAM limit) and fails at 45', () => {
    const ok = `a${'-b'.repeat(21)}a`;
    expect(ok).toHaveLength(44);
    expect(build({ namePrefix: ok })).not.toThrow();
    const long = `${ok}c`;
    expect(errorOf(build({ namePrefix: long }))).toBe(
      oneProblem(
        `stack/oidc.namePrefix ${long} makes the role name ${long}-github-infra-deploy longer than 64 characters`,
      ),
    );
  });

  it('fails when the name prefix has an empty word or a capital', () => {
    for (const prefix of ['p--e', '-p', 'p-', 'P-e']) {
      expect(errorOf(build({ namePrefix: prefix }))).toBe(
        oneProblem(
          `stack/oidc.namePrefix ${prefix} must be lowercase letters and digits in hyphen-separated words, like ecg-video-pipeline-staging`,
        ),
      );
    }
  });

  it('takes a 39-character owner and a 100-character repository name, and fails one longer', () => {
    const owner = `o${'-a'.repeat(19)}`;
    expect(owner).toHaveLength(39);
    const repo = 'r'.repeat(100);
    expect(build({ repository: `${owner}/${repo}`, infraRepository: `${owner}/.github` })).not.toThrow();
    for (const bad of [
      `${owner}b/app`,
      `o/${repo}r`,
      'o--a/app',
      '-o/app',
      'o-/app',
      'o/.',
      'o/..',
      'o/a/b',
    ]) {
      expect(errorOf(build({ repository: bad }))).toBe(
        oneProblem(`stack/oidc.repository ${bad} ${REPO_RULE}`),
      );
    }
  });

  it('fails when a branch is empty-parted, has .. or a space', () => {
    const rule = 'must be a branch name: letters, digits, . _ - in /-separated parts, no wildcards';
    for (const branch of ['release..1', '/main', 'main/', 'a//b', 'my branch']) {
      expect(errorOf(build({ branch }))).toBe(oneProblem(`stack/oidc.branch ${branch} ${rule}`));
    }
    expect(build({ branch: 'release/1.x_y-z' })).not.toThrow();
  });

  it('takes a 255-character environment name and fails at 256 or when empty', () => {
    const rule = 'must be a GitHub environment name: 1-255 letters, digits, . _ -, no wildcards';
    expect(build({ environment: 'e'.repeat(255) })).not.toThrow();
    const long = 'e'.repeat(256);
    expect(errorOf(build({ environment: long }))).toBe(oneProblem(`stack/oidc.environment ${long} ${rule}`));
    expect(errorOf(build({ environment: '' }))).toBe(oneProblem(`stack/oidc.environment "" ${rule}`));
  });

  it('fails when existingProviderArn names another account format or partition-less ARN', () => {
    const rule = 'must be the ARN of the IAM OIDC provider token.actions.githubusercontent.com';
    for (const arn of [
      'arn:aws:iam::1234:oidc-provider/token.actions.githubusercontent.com',
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/x',
      'arn:aws:iam::123456789012:oidc-provider/tokenXactions.githubusercontent.com',
    ]) {
      expect(errorOf(build({ createProvider: false, existingProviderArn: arn }))).toBe(
        oneProblem(`stack/oidc.existingProviderArn ${arn} ${rule}`),
      );
    }
    expect(
      build({
        createProvider: false,
        existingProviderArn: 'arn:aws-cn:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      }),
    ).not.toThrow();
  });

  it('fails on a malformed ECR repository ARN, by index', () => {
    const bad = 'arn:aws:ecr:ap-northeast-2:123456789012:repository/API';
    expect(errorOf(build({ ecrRepositoryArns: [P.ecrRepositoryArns[0], bad] }))).toBe(
      oneProblem(`stack/oidc.ecrRepositoryArns[1] ${bad} must be an ECR repository ARN`),
    );
  });

  it('fails when a required ARN is missing, naming it unset', () => {
    expect(errorOf(build({ ecsServiceArn: undefined }))).toBe(
      oneProblem(
        'stack/oidc.ecsServiceArn (unset) must be an ECS service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>)',
      ),
    );
    expect(errorOf(build({ accountId: undefined }))).toBe(
      oneProblem('stack/oidc.accountId (unset) must be a 12-digit AWS account id'),
    );
    expect(errorOf(build({ region: undefined }))).toMatch(
      /^Invalid configuration \(1 problem\):\n {2}- stack\/oidc\.region \(unset\) must be an AWS region like ap-northeast-2$/,
    );
    expect(errorOf(build({ lockTable: undefined }))).toBe(
      oneProblem(
        'stack/oidc.lockTable (unset) must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
      ),
    );
  });

  it('fails with the whole rule when one CodeDeploy ARN is set without the others', () => {
    const app = 'arn:aws:codedeploy:ap-northeast-2:123456789012:application:p-e-api';
    expect(errorOf(build({ codeDeployApplicationArn: app }))).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - stack/oidc.codeDeployDeploymentGroupArn (unset) must be a CodeDeploy deployment group ARN (arn:aws:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>), set with the application and configuration ARNs',
        '  - stack/oidc.codeDeployDeploymentConfigArn (unset) must be a CodeDeploy deployment configuration ARN (arn:aws:codedeploy:<region>:<account>:deploymentconfig:<name>), set with the application and deployment group ARNs',
      ].join('\n'),
    );
    expect(
      errorOf(
        build({
          codeDeployDeploymentConfigArn:
            'arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentconfig:CodeDeployDefault.ECSAllAtOnce',
        }),
      ),
    ).toMatch(
      /^Invalid configuration \(2 problems\):\n {2}- stack\/oidc\.codeDeployApplicationArn \(unset\)/,
    );
  });

  it('takes lock table names of 3 and 255 characters and fails at 2 and 256', () => {
    const rule = 'must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)';
    expect(build({ lockTable: 'a_b' })).not.toThrow();
    expect(build({ lockTable: 'T'.repeat(255) })).not.toThrow();
    for (const table of ['ab', 'T'.repeat(256), 'lock table']) {
      expect(errorOf(build({ lockTable: table }))).toBe(oneProblem(`stack/oidc.lockTable ${table} ${rule}`));
    }
  });

  it('fails when the state key prefix does not end in / or has an empty part', () => {
    const rule = 'must be an S3 key prefix ending in /, without wildcards (e.g. ecg-video-pipeline/staging/)';
    for (const prefix of ['p/e', '/p/e/', 'p//e/', '/']) {
      expect(errorOf(build({ stateKeyPrefix: prefix }))).toBe(
        oneProblem(`stack/oidc.stateKeyPrefix ${prefix} ${rule}`),
      );
    }
    expect(build({ stateKeyPrefix: "p/e_1.(x)'!/" })).not.toThrow();
  });

  it('takes sessions of 3600 and 43200 seconds and fails just outside them', () => {
    expect(build({ infraSessionDurationSeconds: 3600 })).not.toThrow();
    expect(build({ infraSessionDurationSeconds: 43200 })).not.toThrow();
    for (const seconds of [3599, 43201, 3600.5]) {
      expect(errorOf(build({ infraSessionDurationSeconds: seconds }))).toBe(
        oneProblem(`stack/oidc.infraSessionDurationSeconds ${seconds} must be an integer from 3600 to 43200`),
      );
    }
  });

  it('skips the literal checks of values given as Terraform references', () => {
    expect(() =>
      synthScope((scope) => {
        const v = (name: string) => new TerraformVariable(scope, name, { type: 'string' }).stringValue;
        new GithubOidc(scope, 'oidc', {
          ...P,
          region: v('region'),
          stateBucket: v('bucket'),
          lockTable: v('table'),
          codeDeployApplicationArn: v('app'),
          codeDeployDeploymentGroupArn: v('group'),
          codeDeployDeploymentConfigArn: v('config'),
        });
      }),
    ).not.toThrow();
  });
});
