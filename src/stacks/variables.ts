import { TerraformVariable } from 'cdktf';
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

/**
 * One variable and its rule, written once: Terraform checks `condition` at plan time, and synth
 * checks tfvars files with `accepts` (the same regular expressions) so a bad value is reported
 * with every other problem before anything is written.
 */
export interface VariableSpec {
  readonly name: string;
  readonly type: 'string' | 'list(string)';
  readonly default: string | readonly string[];
  readonly description: string;
  /** What a valid value is; the validation block's error message is `<name> <rule>.` */
  readonly rule: string;
  /** The validation block's condition (HCL). */
  readonly condition: string;
  /** The same rule in TypeScript, for tfvars values read at synth. */
  accepts(value: unknown): boolean;
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

function imageTag(name: string, what: string): VariableSpec {
  return {
    name,
    type: 'string',
    default: 'latest',
    description: `Tag of the ${what} image in its ECR repository (the repository URL comes from the stack).`,
    rule: 'must be a Docker tag: letters, digits, _ . - (at most 128, not starting with . or -)',
    condition: `\${can(regex("${hclString(TAG_RULE)}", var.${name}))}`,
    accepts: (value) => matches(TAG_RULE, value),
  };
}

export const PLATFORM_VARIABLES: readonly VariableSpec[] = [
  imageTag('api_image_tag', 'API'),
  {
    name: 'api_image',
    type: 'string',
    default: '',
    description:
      'Full image reference for the API task, overriding the ECR repository and api_image_tag (for the first deploy, before any image is pushed). Empty uses ECR.',
    rule: 'must be empty or an image reference like registry/name:tag or registry/name@sha256:<digest>',
    condition: `\${var.api_image == "" || can(regex("${hclString(IMAGE_RULE)}", var.api_image))}`,
    accepts: (value) => value === '' || matches(IMAGE_RULE, value),
  },
  imageTag('model_server_image_tag', 'model server'),
  imageTag('render_worker_image_tag', 'render worker'),
  {
    name: 'alarm_email',
    type: 'string',
    default: '',
    description:
      'E-mail address subscribed to the alarm topic (AWS sends a confirmation mail). Empty subscribes nobody.',
    rule: 'must be empty or an e-mail address',
    condition: `\${var.alarm_email == "" || can(regex("${hclString(EMAIL_RULE)}", var.alarm_email))}`,
    accepts: (value) => value === '' || matches(EMAIL_RULE, value),
  },
  {
    name: 'ssh_allowed_cidrs',
    type: 'list(string)',
    default: [],
    description:
      'IPv4 CIDRs allowed to reach the model servers on SSH (22). Empty by default: use Session Manager instead.',
    rule: 'must be IPv4 CIDRs no wider than /16 (never 0.0.0.0/0)',
    // try(): Terraform evaluates both sides of &&, so an entry without "/" must not be indexed.
    condition: `\${alltrue([for c in var.ssh_allowed_cidrs : can(cidrhost(c, 0)) && can(regex("${hclString(CIDR_RULE)}", c)) && try(tonumber(split("/", c)[1]) >= 16, false)])}`,
    accepts: (value) => Array.isArray(value) && value.every(isCidrNoWiderThan16),
  },
];

/** Declares the variables at stack level, so their addresses are exactly `var.<name>`. */
export function declarePlatformVariables(stack: Construct): PlatformVariables {
  const declared = Object.fromEntries(
    PLATFORM_VARIABLES.map((spec) => [
      spec.name,
      new TerraformVariable(stack, spec.name, {
        type: spec.type,
        default: spec.default,
        description: spec.description,
        validation: [{ condition: spec.condition, errorMessage: `${spec.name} ${spec.rule}.` }],
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
