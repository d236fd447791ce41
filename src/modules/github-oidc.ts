import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import type { PolicyStatement } from '../lib/secure-bucket';
import { ACCOUNT_ID_PATTERN, BUCKET_ARN_PATTERN } from '../lib/aws/arns';
import { s3BucketNameProblems } from '../lib/aws/s3';
import { REGION_PATTERN, arnPartition } from '../lib/aws/regions';
import {
  ECR_PUSH_ACTIONS,
  CODEDEPLOY_GROUP_ACTIONS,
  CODEDEPLOY_CONFIG_ACTIONS,
  CODEDEPLOY_APPLICATION_ACTIONS,
  INFRA_ROLE_ACTIONS,
  INFRA_POLICY_ACTIONS,
  INFRA_INSTANCE_PROFILE_ACTIONS,
  INFRA_OIDC_PROVIDER_ACTIONS,
} from './github-oidc-actions';

/** Issuer of GitHub Actions' OIDC tokens; also the IAM provider's name in its ARN. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** Audience that aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** AWS managed policy of the infrastructure-deploy role: everything except IAM, Organizations, Account. */
export const POWER_USER_ACCESS_POLICY = 'PowerUserAccess';

export {
  ECR_PUSH_ACTIONS,
  CODEDEPLOY_GROUP_ACTIONS,
  CODEDEPLOY_CONFIG_ACTIONS,
  CODEDEPLOY_APPLICATION_ACTIONS,
  INFRA_ROLE_ACTIONS,
  INFRA_POLICY_ACTIONS,
  INFRA_INSTANCE_PROFILE_ACTIONS,
  INFRA_OIDC_PROVIDER_ACTIONS,
} from './github-oidc-actions';

export interface GithubOidcProps {
  /**
   * `<project>-<env>`. The roles are `<namePrefix>-github-app-deploy` and
   * `<namePrefix>-github-infra-deploy`; the infrastructure role manages IAM entities whose names
   * start with `<namePrefix>-`.
   */
  readonly namePrefix: string;
  /** The application's GitHub repository, `owner/repo`: its workflows may assume the application-deploy role. */
  readonly repository: string;
  /**
   * This infrastructure repository, `owner/repo`: its workflows may assume the
   * infrastructure-deploy role.
   * @default `repository` (application and infrastructure in one repository)
   */
  readonly infraRepository?: string;
  /**
   * Create the account's GitHub OIDC identity provider. IAM holds one provider per URL and
   * account: where two stacks share an account, one creates it and the other passes
   * `existingProviderArn`.
   * @default true
   */
  readonly createProvider?: boolean;
  /**
   * ARN of the account's existing GitHub OIDC provider (`arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
   * @default none; required when `createProvider` is false
   */
  readonly existingProviderArn?: string;
  /**
   * Branch whose workflow jobs may assume the roles (token subject
   * `repo:<owner>/<repo>:ref:refs/heads/<branch>`). Jobs that run in a GitHub environment present
   * the environment subject instead, so a branch is only needed for jobs without one.
   * @default 'main' when `environment` is not set, otherwise none: trusting the branch as well
   * would let a job without the environment skip its required reviewers
   */
  readonly branch?: string;
  /**
   * GitHub environment whose jobs may assume the roles (subject
   * `repo:<owner>/<repo>:environment:<environment>`), e.g. `production` with required reviewers.
   * @default none
   */
  readonly environment?: string;

  /** ECR repositories the application pipeline pushes to. */
  readonly ecrRepositoryArns: readonly string[];
  /** ECS service the application pipeline updates (an `aws_ecs_service`'s id is its ARN). */
  readonly ecsServiceArn: string;
  /** Task role of the service's task definition: the only roles the pipeline may pass are it and `executionRoleArn`. */
  readonly taskRoleArn: string;
  /** Execution role of the service's task definition. */
  readonly executionRoleArn: string;
  /**
   * CodeDeploy application of the service's blue/green releases
   * (`arn:aws:codedeploy:<region>:<account>:application:<name>`). With the deployment group and
   * configuration below, the application role releases through CodeDeploy instead of
   * UpdateService, which cannot change the task definition of a CODE_DEPLOY service.
   * @default none: the role updates the service directly (rolling ECS deployments)
   */
  readonly codeDeployApplicationArn?: string;
  /**
   * Deployment group of those releases (`...:deploymentgroup:<application>/<group>`).
   * @default none; set together with `codeDeployApplicationArn`
   */
  readonly codeDeployDeploymentGroupArn?: string;
  /**
   * Deployment configuration of the group (`...:deploymentconfig:<name>`), e.g.
   * CodeDeployDefault.ECSAllAtOnce or a canary.
   * @default none; set together with `codeDeployApplicationArn`
   */
  readonly codeDeployDeploymentConfigArn?: string;
  /** Bucket the pipeline syncs the frontend build into. */
  readonly frontendBucketArn: string;
  /** CloudFront distribution whose cache the pipeline invalidates after a frontend sync. */
  readonly distributionArn: string;

