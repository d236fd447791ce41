import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { KMS_KEY_ARN_PATTERN } from '../lib/aws/arns';

/** One rule of an ECR lifecycle policy, in the JSON shape ECR expects. */
export interface EcrLifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: {
    readonly tagStatus: 'tagged' | 'untagged' | 'any';
    readonly tagPatternList?: readonly string[];
    readonly countType: 'sinceImagePushed' | 'imageCountMoreThan';
    readonly countUnit?: 'days';
    readonly countNumber: number;
  };
  readonly action: { readonly type: 'expire' };
}

/** An ECR lifecycle policy document. */
export interface EcrLifecyclePolicyDocument {
  readonly rules: readonly EcrLifecycleRule[];
}

/**
 * Builds an ECR lifecycle policy: rules get priorities 1, 2, ... in the order they are added, so
 * the order of the calls is the order ECR evaluates them.
 */
export class EcrLifecyclePolicyBuilder {
  private readonly rules: EcrLifecycleRule[] = [];

  /** Expires untagged images `days` days after they were pushed. */
  public expireUntaggedAfterDays(days: number): this {
    positiveInteger('days', days);
    return this.add(`Expire untagged images after ${days} days`, {
      tagStatus: 'untagged',
      countType: 'sinceImagePushed',
      countUnit: 'days',
      countNumber: days,
    });
  }

  /**
   * Keeps the `count` most recently pushed tagged images and expires older ones. `tagPatterns`
   * narrows the images the rule counts; `['*']` is every tagged image.
   */
  public keepLastTagged(count: number, tagPatterns: readonly string[] = ['*']): this {
    positiveInteger('count', count);
    if (tagPatterns.length === 0) throw new Error('tagPatterns must list at least one pattern');
    return this.add(`Keep the last ${count} tagged images`, {
      tagStatus: 'tagged',
      tagPatternList: [...tagPatterns],
      countType: 'imageCountMoreThan',
      countNumber: count,
    });
  }

  public build(): EcrLifecyclePolicyDocument {
    return { rules: [...this.rules] };
  }

  public toJson(): string {
    return JSON.stringify(this.build());
  }

  private add(description: string, selection: EcrLifecycleRule['selection']): this {
    this.rules.push({
      rulePriority: this.rules.length + 1,
      description,
      selection,
      action: { type: 'expire' },
    });
    return this;
  }
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
}

/** The repository names of docs/design.md. */
export const DEFAULT_REPOSITORIES: readonly string[] = ['api', 'model-server', 'render-worker'];

export interface EcrRepositoriesProps {
  /** `<project>-<env>`; each repository is named `<namePrefix>-<repository>`. */
  readonly namePrefix: string;
  /** Short repository names; they key `repositories`. @default ['api', 'model-server', 'render-worker'] */
  readonly repositories?: readonly string[];
  /** @default 'IMMUTABLE' - a pushed tag can never point at another image */
  readonly imageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
  /** Untagged images expire this many days after push. @default 7 */
  readonly untaggedExpireDays?: number;
  /** Only the most recent N tagged images are kept. @default 30 */
  readonly keepLastTagged?: number;
  /** Let `terraform destroy` delete repositories that still hold images. @default false */
  readonly forceDelete?: boolean;
  /**
   * Customer-managed KMS key for image encryption. Changing the encryption of an existing
   * repository replaces it (and deletes its images).
   * @default AES-256 with an AWS-owned key
   */
  readonly kmsKeyArn?: string;
  /** Scan images for vulnerabilities on push. @default true */
  readonly scanOnPush?: boolean;
}

/** Outputs of one repository. */
export interface EcrRepositoryOutputs {
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly repositoryArn: string;
  readonly repository: EcrRepository;
  readonly lifecyclePolicy: EcrLifecyclePolicy;
}

const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const NAME_PREFIX = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The container image repositories (docs/design.md): scan on push, tag mutability and
 * encryption per props, and one lifecycle policy per repository built by
 * `EcrLifecyclePolicyBuilder`.
 */
