import { Fn, Op, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * The deploy-time variables of a platform stack: values that change between deploys without a
 * new synth (image tags, alarm e-mail, SSH sources). Each has a type, a description, a safe
 * default and validation blocks; `terraform.tfvars.example` documents them. Names are the
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

export interface PlatformVariablesOptions {
  /**
   * The stack's ECR repositories refuse a second push of a tag (IMMUTABLE): image tags then have
   * no `latest` default and `latest` is rejected, since it could be pushed only once.
   */
  readonly immutableTags: boolean;
}

/** One rule of a variable, written once for both places that check it. */
export interface VariableRule {
  /** The validation block's condition (HCL), checked by Terraform at plan time. */
  readonly condition: string;
  /** The same rule in TypeScript, checked at synth on the values of the user's tfvars files. */
  accepts(value: unknown): boolean;
  /** What a valid value is; the block's error message is `<name> <rule>.` */
  readonly rule: string;
}

export interface VariableSpec {
  readonly name: string;
  readonly type: 'string' | 'list(string)';
  readonly default: string | readonly string[];
  readonly description: string;
  readonly rules: readonly VariableRule[];
}

// RE2 (Terraform) and JavaScript read these patterns the same way.
const TAG_RULE = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';
const IMAGE_RULE =
  '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._/-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$';
const EMAIL_RULE = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$';
const CIDR_RULE = '^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$';

const hclString = (pattern: string) => JSON.stringify(pattern).slice(1, -1);
const matches = (pattern: string, value: unknown) =>
  typeof value === 'string' && new RegExp(pattern).test(value);

function isCidrNoWiderThan16(value: unknown): boolean {
  if (!matches(CIDR_RULE, value)) return false;
  const [address, prefix] = String(value).split('/');
  return address.split('.').every((octet) => Number(octet) <= 255) && Number(prefix) >= 16;
}

function imageTag(name: string, what: string, immutable: boolean): VariableSpec {
  return {
    name,
    type: 'string',
    default: immutable ? '' : 'latest',
    description:
      `Tag of the ${what} image in its ECR repository (the repository URL comes from the stack). ` +
      'Empty means no image yet: GPU fleets stay at zero instances, the API needs api_image.' +
      (immutable ? ' The repositories are IMMUTABLE: one explicit tag per build, never latest.' : ''),
    rules: [
      {
        condition: `\${var.${name} == "" || can(regex("${hclString(TAG_RULE)}", var.${name}))}`,
        accepts: (value) => value === '' || matches(TAG_RULE, value),
        rule: 'must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -), or empty while no image exists',
      },
      ...(immutable
        ? [
            {
              // ECR answers ImageTagAlreadyExistsException to a second push of a tag in an IMMUTABLE repository.
              condition: `\${var.${name} != "latest"}`,
              accepts: (value: unknown) => value !== 'latest',
              rule: "must be an explicit tag such as the git SHA, not latest: this stack's ECR repositories are IMMUTABLE, so latest could be pushed only once",
            },
          ]
        : []),
    ],
  };
}

/** The variables of a platform stack whose repositories are (or are not) immutable. */
export function platformVariables(options: PlatformVariablesOptions): readonly VariableSpec[] {
  const immutable = options.immutableTags;
  return [
    imageTag('api_image_tag', 'API', immutable),
    {
      name: 'api_image',
      type: 'string',
      default: '',
      description:
        'Full image reference for the API task, overriding the ECR repository and api_image_tag (for the first deploy, before any image is pushed). Empty uses ECR.',
      rules: [
        {
          condition: `\${var.api_image == "" || can(regex("${hclString(IMAGE_RULE)}", var.api_image))}`,
          accepts: (value) => value === '' || matches(IMAGE_RULE, value),
          rule: 'must be empty or an image reference like registry/name:tag or registry/name@sha256:<digest>',
        },
      ],
    },
    imageTag('model_server_image_tag', 'model server', immutable),
    imageTag('render_worker_image_tag', 'render worker', immutable),
    {
      name: 'alarm_email',
      type: 'string',
      default: '',
      description:
        'E-mail address subscribed to the alarm topic (AWS sends a confirmation mail). Empty subscribes nobody.',
      rules: [
        {
          condition: `\${var.alarm_email == "" || can(regex("${hclString(EMAIL_RULE)}", var.alarm_email))}`,
          accepts: (value) => value === '' || matches(EMAIL_RULE, value),
          rule: 'must be empty or an e-mail address',
        },
      ],
    },
    {
      name: 'ssh_allowed_cidrs',
      type: 'list(string)',
      default: [],
      description:
        'IPv4 CIDRs allowed to reach the model servers on SSH (22). Empty by default: use Session Manager instead.',
      rules: [
        {
          // try(): Terraform evaluates both sides of &&, so an entry without "/" must not be indexed.
          condition: `\${alltrue([for c in var.ssh_allowed_cidrs : can(cidrhost(c, 0)) && can(regex("${hclString(CIDR_RULE)}", c)) && try(tonumber(split("/", c)[1]) >= 16, false)])}`,
          accepts: (value) => Array.isArray(value) && value.every(isCidrNoWiderThan16),
          rule: 'must be IPv4 CIDRs no wider than /16 (never 0.0.0.0/0)',
        },
      ],
    },
  ];
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
  const declared = Object.fromEntries(
    platformVariables(options).map((spec) => [
      spec.name,
      new TerraformVariable(stack, spec.name, {
        type: spec.type,
        default: spec.default,
        description: spec.description,
        validation: spec.rules.map((r) => ({
          condition: r.condition,
          errorMessage: `${spec.name} ${r.rule}.`,
        })),
      }),
    ]),
  );
  return {
    apiImageTag: declared.api_image_tag.stringValue,
    apiImage: declared.api_image.stringValue,
    modelServerImageTag: declared.model_server_image_tag.stringValue,
    renderWorkerImageTag: declared.render_worker_image_tag.stringValue,
    alarmEmail: declared.alarm_email.stringValue,
    sshAllowedCidrs: declared.ssh_allowed_cidrs.listValue,
  };
}