  /**
   * Account of the roles, the IAM entities they manage and the lock table. A token (e.g. the
   * account field of a resource ARN) keeps plans free of `aws_caller_identity` lookups.
   */
  readonly accountId: string;
  /** Region of the Terraform lock table. */
  readonly region: string;
  /** S3 bucket holding the Terraform state (settings `stateBucket`). */
  readonly stateBucket: string;
  /**
   * Key prefix of the state objects the infrastructure pipeline reads and writes, ending in `/`:
   * the stack's own folder (`<project>/<stack>/`) keeps one environment's pipeline away from the
   * other's state.
   */
  readonly stateKeyPrefix: string;
  /** DynamoDB table of the Terraform state lock (settings `lockTable`). */
  readonly lockTable: string;
  /**
   * Maximum session of the infrastructure role. A first apply (Multi-AZ RDS, CloudFront) can take
   * longer than an hour, and credentials expiring mid-apply leave the state lock held.
   * @default 7200
   */
  readonly infraSessionDurationSeconds?: number;
}

const NAME_PREFIX = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
const BRANCH = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const KEY_PREFIX = /^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*\/$/;
const ARN = 'arn:aws[a-z-]*';
const PROVIDER_ARN = new RegExp(
  `^${ARN}:iam::\\d{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$`,
);
const ECR_REPOSITORY_ARN = new RegExp(
  `^${ARN}:ecr:[a-z0-9-]+:\\d{12}:repository/[a-z0-9]+(?:[._/-][a-z0-9]+)*$`,
);
const ECS_SERVICE_ARN = new RegExp(`^${ARN}:ecs:[a-z0-9-]+:\\d{12}:service/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$`);
const ROLE_ARN = new RegExp(`^${ARN}:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+$`);
const CODEDEPLOY_ARN = `${ARN}:codedeploy:[a-z0-9-]+:\\d{12}`;
const CODEDEPLOY_NAME = '[A-Za-z0-9_.+=,@-]+';
const CODEDEPLOY_APPLICATION_ARN = new RegExp(`^${CODEDEPLOY_ARN}:application:${CODEDEPLOY_NAME}$`);
const CODEDEPLOY_GROUP_ARN = new RegExp(
  `^${CODEDEPLOY_ARN}:deploymentgroup:${CODEDEPLOY_NAME}/${CODEDEPLOY_NAME}$`,
);
const CODEDEPLOY_CONFIG_ARN = new RegExp(`^${CODEDEPLOY_ARN}:deploymentconfig:${CODEDEPLOY_NAME}$`);
const DISTRIBUTION_ARN = new RegExp(`^${ARN}:cloudfront::\\d{12}:distribution/[A-Z0-9]+$`);
const MAX_ROLE_NAME = 64;
const APP_ROLE_SUFFIX = 'github-app-deploy';
const INFRA_ROLE_SUFFIX = 'github-infra-deploy';

/**
 * GitHub Actions OIDC for one environment: the account's identity provider (or an existing one)
 * and two roles that only the configured repository's branch or GitHub environment can assume.
 *
 * - Application-deploy role, for the application repository's pipeline: push to the ECR
 *   repositories, register task definitions, update the ECS service (passing only its task and
 *   execution roles), sync the frontend bucket and invalidate the distribution.
 * - Infrastructure-deploy role, for this repository's `cdktf deploy`: the state bucket keys and
 *   lock table, `PowerUserAccess` for the resources the stacks manage, and IAM limited to roles,
 *   policies and instance profiles named `<namePrefix>-*` (plus the OIDC provider when this stack
 *   owns it). Managing those roles lets it grant itself any permission (it can attach policies to
 *   roles named `<namePrefix>-*`, itself included): treat it as an account administrator; its
 *   trust (a branch, or a GitHub environment with required reviewers) is what guards it.
 *   The role is part of the stack it deploys, so the first deploy runs with other credentials.
 *
 * Both roles trust the same subjects (`branch` and/or `environment`), so the staging stack can
 * trust `main` and the production stack only the `production` environment.
 */
