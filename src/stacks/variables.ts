import { Fn, Op, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * The deploy-time variables of a platform stack: values that change between deploys without a
 * new synth (image tags, alarm e-mail, SSH sources). Each has a type, a description, a safe
 * default and a validation block; `terraform.tfvars.example` documents them. Names are the
 * contract with users' tfvars files: never rename one.
 */
export interface PlatformVariables {
  readonly apiImageTag: string;
  readonly apiImage: string;
  readonly modelServerImageTag: string;
  readonly renderWorkerImageTag: string;
  readonly alarmEmail: string;
  readonly sshAllowedCidrs: string[];
}

const TAG_RULE = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';
const IMAGE_RULE =
  '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._/-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$';
const EMAIL_RULE = '^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$';

export interface PlatformVariablesOptions {
  /**
   * The stack's ECR repositories refuse a second push of a tag (IMMUTABLE): image tags then have
   * no `latest` default and `latest` is rejected, since it could be pushed only once.
   */
  readonly immutableTags: boolean;
}

function imageTag(scope: Construct, name: string, what: string, immutable: boolean): TerraformVariable {
  return new TerraformVariable(scope, name, {
    type: 'string',
    default: immutable ? '' : 'latest',
    description:
      `Tag of the ${what} image in its ECR repository (the repository URL comes from the stack). ` +
      'Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image.' +
      (immutable ? ' The repositories are IMMUTABLE: one explicit tag per build, never latest.' : ''),
    validation: [
      {
        condition: `\${var.${name} == "" || can(regex("${TAG_RULE}", var.${name}))}`,
        errorMessage: `${name} must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists.`,
      },
      ...(immutable
        ? [
            {
              // ECR answers ImageTagAlreadyExistsException to a second push of a tag in an IMMUTABLE repository.
              condition: `\${var.${name} != "latest"}`,
              errorMessage: `${name} must be an explicit tag such as the git SHA, not latest: this stack's ECR repositories are IMMUTABLE, so latest could be pushed only once.`,
            },
          ]
        : []),
    ],
  });
}

/**
 * A GPU group size that waits for its image: 0 while `tag` is empty, `size` once it is set (a
 * Terraform conditional on the variable). Raising the minimum above the group's size makes EC2
 * Auto Scaling raise the desired capacity with it (UpdateAutoScalingGroup), so setting the tag
 * starts the fleet even though Terraform ignores later changes to desired_capacity.
 */
export function sizeOnceTagged(tag: string, size: number): number {
  if (size === 0) return 0;
  return Token.asNumber(Fn.conditional(Op.eq(tag, Fn.rawString('')), 0, size));
}

/** The synthesized form of `sizeOnceTagged`: `${(var.<tag> == "") ? 0 : <size>}`. */
const TAGGED_SIZE = /^\$\{\(var\.([a-z][a-z0-9_]*) == ""\) \? 0 : (\d+)\}$/;

/** Reads a `sizeOnceTagged` value back from synthesized JSON (for reports); undefined for anything else. */
export function parseSizeOnceTagged(value: unknown): { variable: string; size: number } | undefined {
  const match = typeof value === 'string' ? TAGGED_SIZE.exec(value) : null;
  return match ? { variable: match[1], size: Number(match[2]) } : undefined;
}

/** Declares the variables at stack level, so their addresses are exactly `var.<name>`. */
export function declarePlatformVariables(
  stack: Construct,
  options: PlatformVariablesOptions,
): PlatformVariables {
  const immutable = options.immutableTags;
  const apiImageTag = imageTag(stack, 'api_image_tag', 'API', immutable);
  const apiImage = new TerraformVariable(stack, 'api_image', {
    type: 'string',
    default: '',
    description:
      'Full image reference for the API task, overriding the ECR repository and api_image_tag (for the first deploy, before any image is pushed). Empty uses ECR.',
    validation: [
      {
        condition: `\${var.api_image == "" || can(regex("${IMAGE_RULE}", var.api_image))}`,
        errorMessage:
          'api_image must be empty or an image reference like registry/name:tag or registry/name@sha256:<digest>.',
      },
    ],
  });
  const modelServerImageTag = imageTag(stack, 'model_server_image_tag', 'model server', immutable);
  const renderWorkerImageTag = imageTag(stack, 'render_worker_image_tag', 'render worker', immutable);
  const alarmEmail = new TerraformVariable(stack, 'alarm_email', {
    type: 'string',
    default: '',
    description:
      'E-mail address subscribed to the alarm topic (AWS sends a confirmation mail). Empty subscribes nobody.',
    validation: [
      {
        condition: `\${var.alarm_email == "" || can(regex("${EMAIL_RULE}", var.alarm_email))}`,
        errorMessage: 'alarm_email must be empty or an e-mail address.',
      },
    ],
  });
  const sshAllowedCidrs = new TerraformVariable(stack, 'ssh_allowed_cidrs', {
    type: 'list(string)',
    default: [],
    description:
      'IPv4 CIDRs allowed to reach the model servers on SSH (22). Empty by default: use Session Manager instead.',
    validation: [
      {
        condition:
          '${alltrue([for c in var.ssh_allowed_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/([0-9]|[12][0-9]|3[0-2])$", c)) && tonumber(split("/", c)[1]) >= 16])}',
        errorMessage: 'ssh_allowed_cidrs must be IPv4 CIDRs no wider than /16 (never 0.0.0.0/0).',
      },
    ],
  });
  return {
    apiImageTag: apiImageTag.stringValue,
    apiImage: apiImage.stringValue,
    modelServerImageTag: modelServerImageTag.stringValue,
    renderWorkerImageTag: renderWorkerImageTag.stringValue,
    alarmEmail: alarmEmail.stringValue,
    sshAllowedCidrs: sshAllowedCidrs.listValue,
  };
}
