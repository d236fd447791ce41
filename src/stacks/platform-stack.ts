import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Id as RandomId } from '@cdktf/provider-random/lib/id';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig, ProjectSettings } from '../config';
import { defaultTags } from '../lib/naming';
import { applyStackBaseline } from './baseline';

export interface PlatformStackProps {
  readonly settings: ProjectSettings;
  readonly config: EnvironmentConfig;
}

/** Key of a platform stack's state object in the state bucket. */
export function stateKey(project: string, stackId: string): string {
  return `${project}/${stackId}/terraform.tfstate`;
}

/**
 * One environment of the platform. It only composes: resource detail lives in `src/modules/`,
 * values come from the environment's config.
 */
export class PlatformStack extends TerraformStack {
  public readonly config: EnvironmentConfig;
  public readonly settings: ProjectSettings;
  /** 8 hex characters, stable per stack, appended to globally unique names (buckets). */
  public readonly suffix: string;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const { settings, config } = props;
    this.config = config;
    this.settings = settings;
    applyStackBaseline(this);

    const backend = new S3Backend(this, {
      bucket: settings.stateBucket,
      key: stateKey(settings.project, id),
      region: settings.region,
      dynamodbTable: settings.lockTable,
      encrypt: true,
    });
    if (settings.useLockfile) backend.addOverride('use_lockfile', true);

    const accountIds = settings.allowedAccountIds[config.name];
    new AwsProvider(this, 'aws', {
      region: settings.region,
      defaultTags: [{ tags: defaultTags(settings.project, config.name) }],
      allowedAccountIds: accountIds.length > 0 ? [...accountIds] : undefined,
    });
    new RandomProvider(this, 'random');

    this.suffix = new RandomId(this, 'suffix', { byteLength: 4 }).hex;
  }
}
