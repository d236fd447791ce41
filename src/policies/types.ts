import type { EnvironmentName } from '../lib/environments';

/**
 * What a stack is evaluated as: one of the platform environments, or `shared` for a stack that
 * serves every environment (the state backend). A `shared` stack gets the rules that apply to
 * every environment; production-only rules do not apply to it.
 */
export type PolicyEnvironment = EnvironmentName | 'shared';

/** Any JSON value of the synthesized stack. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** One resource of the synthesized stack, as Terraform sees it. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, the Terraform address. */
  readonly address: string;
  /** Its arguments, as in the JSON (snake_case; references as `${type.name.attr}` strings). */
  readonly values: Json;
}

/** One violation found by a rule. */
export interface Finding {
  readonly ruleId: string;
  /** Terraform address of the offending resource. */
  readonly address: string;
  /** Which condition of the rule failed (kebab-case, one of the rule's `checks`); suppressions match on it. */
  readonly check: string;
  /** What is wrong, in a sentence that needs no other context than the address. */
  readonly message: string;
}

/** What a rule's `check` gets: the stack's resources and the environment it is evaluated for. */
export interface RuleContext {
  readonly environment: PolicyEnvironment;
  readonly isProduction: boolean;
  /** Every resource of `type`, in address order. */
  resources(type: string): readonly TfResource[];
  /** The resource at `address` (`<type>.<name>`), if the stack has it. */
  resource(address: string): TfResource | undefined;
  /** Addresses (`<type>.<name>`) of the managed resources `value` refers to, anywhere inside it. */
  references(value: unknown): string[];
  /** A finding of the rule being evaluated. */
  finding(resource: TfResource | string, check: string, message: string): Finding;
}

/** One check of the scanner anchors (or of their documented exceptions), over a whole stack. */
export interface Rule {
  /** Stable id, `ECG-<area>-<nn>`. */
  readonly id: string;
  /**
   * Scanner-anchor row (docs/design.md) it implements; `exception` for the scanner checks behind its
   * documented exceptions; `own` for the project's checks of resource types the anchors do not
   * cover (Lambda functions).
   */
  readonly anchor: number | 'exception' | 'own';
  /** Ids of the scanner checks it mirrors (checkov, trivy AVD, cdk-nag AwsSolutions). */
  readonly scannerIds: readonly string[];
  /** Environments it applies to. */
  readonly environments: readonly EnvironmentName[];
  /**
   * The environment config field (from the environment's root, e.g. `storage.accessLogging`)
   * that decides whether the stack complies, when one does; synth errors name it.
   */
  readonly configField?: string;
  /** Resource types it looks at; with none of them in a stack the rule is not applicable there. */
  readonly resourceTypes: readonly string[];
  /** The compliant state, in one line. */
  readonly description: string;
  /** Every `check` code its findings use, with what it means. */
  readonly checks: Readonly<Record<string, string>>;
  check(ctx: RuleContext): Finding[];
}

/**
 * An accepted finding. Matches findings of `ruleId`, narrowed by `check`, `environments` and
 * `resource`; every entry says why it is acceptable.
 */
export interface Suppression {
  readonly ruleId: string;
  /** Only findings with this check code. @default every check of the rule */
  readonly check?: string;
  /** Only in these environments. @default every environment */
  readonly environments?: readonly PolicyEnvironment[];
  /** Only this resource: a resource type (`aws_lb`) or an address prefix (`aws_lb.alb`). @default every resource */
  readonly resource?: string;
  /** Why the finding is acceptable; printed in the policy report. */
  readonly reason: string;
}

/** A scanner-anchor row that has no rule, and why. */
export interface NotApplicableRow {
  readonly id: string;
  readonly anchor: number;
  readonly scannerIds: readonly string[];
  readonly description: string;
  readonly reason: string;
}

export type RuleStatus = 'pass' | 'fail' | 'suppressed' | 'not-applicable';

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

/** The outcome of one rule on one stack. */
export interface RuleResult {
  readonly ruleId: string;
  readonly anchor: number | 'exception' | 'own';
  readonly scannerIds: readonly string[];
  readonly description: string;
  /** `fail` when any finding is unsuppressed; `suppressed` when every finding is. */
  readonly status: RuleStatus;
  /** Why the rule is not applicable (`production only`, `no aws_db_instance`). */
  readonly detail?: string;
  /** Unsuppressed findings. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}
