/**
 * Validation of the configuration: the project settings, each environment (one file per group
 * of sections: validate-network, -compute, -data, -edge) and the rules between environments.
 */
import { Address4 } from 'ip-address';
import { ENVIRONMENT_NAMES, type EnvironmentConfig, type ProjectSettings } from './types';
import { type ConfigIssue, IssueCollector, throwIfIssues } from '../lib/validation';
import { ACCOUNT_ID_PATTERN } from '../lib/aws/arns';
import { AWS_REGIONS, isRegion } from '../lib/aws/regions';
import { s3BucketNameProblems } from '../lib/aws/s3';
import { suggestion } from '../lib/suggest';
import { SETTINGS_OBJECT_PATHS, type SettingKey, type SettingPaths } from './settings';
import { pinnedToSeparateAccounts } from './environments';
import { overlaps } from './validate-rules';
import { validateNetwork, validateSecurity } from './validate-network';
import { validateEcr, validateApi, validateAlb, validateGpu } from './validate-compute';
import { validateDatabase, validateCache, validateStorage } from './validate-data';
import { validateEdge, validateMonitoring, validateOverrides, validateTracing } from './validate-edge';
import { validateDomainSettings, validateEdgeDomain } from './validate-domain';

const PROJECT_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))+[a-z0-9]$/;
const TABLE_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * The tightest budget of any name the platform generates: an ElastiCache replication group id has
 * at most 40 characters (CreateReplicationGroup, ReplicationGroupId), and production's is
 * `<project>-production-redis`. Every other generated name fits when this one does; a test
 * synthesizes both environments with a project name of exactly this length and checks every name.
 */
export const MAX_PROJECT_LENGTH = 40 - '-production-redis'.length;

