/** The IAM actions of the GitHub OIDC deploy roles (github-oidc.ts), one list per resource they act on. */

/** Pushing to ECR: the layer upload sequence plus BatchGetImage (manifest checks, cache pulls). */
export const ECR_PUSH_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
  'ecr:BatchGetImage',
];

/**
 * CodeDeploy actions of an ECS blue/green release, by the resource type IAM checks them on
 * (CodeDeploy user guide, "CodeDeploy permissions reference"): the deployment and the waiter's
 * reads on the deployment group, the group's configuration, and the AppSpec revision on the
 * application.
 */
export const CODEDEPLOY_GROUP_ACTIONS: readonly string[] = [
  'codedeploy:CreateDeployment',
  'codedeploy:GetDeployment',
];
export const CODEDEPLOY_CONFIG_ACTIONS: readonly string[] = ['codedeploy:GetDeploymentConfig'];
export const CODEDEPLOY_APPLICATION_ACTIONS: readonly string[] = [
  'codedeploy:RegisterApplicationRevision',
  'codedeploy:GetApplicationRevision',
];

/** IAM actions of the infrastructure role on roles named `<namePrefix>-*`. */
export const INFRA_ROLE_ACTIONS: readonly string[] = [
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

/** IAM actions on customer managed policies named `<namePrefix>-*`. */
export const INFRA_POLICY_ACTIONS: readonly string[] = [
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

/** IAM actions on instance profiles named `<namePrefix>-*` (the GPU fleets). */
export const INFRA_INSTANCE_PROFILE_ACTIONS: readonly string[] = [
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:TagInstanceProfile',
  'iam:UntagInstanceProfile',
  'iam:ListInstanceProfileTags',
];

/** IAM actions on the GitHub OIDC provider, when this stack owns it. */
export const INFRA_OIDC_PROVIDER_ACTIONS: readonly string[] = [
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:GetOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UntagOpenIDConnectProvider',
];