export class GithubOidc extends Construct {
  /** The provider created here; undefined when `existingProviderArn` is used. */
  public readonly provider?: IamOpenidConnectProvider;
  public readonly providerArn: string;
  public readonly appDeployRole: IamRole;
  public readonly appDeployRoleArn: string;
  public readonly appDeployRoleName: string;
  public readonly appDeployPolicy: IamRolePolicy;
  public readonly infraDeployRole: IamRole;
  public readonly infraDeployRoleArn: string;
  public readonly infraDeployRoleName: string;
  public readonly infraDeployPolicy: IamRolePolicy;
  public readonly infraPowerUserAttachment: IamRolePolicyAttachment;
  /** Token subjects (`sub`) the application-deploy role accepts. */
  public readonly appDeploySubjects: readonly string[];
  /** Token subjects (`sub`) the infrastructure-deploy role accepts. */
  public readonly infraDeploySubjects: readonly string[];

  constructor(scope: Construct, id: string, props: GithubOidcProps) {
    super(scope, id);
    const createProvider = props.createProvider ?? true;
    const infraRepository = props.infraRepository ?? props.repository;
    const branch = props.branch ?? (props.environment === undefined ? 'main' : undefined);
    const infraSessionDuration = props.infraSessionDurationSeconds ?? 7200;
    validate(new IssueCollector(this.node.path), props, createProvider, infraSessionDuration);

    const partition = arnPartition(props.region);
    const iamArn = (resource: string) => `arn:${partition}:iam::${props.accountId}:${resource}`;

    if (createProvider) {
      // No thumbprint: IAM verifies GitHub's JWKS endpoint against its trusted root CAs.
      this.provider = new IamOpenidConnectProvider(this, 'provider', {
        url: GITHUB_OIDC_URL,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
      });
      this.providerArn = this.provider.arn;
    } else {
      this.providerArn = props.existingProviderArn as string;
    }

    this.appDeploySubjects = subjects(props.repository, branch, props.environment);
    this.infraDeploySubjects = subjects(infraRepository, branch, props.environment);

    this.appDeployRoleName = `${props.namePrefix}-${APP_ROLE_SUFFIX}`;
    this.appDeployRole = new IamRole(this, 'app-deploy-role', {
      name: this.appDeployRoleName,
      description: `GitHub Actions (${props.repository}): push images, deploy the ECS service, publish the frontend`,
      assumeRolePolicy: trustPolicy(this.providerArn, this.appDeploySubjects),
      maxSessionDuration: 3600,
    });
    this.appDeployRoleArn = this.appDeployRole.arn;
    this.appDeployPolicy = new IamRolePolicy(this, 'app-deploy-policy', {
      name: 'app-deploy',
      role: this.appDeployRole.id,
      policy: policyDocument(appDeployStatements(props)),
    });

    this.infraDeployRoleName = `${props.namePrefix}-${INFRA_ROLE_SUFFIX}`;
    this.infraDeployRole = new IamRole(this, 'infra-deploy-role', {
      name: this.infraDeployRoleName,
      description: `GitHub Actions (${infraRepository}): cdktf deploy of the ${props.namePrefix} stack`,
      assumeRolePolicy: trustPolicy(this.providerArn, this.infraDeploySubjects),
      maxSessionDuration: infraSessionDuration,
    });
    this.infraDeployRoleArn = this.infraDeployRole.arn;
    this.infraPowerUserAttachment = new IamRolePolicyAttachment(this, 'infra-power-user', {
      role: this.infraDeployRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/${POWER_USER_ACCESS_POLICY}`,
    });

    const prefixed = (type: string) => iamArn(`${type}/${props.namePrefix}-*`);
    const infraStatements: PolicyStatement[] = [
      // Terraform's S3 backend lists the bucket to find workspaces (prefix `env:/`), so listing
      // cannot be narrowed to the state prefix; it reveals key names only.
      {
        Sid: 'StateBucketList',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: `arn:${partition}:s3:::${props.stateBucket}`,
      },
      {
        Sid: 'StateObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `arn:${partition}:s3:::${props.stateBucket}/${props.stateKeyPrefix}*`,
      },
      {
        Sid: 'StateLock',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: `arn:${partition}:dynamodb:${props.region}:${props.accountId}:table/${props.lockTable}`,
      },
      { Sid: 'StackRoles', Effect: 'Allow', Action: [...INFRA_ROLE_ACTIONS], Resource: prefixed('role') },
      {
        Sid: 'StackPolicies',
        Effect: 'Allow',
        Action: [...INFRA_POLICY_ACTIONS],
        Resource: prefixed('policy'),
      },
      {
        Sid: 'StackInstanceProfiles',
        Effect: 'Allow',
        Action: [...INFRA_INSTANCE_PROFILE_ACTIONS],
        Resource: prefixed('instance-profile'),
      },
    ];
    if (createProvider) {
      infraStatements.push({
        Sid: 'GithubOidcProvider',
        Effect: 'Allow',
        Action: [...INFRA_OIDC_PROVIDER_ACTIONS],
        Resource: iamArn(`oidc-provider/${GITHUB_OIDC_HOST}`),
      });
    }
    this.infraDeployPolicy = new IamRolePolicy(this, 'infra-deploy-policy', {
      name: 'state-and-stack-iam',
      role: this.infraDeployRole.id,
      policy: policyDocument(infraStatements),
    });
  }
}

function appDeployStatements(props: GithubOidcProps): PolicyStatement[] {
  return [
    // GetAuthorizationToken is account-wide (the token opens the registry, not a repository):
    // IAM accepts only Resource "*"; pushes are limited by the statement below.
    { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'EcrPush',
      Effect: 'Allow',
      Action: [...ECR_PUSH_ACTIONS],
      Resource: [...props.ecrRepositoryArns],
    },
    // RegisterTaskDefinition and DescribeTaskDefinition act on a family revision that does not
    // exist yet or is named by family only: the ECS API supports no resource ARN for them.
    {
      Sid: 'EcsTaskDefinitions',
      Effect: 'Allow',
      Action: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
      Resource: '*',
    },
    ...(props.codeDeployApplicationArn === undefined
      ? [
          {
            Sid: 'EcsDeployService',
            Effect: 'Allow' as const,
            Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
            Resource: props.ecsServiceArn,
          },
        ]
      : codeDeployStatements(props)),
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
  ];
}

/**
 * A blue/green release: the new task definition reaches the service only through a CodeDeploy
 * deployment, so the role reads the service but never updates it.
 */
function codeDeployStatements(props: GithubOidcProps): PolicyStatement[] {
  return [
    { Sid: 'EcsReadService', Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: props.ecsServiceArn },
    {
      Sid: 'CodeDeployRelease',
      Effect: 'Allow',
      Action: [...CODEDEPLOY_GROUP_ACTIONS],
      Resource: props.codeDeployDeploymentGroupArn as string,
    },
    {
      Sid: 'CodeDeployConfig',
      Effect: 'Allow',
      Action: [...CODEDEPLOY_CONFIG_ACTIONS],
      Resource: props.codeDeployDeploymentConfigArn as string,
    },
    {
      Sid: 'CodeDeployRevision',
      Effect: 'Allow',
      Action: [...CODEDEPLOY_APPLICATION_ACTIONS],
      Resource: props.codeDeployApplicationArn as string,
    },
  ];
}

function subjects(repository: string, branch: string | undefined, environment: string | undefined): string[] {
  const out: string[] = [];
  if (branch !== undefined) out.push(`repo:${repository}:ref:refs/heads/${branch}`);
  if (environment !== undefined) out.push(`repo:${repository}:environment:${environment}`);
  return out;
}

/**
 * Web-identity trust: the audience and the subject must both match exactly. StringEquals rather
 * than StringLike, since no subject is a pattern: a stray `*` can never widen the trust.
 */
function trustPolicy(providerArn: string, subs: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: subs.length === 1 ? subs[0] : [...subs],
          },
        },
      },
    ],
  });
}

function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * ARN of the account's GitHub OIDC provider, built without an API call: IAM names the provider
 * after its URL host (`arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
 * `accountId` may be a token, e.g. the account field of a resource ARN of the same stack.
 */
export function githubOidcProviderArn(accountId: string, region: string): string {
  return `arn:${arnPartition(region)}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/**
 * True when `value` is a Terraform reference, which only the plan resolves. Anything else is
 * checked at synth, a number or an unset value included (a JavaScript caller is not type-checked).
 */
function reference(value: unknown): boolean {
  return typeof value === 'string' && Token.isUnresolved(value);
}

function validate(
  v: IssueCollector,
  p: GithubOidcProps,
  createProvider: boolean,
  infraSessionDuration: number,
): void {
  v.at('namePrefix').matches(
    p.namePrefix,
    NAME_PREFIX,
    'must be lowercase letters and digits in hyphen-separated words, like ecg-video-pipeline-staging',
  );
  const longest = `${p.namePrefix}-${INFRA_ROLE_SUFFIX}`;
  v.at('namePrefix').check(
    longest.length <= MAX_ROLE_NAME,
    p.namePrefix,
    `makes the role name ${longest} longer than ${MAX_ROLE_NAME} characters`,
  );

  const repositoryRule =
    'must be owner/repo: a GitHub owner (letters, digits, single hyphens) and repository (letters, digits, . _ -), no wildcards';
  v.at('repository').matches(p.repository, REPOSITORY, repositoryRule);
  if (p.infraRepository !== undefined) {
    v.at('infraRepository').matches(p.infraRepository, REPOSITORY, repositoryRule);
  }
  if (p.branch !== undefined) {
    v.at('branch').check(
      typeof p.branch === 'string' && BRANCH.test(p.branch) && !p.branch.includes('..'),
      p.branch,
      'must be a branch name: letters, digits, . _ - in /-separated parts, no wildcards',
    );
  }
  if (p.environment !== undefined) {
    v.at('environment').matches(
      p.environment,
      ENVIRONMENT,
      'must be a GitHub environment name: 1-255 letters, digits, . _ -, no wildcards',
    );
  }

  if (createProvider) {
    v.at('existingProviderArn').check(
      p.existingProviderArn === undefined,
      p.existingProviderArn,
      'must not be set when createProvider is true (the provider is created here)',
    );
  } else if (p.existingProviderArn === undefined) {
    v.at('existingProviderArn').report(undefined, 'is required when createProvider is false');
  } else if (!reference(p.existingProviderArn)) {
    v.at('existingProviderArn').matches(
      p.existingProviderArn,
      PROVIDER_ARN,
      `must be the ARN of the IAM OIDC provider ${GITHUB_OIDC_HOST}`,
    );
  }

  v.at('ecrRepositoryArns').check(
    p.ecrRepositoryArns.length > 0,
    p.ecrRepositoryArns,
    'must list at least one repository',
  );
  p.ecrRepositoryArns.forEach((arn, i) => {
    if (!reference(arn))
      v.at('ecrRepositoryArns').at(i).matches(arn, ECR_REPOSITORY_ARN, 'must be an ECR repository ARN');
  });
  const arnChecks: [keyof GithubOidcProps, RegExp, string][] = [
    [
      'ecsServiceArn',
      ECS_SERVICE_ARN,
      'must be an ECS service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>)',
    ],
    ['taskRoleArn', ROLE_ARN, 'must be an IAM role ARN'],
    ['executionRoleArn', ROLE_ARN, 'must be an IAM role ARN'],
    ['frontendBucketArn', BUCKET_ARN_PATTERN, 'must be an S3 bucket ARN (no key or wildcard)'],
    ['distributionArn', DISTRIBUTION_ARN, 'must be a CloudFront distribution ARN'],
  ];
  const codeDeploy = [
    p.codeDeployApplicationArn,
    p.codeDeployDeploymentGroupArn,
    p.codeDeployDeploymentConfigArn,
  ];
  if (codeDeploy.some((arn) => arn !== undefined)) {
    arnChecks.push(
      [
        'codeDeployApplicationArn',
        CODEDEPLOY_APPLICATION_ARN,
        'must be a CodeDeploy application ARN (arn:aws:codedeploy:<region>:<account>:application:<name>), set with the deployment group and configuration ARNs',
      ],
      [
        'codeDeployDeploymentGroupArn',
        CODEDEPLOY_GROUP_ARN,
        'must be a CodeDeploy deployment group ARN (arn:aws:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>), set with the application and configuration ARNs',
      ],
      [
        'codeDeployDeploymentConfigArn',
        CODEDEPLOY_CONFIG_ARN,
        'must be a CodeDeploy deployment configuration ARN (arn:aws:codedeploy:<region>:<account>:deploymentconfig:<name>), set with the application and deployment group ARNs',
      ],
    );
  }
  for (const [field, pattern, rule] of arnChecks) {
    const value = p[field];
    if (!reference(value)) v.at(field).matches(value as string, pattern, rule);
  }

  if (!reference(p.accountId))
    v.at('accountId').matches(p.accountId, ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id');
  if (!reference(p.region))
    v.at('region').matches(p.region, REGION_PATTERN, 'must be an AWS region like ap-northeast-2');
  if (!reference(p.stateBucket))
    for (const problem of s3BucketNameProblems(typeof p.stateBucket === 'string' ? p.stateBucket : '')) {
      v.at('stateBucket').report(p.stateBucket, `is not a valid S3 bucket name: ${problem}`);
    }
  v.at('stateKeyPrefix').matches(
    p.stateKeyPrefix,
    KEY_PREFIX,
    'must be an S3 key prefix ending in /, without wildcards (e.g. ecg-video-pipeline/staging/)',
  );
  if (!reference(p.lockTable))
    v.at('lockTable').matches(
      p.lockTable,
      TABLE,
      'must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
    );
  v.at('infraSessionDurationSeconds').intRange(infraSessionDuration, 3600, 43200);
  throwIfIssues(v.issues);
}