export class EcrRepositories extends Construct {
  /** Per short name, e.g. `repositories['api'].repositoryUrl`. */
  public readonly repositories: Readonly<Record<string, EcrRepositoryOutputs>>;
  /** The lifecycle policy every repository carries. */
  public readonly lifecyclePolicyDocument: EcrLifecyclePolicyDocument;

  constructor(scope: Construct, id: string, props: EcrRepositoriesProps) {
    super(scope, id);
    const names = props.repositories ?? DEFAULT_REPOSITORIES;
    const mutability = props.imageTagMutability ?? 'IMMUTABLE';
    const untaggedExpireDays = props.untaggedExpireDays ?? 7;
    const keepLastTagged = props.keepLastTagged ?? 30;
    validate(
      new IssueCollector(this.node.path),
      props,
      names,
      mutability,
      untaggedExpireDays,
      keepLastTagged,
    );

    this.lifecyclePolicyDocument = new EcrLifecyclePolicyBuilder()
      .expireUntaggedAfterDays(untaggedExpireDays)
      .keepLastTagged(keepLastTagged)
      .build();
    const policyJson = JSON.stringify(this.lifecyclePolicyDocument);

    const repositories: Record<string, EcrRepositoryOutputs> = {};
    for (const name of names) {
      const repository = new EcrRepository(this, name, {
        name: `${props.namePrefix}-${name}`,
        imageTagMutability: mutability,
        imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
        encryptionConfiguration: [
          props.kmsKeyArn ? { encryptionType: 'KMS', kmsKey: props.kmsKeyArn } : { encryptionType: 'AES256' },
        ],
        forceDelete: props.forceDelete ?? false,
      });
      const lifecyclePolicy = new EcrLifecyclePolicy(this, `${name}-lifecycle`, {
        repository: repository.name,
        policy: policyJson,
      });
      repositories[name] = {
        repositoryName: repository.name,
        repositoryUrl: repository.repositoryUrl,
        repositoryArn: repository.arn,
        repository,
        lifecyclePolicy,
      };
    }
    this.repositories = repositories;
  }

  /** The outputs of repository `name`; fails at synth when there is no such repository. */
  public repository(name: string): EcrRepositoryOutputs {
    const found = this.repositories[name];
    if (!found) {
      throw new Error(
        `${this.node.path}: no repository ${name} (repositories: ${Object.keys(this.repositories).join(', ')})`,
      );
    }
    return found;
  }

  /** ARNs of every repository, e.g. for a pull policy. */
  public get repositoryArns(): string[] {
    return Object.values(this.repositories).map((r) => r.repositoryArn);
  }
}

function validate(
  v: IssueCollector,
  props: EcrRepositoriesProps,
  names: readonly string[],
  mutability: string,
  untaggedExpireDays: number,
  keepLastTagged: number,
): void {
  v.at('namePrefix').matches(
    props.namePrefix,
    NAME_PREFIX,
    'must be lowercase letters and digits in hyphen-separated words, like ecg-video-pipeline-staging',
  );
  v.at('repositories').check(names.length > 0, names, 'must list at least one repository');
  names.forEach((name, i) => {
    const r = v.at('repositories').at(i);
    r.matches(name, REPOSITORY_NAME, 'must be a lowercase ECR repository name');
    r.check(names.indexOf(name) === i, name, 'is listed twice');
    r.check(
      `${props.namePrefix}-${name}`.length <= 256,
      name,
      'makes the repository name longer than 256 characters',
    );
  });
  v.at('imageTagMutability').oneOf(mutability, ['MUTABLE', 'IMMUTABLE']);
  v.at('untaggedExpireDays').intRange(untaggedExpireDays, 1, 3650);
  v.at('keepLastTagged').intRange(keepLastTagged, 1, 10000);
  if (props.kmsKeyArn !== undefined && !Token.isUnresolved(props.kmsKeyArn)) {
    v.at('kmsKeyArn').matches(props.kmsKeyArn, KMS_KEY_ARN_PATTERN, 'must be a KMS key or alias ARN');
  }
  throwIfIssues(v.issues);
}