export function validateSettings(
  settings: ProjectSettings,
  paths: SettingPaths = SETTINGS_OBJECT_PATHS,
): ConfigIssue[] {
  const at = (key: SettingKey) => new IssueCollector(paths[key]);
  const sink: ConfigIssue[] = [];
  const collect = (v: IssueCollector) => sink.push(...v.issues);

  const project = at('project');
  project.matches(
    settings.project,
    PROJECT_PATTERN,
    `must be 3-${MAX_PROJECT_LENGTH} lowercase letters, digits or single hyphens, starting with a letter and ending with a letter or digit`,
  );
  project.check(
    settings.project.length <= MAX_PROJECT_LENGTH,
    settings.project,
    `is ${settings.project.length} characters; at most ${MAX_PROJECT_LENGTH} fit every generated name (the production ElastiCache id <project>-production-redis is limited to 40)`,
  );
  collect(project);
  const region = at('region');
  region.check(
    isRegion(settings.region),
    settings.region,
    `must be an AWS region like ap-northeast-2${suggestion(settings.region, AWS_REGIONS)}`,
  );
  collect(region);
  if (settings.drRegion !== undefined) {
    const dr = at('drRegion');
    dr.check(
      isRegion(settings.drRegion),
      settings.drRegion,
      `must be an AWS region like us-east-2${suggestion(settings.drRegion, AWS_REGIONS)}`,
    );
    dr.check(
      settings.drRegion !== settings.region,
      settings.drRegion,
      `must differ from the stacks' region ${settings.region} (the copies are for losing that region)`,
    );
    collect(dr);
  }
  const bucket = at('stateBucket');
  for (const problem of s3BucketNameProblems(settings.stateBucket)) {
    bucket.report(settings.stateBucket, `is not a valid S3 bucket name: ${problem}`);
  }
  collect(bucket);
  const table = at('lockTable');
  table.matches(
    settings.lockTable,
    TABLE_PATTERN,
    'must be a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)',
  );
  collect(table);
  for (const env of ENVIRONMENT_NAMES) {
    const ids = at(env === 'staging' ? 'stagingAccountIds' : 'productionAccountIds');
    settings.allowedAccountIds[env].forEach((id, i) =>
      ids.at(i).matches(id, ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id'),
    );
    collect(ids);
  }
  const staging = new Set(settings.allowedAccountIds.staging);
  const production = at('productionAccountIds');
  settings.allowedAccountIds.production.forEach((id, i) =>
    production
      .at(i)
      .check(!staging.has(id), id, 'must not also be a staging account (environments are isolated)'),
  );
  collect(production);
  if (settings.githubRepository !== '') {
    const repo = at('githubRepository');
    repo.matches(
      settings.githubRepository,
      /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/,
      'must be a GitHub owner/repo (no wildcards)',
    );
    collect(repo);
  }
  sink.push(...validateDomainSettings(settings, paths));
  return sink;
}

/** Every problem of one environment's configuration, section by section. */
export function validateEnvironment(cfg: EnvironmentConfig, settings: ProjectSettings): ConfigIssue[] {
  const root = new IssueCollector(String(cfg.name));
  root.check(
    (ENVIRONMENT_NAMES as readonly string[]).includes(cfg.name),
    cfg.name,
    `environment name must be one of ${ENVIRONMENT_NAMES.join(', ')}`,
  );

  validateNetwork(root.at('network'), cfg, settings.region);
  validateSecurity(root, cfg);
  validateEcr(root, cfg);
  validateApi(root, cfg);
  validateAlb(root, cfg, settings);
  validateGpu(root, cfg);
  validateDatabase(root, cfg, settings);
  validateCache(root, cfg);
  validateStorage(root, cfg, settings);
  validateEdge(root, cfg);
  validateEdgeDomain(root, cfg, settings);
  validateMonitoring(root, cfg);
  validateTracing(root, cfg);
  validateOverrides(root, cfg);

  return [...root.issues];
}

/** Instance size rank (nano < micro < ... < 48xlarge), for comparing classes across families. */
function sizeRank(type: string): number {
  const size = type.split('.').pop() ?? '';
  const named = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'].indexOf(size);
  if (named >= 0) return named;
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? 5 + Number(multiple[1]) : -1;
}

/**
 * Rules between the environments: production is never sized below staging, and the two VPCs do
 * not share an address range (they would collide the day they are peered or joined by a transit
 * gateway). Each can be waived in production's `overrides`, with a written reason.
 */
export function validateAcrossEnvironments(environments: readonly EnvironmentConfig[]): ConfigIssue[] {
  const staging = environments.find((e) => e.name === 'staging');
  const production = environments.find((e) => e.name === 'production');
  if (!staging || !production) return [];
  const v = new IssueCollector('production');
  if (!production.overrides.allowSmallerThanStaging) {
    const waiver = '(set production.overrides.allowSmallerThanStaging with a reason to allow it)';
    const notBelow = (path: string, prod: number, stag: number, what = String(stag)) =>
      v.at(path).check(prod >= stag, prod, `must not be smaller than staging's ${what} ${waiver}`);
    notBelow('api.cpu', production.api.cpu, staging.api.cpu);
    notBelow('api.memoryMiB', production.api.memoryMiB, staging.api.memoryMiB);
    notBelow('api.count.desired', production.api.count.desired, staging.api.count.desired);
    notBelow('api.count.max', production.api.count.max, staging.api.count.max);
    const classes = (path: string, prod: string, stag: string) =>
      v
        .at(path)
        .check(
          sizeRank(prod) >= sizeRank(stag),
          prod,
          `must not be a smaller size than staging's ${stag} ${waiver}`,
        );
    classes('database.instanceClass', production.database.instanceClass, staging.database.instanceClass);
    classes('cache.nodeType', production.cache.nodeType, staging.cache.nodeType);
    notBelow(
      'database.allocatedStorageGb',
      production.database.allocatedStorageGb,
      staging.database.allocatedStorageGb,
    );
    for (const fleet of ['modelServer', 'renderWorker'] as const) {
      notBelow(`gpu.${fleet}.count.max`, production.gpu[fleet].count.max, staging.gpu[fleet].count.max);
      classes(
        `gpu.${fleet}.instanceType`,
        production.gpu[fleet].instanceType,
        staging.gpu[fleet].instanceType,
      );
    }
  }
  if (!production.overrides.allowOverlappingVpcCidrs) {
    const ok = Address4.isValid(production.network.vpcCidr) && Address4.isValid(staging.network.vpcCidr);
    if (ok) {
      const p = new Address4(production.network.vpcCidr);
      const s = new Address4(staging.network.vpcCidr);
      v.at('network')
        .at('vpcCidr')
        .check(
          !overlaps(p, s),
          production.network.vpcCidr,
          `overlaps staging.network.vpcCidr ${staging.network.vpcCidr}: the environments need distinct address ranges (set production.overrides.allowOverlappingVpcCidrs with a reason to allow it)`,
        );
    }
  }
  return [...v.issues];
}

/** Every problem of the settings and the environments, each environment alone and together. */
export function configurationIssues(
  settings: ProjectSettings,
  environments: readonly EnvironmentConfig[],
  paths: SettingPaths = SETTINGS_OBJECT_PATHS,
): ConfigIssue[] {
  return [
    ...validateSettings(settings, paths),
    ...environments.flatMap((e) => validateEnvironment(e, settings)),
    ...validateAcrossEnvironments(environments),
    ...validateEnvironments(environments, settings),
  ];
}

/**
 * Rules across environments. IAM holds one OIDC provider per URL and account: the second
 * CreateOpenIDConnectProvider for token.actions.githubusercontent.com in an account fails with
 * EntityAlreadyExists. So at most one environment creates it, unless the environments are pinned
 * to different accounts.
 */
export function validateEnvironments(
  environments: readonly EnvironmentConfig[],
  settings: ProjectSettings,
): ConfigIssue[] {
  if (settings.githubRepository === '') return [];
  const creators = environments.filter((e) => e.cicd.createOidcProvider);
  if (creators.length < 2 || pinnedToSeparateAccounts(settings)) return [];
  const v = new IssueCollector(String(creators[1].name));
  v.at('cicd')
    .at('createOidcProvider')
    .report(
      true,
      `must be false while ${creators[0].name} creates the GitHub OIDC provider and the two are not pinned to different accounts (settings.allowedAccountIds): IAM holds one provider per URL per account, so the second apply would fail with EntityAlreadyExists. Pin both account ids, or let this stack reference ${creators[0].name}'s provider`,
    );
  return [...v.issues];
}

/** Validates settings and every environment together and throws once with all problems. */
export function assertValidConfiguration(
  settings: ProjectSettings,
  environments: readonly EnvironmentConfig[],
): void {
  throwIfIssues(configurationIssues(settings, environments));
}
