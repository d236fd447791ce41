import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { productionConfig, stagingConfig, type EnvironmentConfig } from '../src/config';
import { runSynth } from '../src/tools/synth-command';
import { readCdktfJson } from '../src/tools/synth';
import { treeDigest } from './support/tree-digest';

/**
 * Every channel of bad input, one row each: environment variables, cdktf.json context, the
 * environment config (src/config/environments.ts), tfvars values and tfvars file names. Each
 * must exit 1 with one report naming what the user edits, the value and the rule, print no stack
 * trace, and leave an existing cdktf.out byte for byte as it was.
 */

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
type Env = Mutable<EnvironmentConfig>;

interface BadInput {
  readonly name: string;
  readonly channel: 'env' | 'context' | 'config' | 'tfvars';
  readonly env?: Record<string, string>;
  readonly context?: Record<string, unknown>;
  readonly staging?: (c: Env) => void;
  readonly production?: (c: Env) => void;
  /** Files (relative to the project folder) written before the run. */
  readonly files?: Record<string, string>;
  /** What the user edits, as the report names it. */
  readonly path: string;
  /** The value, as the report prints it. */
  readonly value: string;
  /** The rule (a part of it). */
  readonly rule: string | RegExp;
}

const projectDir = resolve(__dirname, '..');
const context = readCdktfJson(projectDir).context ?? {};
const nameOf24 = 'abcdefghijklmnopqrstuvwx';
const nameOf32 = 'abcdefghijklmnopqrstuvwxyz012345';
const ZONE = 'Z0123456789ABCDEFGHIJ';

const CASES: readonly BadInput[] = [
  // Environment variables
  {
    name: 'a misspelt region',
    channel: 'env',
    env: { ECG_REGION: 'ap-northest-2' },
    path: 'ECG_REGION',
    value: 'ap-northest-2',
    rule: 'did you mean ap-northeast-2?',
  },
  {
    name: 'a region that is a city',
    channel: 'env',
    env: { ECG_REGION: 'Seoul' },
    path: 'ECG_REGION',
    value: 'Seoul',
    rule: 'must be an AWS region',
  },
  {
    name: 'a region that does not exist',
    channel: 'env',
    env: { ECG_REGION: 'ap-northeast-9' },
    path: 'ECG_REGION',
    value: 'ap-northeast-9',
    rule: 'must be an AWS region',
  },
  {
    name: 'a state bucket with two dots in a row',
    channel: 'env',
    env: { ECG_STATE_BUCKET: 'ecg..tfstate' },
    path: 'ECG_STATE_BUCKET',
    value: 'ecg..tfstate',
    rule: /adjacent periods|two periods|consecutive periods/,
  },
  {
    name: 'a state bucket shaped like an IP address',
    channel: 'env',
    env: { ECG_STATE_BUCKET: '192.168.1.10' },
    path: 'ECG_STATE_BUCKET',
    value: '192.168.1.10',
    rule: 'IP address',
  },
  {
    name: 'a state bucket with capitals',
    channel: 'env',
    env: { ECG_STATE_BUCKET: 'Ecg_State' },
    path: 'ECG_STATE_BUCKET',
    value: 'Ecg_State',
    rule: 'is not a valid S3 bucket name',
  },
  {
    name: 'a state bucket with a reserved prefix',
    channel: 'env',
    env: { ECG_STATE_BUCKET: 'xn--ecg-state' },
    path: 'ECG_STATE_BUCKET',
    value: 'xn--ecg-state',
    rule: 'xn--',
  },
  {
    name: 'a state bucket of 2 characters',
    channel: 'env',
    env: { ECG_STATE_BUCKET: 'ab' },
    path: 'ECG_STATE_BUCKET',
    value: 'ab',
    rule: 'is not a valid S3 bucket name',
  },
  {
    name: 'a lockfile switch that is neither true nor false',
    channel: 'env',
    env: { ECG_USE_LOCKFILE: 'maybe' },
    path: 'ECG_USE_LOCKFILE',
    value: 'maybe',
    rule: 'must be true or false',
  },
  {
    name: 'a lockfile switch of yes',
    channel: 'env',
    env: { ECG_USE_LOCKFILE: 'yes' },
    path: 'ECG_USE_LOCKFILE',
    value: 'yes',
    rule: 'must be true or false',
  },
  {
    name: 'a short staging account id',
    channel: 'env',
    env: { ECG_STAGING_ACCOUNT_IDS: '12345' },
    path: 'ECG_STAGING_ACCOUNT_IDS[0]',
    value: '12345',
    rule: 'must be a 12-digit AWS account id',
  },
  {
    name: 'a production account id with letters',
    channel: 'env',
    env: { ECG_PRODUCTION_ACCOUNT_IDS: '12345678901a' },
    path: 'ECG_PRODUCTION_ACCOUNT_IDS[0]',
    value: '12345678901a',
    rule: 'must be a 12-digit AWS account id',
  },
  {
    name: 'one account for both environments',
    channel: 'env',
    env: { ECG_STAGING_ACCOUNT_IDS: '111111111111', ECG_PRODUCTION_ACCOUNT_IDS: '111111111111' },
    path: 'ECG_PRODUCTION_ACCOUNT_IDS[0]',
    value: '111111111111',
    rule: 'must not also be a staging account',
  },
  {
    name: 'a project name with capitals',
    channel: 'env',
    env: { ECG_PROJECT: 'Ecg' },
    path: 'ECG_PROJECT',
    value: 'Ecg',
    rule: 'lowercase letters',
  },
  {
    name: 'a project name of 24 characters (ElastiCache id budget)',
    channel: 'env',
    env: { ECG_PROJECT: nameOf24 },
    path: 'ECG_PROJECT',
    value: nameOf24,
    rule: 'at most 23 fit every generated name',
  },
  {
    name: 'a project name of 32 characters',
    channel: 'env',
    env: { ECG_PROJECT: nameOf32 },
    path: 'ECG_PROJECT',
    value: nameOf32,
    rule: 'at most 23',
  },
  {
    name: 'a project name of 2 characters',
    channel: 'env',
    env: { ECG_PROJECT: 'ab' },
    path: 'ECG_PROJECT',
    value: 'ab',
    rule: 'must be 3-23',
  },
  {
    name: 'a project name with a double hyphen',
    channel: 'env',
    env: { ECG_PROJECT: 'ecg--video' },
    path: 'ECG_PROJECT',
    value: 'ecg--video',
    rule: 'single hyphens',
  },
  {
    name: 'a lock table of 2 characters',
    channel: 'env',
    env: { ECG_LOCK_TABLE: 'ab' },
    path: 'ECG_LOCK_TABLE',
    value: 'ab',
    rule: 'DynamoDB table name',
  },
  {
    name: 'a GitHub repository with a wildcard',
    channel: 'env',
    env: { ECG_GITHUB_REPOSITORY: 'org/*' },
    path: 'ECG_GITHUB_REPOSITORY',
    value: 'org/*',
    rule: 'owner/repo',
  },
  {
    name: 'a disaster-recovery region that is the stack region (stack moved, copies not)',
    channel: 'env',
    env: { ECG_REGION: 'us-west-2', ECG_DR_REGION: 'us-west-2' },
    path: 'ECG_DR_REGION',
    value: 'us-west-2',
    rule: "must differ from the stacks' region us-west-2",
  },
  {
    name: 'a misspelt disaster-recovery region',
    channel: 'env',
    env: { ECG_DR_REGION: 'us-eas-2' },
    path: 'ECG_DR_REGION',
    value: 'us-eas-2',
    rule: 'must be an AWS region like us-east-2 (did you mean us-east-2?)',
  },
  {
    name: 'the stack moved into the preset second region without ECG_DR_REGION',
    channel: 'env',
    env: { ECG_REGION: 'us-west-2' },
    path: 'production.storage.replicaRegion',
    value: 'us-west-2',
    rule: 'sets ECG_DR_REGION to a third region',
  },
  {
    name: 'a domain given as a URL',
    channel: 'env',
    env: { ECG_DOMAIN_NAME: 'https://example.com', ECG_HOSTED_ZONE_ID: ZONE },
    path: 'ECG_DOMAIN_NAME',
    value: 'https://example.com',
    rule: 'each label is 1-63 letters, digits or hyphens',
  },
  {
    name: 'a domain of one label',
    channel: 'env',
    env: { ECG_DOMAIN_NAME: 'localhost', ECG_HOSTED_ZONE_ID: ZONE },
    path: 'ECG_DOMAIN_NAME',
    value: 'localhost',
    rule: 'must have at least two labels',
  },
  {
    name: 'a hosted zone id without a domain',
    channel: 'env',
    env: { ECG_HOSTED_ZONE_ID: ZONE },
    path: 'cdktf.json context.domainName',
    value: '(unset)',
    rule: 'needs domainName and hostedZoneId together',
  },
  {
    name: 'a domain without a hosted zone id',
    channel: 'env',
    env: { ECG_DOMAIN_NAME: 'example.com' },
    path: 'cdktf.json context.hostedZoneId',
    value: '(unset)',
    rule: 'needs domainName and hostedZoneId together',
  },
  {
    name: 'a hosted zone id copied with its /hostedzone/ prefix',
    channel: 'env',
    env: { ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: `/hostedzone/${ZONE}` },
    path: 'ECG_HOSTED_ZONE_ID',
    value: `/hostedzone/${ZONE}`,
    rule: 'without /hostedzone/',
  },
  {
    name: 'one hosted zone for environments pinned to different accounts',
    channel: 'env',
    env: {
      ECG_DOMAIN_NAME: 'example.com',
      ECG_HOSTED_ZONE_ID: ZONE,
      ECG_STAGING_ACCOUNT_IDS: '111111111111',
      ECG_PRODUCTION_ACCOUNT_IDS: '222222222222',
    },
    path: 'ECG_HOSTED_ZONE_ID',
    value: ZONE,
    rule: 'a hosted zone belongs to one account',
  },
  {
    name: 'a domain the named hosted zone cannot hold',
    channel: 'context',
    context: { domainName: 'app.example.com', hostedZoneId: ZONE, hostedZoneName: 'example.org' },
    path: 'cdktf.json context.domainName',
    value: 'app.example.com',
    rule: 'is not within the hosted zone example.org (hostedZoneName)',
  },
  {
    name: "staging's name outside the zone that holds the domain",
    channel: 'config',
    env: { ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: ZONE },
    staging: (c) => void (c.edge.domainName = 'staging.example.org'),
    path: 'staging.edge.domainName',
    value: 'staging.example.org',
    rule: `is not within example.com (domainName, the one name the zone is known to hold`,
  },
  {
    name: 'a domain whose staging name is too long for an ACM certificate',
    channel: 'env',
    env: { ECG_DOMAIN_NAME: `${'a'.repeat(50)}.example.com`, ECG_HOSTED_ZONE_ID: ZONE },
    path: 'staging.edge.domainName',
    value: `staging.${'a'.repeat(50)}.example.com`,
    rule: "an ACM certificate's domain name has at most 64",
  },
  {
    name: 'an environment domain without the domain settings',
    channel: 'config',
    staging: (c) => void (c.edge.domainName = 'staging.example.com'),
    path: 'staging.edge.domainName',
    value: 'staging.example.com',
    rule: 'needs the domainName and hostedZoneId settings',
  },
  {
    name: 'a WAF country list that blocks all but one health checker region',
    channel: 'config',
    env: { ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: ZONE },
    production: (c) => void (c.edge.allowedCountries = ['KR', 'JP']),
    path: 'production.edge.allowedCountries',
    value: '["KR","JP"]',
    rule: 'lets Route 53 health checkers in only 1 region(s) (ap-northeast-1)',
  },
  {
    name: 'a tfvars folder that does not exist',
    channel: 'env',
    env: { ECG_TFVARS_DIR: '/nonexistent' },
    path: 'ECG_TFVARS_DIR',
    value: '/nonexistent',
    rule: 'must name an existing folder',
  },
  {
    name: 'a misspelt variable',
    channel: 'env',
    env: { ECG_REGOIN: 'ap-northeast-2' },
    path: 'ECG_REGOIN',
    value: 'ap-northeast-2',
    rule: 'did you mean ECG_REGION?',
  },
  {
    name: 'an unknown variable',
    channel: 'env',
    env: { ECG_DEBUG: '1' },
    path: 'ECG_DEBUG',
    value: '1',
    rule: 'is not a variable this project reads',
  },
  // cdktf.json context
  {
    name: 'a context key typo (falls back to the shared default bucket)',
    channel: 'context',
    context: { statebucket: 'my-state' },
    path: 'cdktf.json context.statebucket',
    value: 'my-state',
    rule: 'did you mean stateBucket?',
  },
  {
    name: 'an unknown context key',
    channel: 'context',
    context: { debug: true },
    path: 'cdktf.json context.debug',
    value: 'true',
    rule: 'is not a setting of this project',
  },
  {
    name: 'a context region that does not exist',
    channel: 'context',
    context: { region: 'eu-north-9' },
    path: 'cdktf.json context.region',
    value: 'eu-north-9',
    rule: 'must be an AWS region',
  },
  {
    name: 'a context lockfile switch that is a number',
    channel: 'context',
    context: { useLockfile: 1 },
    path: 'cdktf.json context.useLockfile',
    value: '1',
    rule: 'must be true or false',
  },
  {
    name: 'context account ids that are a number',
    channel: 'context',
    context: { stagingAccountIds: 123456789012 },
    path: 'cdktf.json context.stagingAccountIds',
    value: '123456789012',
    rule: 'must be a list of account ids',
  },
  {
    name: 'a context project that is a number',
    channel: 'context',
    context: { project: 42 },
    path: 'cdktf.json context.project',
    value: '42',
    rule: 'must be a string',
  },
  {
    name: 'a context state bucket ending in -s3alias',
    channel: 'context',
    context: { stateBucket: 'ecg-state-s3alias' },
    path: 'cdktf.json context.stateBucket',
    value: 'ecg-state-s3alias',
    rule: '-s3alias',
  },
  {
    name: 'a context GitHub repository without owner',
    channel: 'context',
    context: { githubRepository: 'infra' },
    path: 'cdktf.json context.githubRepository',
    value: 'infra',
    rule: 'owner/repo',
  },
  // Environment config
  {
    name: 'a CPU alarm threshold over 100 %',
    channel: 'config',
    production: (c) => void (c.monitoring.ecsCpuPercent = 150),
    path: 'production.monitoring.ecsCpuPercent',
    value: '150',
    rule: 'is a percentage',
  },
  {
    name: 'a negative alarm threshold',
    channel: 'config',
    staging: (c) => void (c.monitoring.rdsConnections = -1),
    path: 'staging.monitoring.rdsConnections',
    value: '-1',
    rule: 'must be a positive number',
  },
  {
    name: 'a GPU disk alarm threshold over 100 %',
    channel: 'config',
    staging: (c) => void (c.monitoring.gpuDiskUsedPercent = 120),
    path: 'staging.monitoring.gpuDiskUsedPercent',
    value: '120',
    rule: 'is a percentage',
  },
  {
    name: 'a trace sampling rate above 1 (X-Ray SamplingRule FixedRate)',
    channel: 'config',
    production: (c) => void (c.tracing.fixedRate = 5),
    path: 'production.tracing.fixedRate',
    value: '5',
    rule: 'must be a share from 0 to 1',
  },
  {
    name: 'a fractional trace reservoir (X-Ray SamplingRule ReservoirSize)',
    channel: 'config',
    staging: (c) => void (c.tracing.reservoirPerSecond = 1.5),
    path: 'staging.tracing.reservoirPerSecond',
    value: '1.5',
    rule: 'integer',
  },
  {
    name: 'a render fleet of 0/0/0',
    channel: 'config',
    staging: (c) => void (c.gpu.renderWorker.count = { min: 0, desired: 0, max: 0 }),
    path: 'staging.gpu.renderWorker.count.max',
    value: '0',
    rule: 'must be an integer from 1',
  },
  {
    name: 'min above max (reported on min, not desired)',
    channel: 'config',
    staging: (c) => void (c.api.count = { min: 5, desired: 5, max: 2 }),
    path: 'staging.api.count.min',
    value: '5',
    rule: 'must not exceed max (2)',
  },
  {
    name: 'desired outside min and max',
    channel: 'config',
    production: (c) => void (c.api.count = { min: 2, desired: 20, max: 10 }),
    path: 'production.api.count.desired',
    value: '20',
    rule: 'must be from min to max (2 to 10)',
  },
  {
    name: 'an empty API container name',
    channel: 'config',
    staging: (c) => void (c.api.containerName = ''),
    path: 'staging.api.containerName',
    value: '""',
    rule: 'must be 1-255 letters',
  },
  {
    name: 'a GPU instance type that does not exist',
    channel: 'config',
    staging: (c) => void (c.gpu.renderWorker.instanceType = 'g4dn.huge'),
    path: 'staging.gpu.renderWorker.instanceType',
    value: 'g4dn.huge',
    rule: 'is not an EC2 instance type',
  },
  {
    name: 'an Arm GPU type with the x86_64 AMI',
    channel: 'config',
    production: (c) => void (c.gpu.modelServer.instanceType = 'g5g.xlarge'),
    path: 'production.gpu.modelServer.instanceType',
    value: 'g5g.xlarge',
    rule: 'arm64',
  },
  {
    name: 'a CPU instance type for a GPU fleet',
    channel: 'config',
    staging: (c) => void (c.gpu.modelServer.instanceType = 'm5.xlarge'),
    path: 'staging.gpu.modelServer.instanceType',
    value: 'm5.xlarge',
    rule: 'GPU',
  },
  {
    name: 'an RDS class that does not exist',
    channel: 'config',
    staging: (c) => void (c.database.instanceClass = 'db.t4g.huge'),
    path: 'staging.database.instanceClass',
    value: 'db.t4g.huge',
    rule: 'PostgreSQL',
  },
  {
    name: 'a cache node type that does not exist',
    channel: 'config',
    staging: (c) => void (c.cache.nodeType = 'cache.t4g.huge'),
    path: 'staging.cache.nodeType',
    value: 'cache.t4g.huge',
    rule: 'ElastiCache node type',
  },
  {
    name: 'a Redis version that does not exist',
    channel: 'config',
    staging: (c) => void (c.cache.engineVersion = '7.9'),
    path: 'staging.cache.engineVersion',
    value: '7.9',
    rule: 'Redis',
  },
  {
    name: 'a PostgreSQL minor version that does not exist',
    channel: 'config',
    production: (c) => void (c.database.engineVersion = '15.99'),
    path: 'production.database.engineVersion',
    value: '15.99',
    rule: 'is not a PostgreSQL version RDS offers: 15 (the default minor) or',
  },
  {
    // RDS storage autoscaling: the limit is at least 10 % above the allocated storage.
    name: 'a storage autoscaling limit less than 10 % above the allocation',
    channel: 'config',
    production: (c) => {
      c.database.allocatedStorageGb = 100;
      c.database.maxAllocatedStorageGb = 105;
    },
    path: 'production.database.maxAllocatedStorageGb',
    value: '105',
    rule: 'must equal allocatedStorageGb (100, autoscaling off) or be at least 10% more, up to 65536',
  },
  {
    name: 'a WAF country that does not exist',
    channel: 'config',
    production: (c) => void (c.edge.allowedCountries = ['KR', 'XX']),
    path: 'production.edge.allowedCountries[1]',
    value: 'XX',
    rule: 'country code',
  },
  {
    name: 'production with less API CPU than staging',
    channel: 'config',
    production: (c) => void (c.api = { ...c.api, cpu: 256, memoryMiB: 512 }),
    path: 'production.api.cpu',
    value: '256',
    rule: "must not be smaller than staging's 512",
  },
  {
    name: 'production with fewer tasks than staging',
    channel: 'config',
    production: (c) => void (c.api.count = { min: 1, desired: 1, max: 1 }),
    path: 'production.api.count.max',
    value: '1',
    rule: "must not be smaller than staging's 2",
  },
  {
    name: 'production on a smaller database than staging',
    channel: 'config',
    staging: (c) => void (c.database.instanceClass = 'db.t4g.small'),
    production: (c) => void (c.database.instanceClass = 'db.t3.micro'),
    path: 'production.database.instanceClass',
    value: 'db.t3.micro',
    rule: "smaller size than staging's db.t4g.small",
  },
  {
    name: 'one VPC range for both environments',
    channel: 'config',
    production: (c) =>
      void (c.network = {
        ...(structuredClone(stagingConfig({ region: 'ap-northeast-2' }).network) as Env['network']),
        natGateways: 'one-per-az',
        flowLogs: true,
      }),
    path: 'production.network.vpcCidr',
    value: '10.1.0.0/16',
    rule: 'overlaps staging.network.vpcCidr',
  },
  {
    name: 'a VPC CIDR that is not a CIDR',
    channel: 'config',
    staging: (c) => void (c.network.vpcCidr = '10.1.0.0'),
    path: 'staging.network.vpcCidr',
    value: '10.1.0.0',
    rule: 'must be an IPv4 CIDR',
  },
  {
    name: 'overlapping subnets',
    channel: 'config',
    production: (c) => void (c.network.privateSubnets = ['10.0.1.0/24', '10.0.20.0/24']),
    path: 'production.network.privateSubnets[0]',
    value: '10.0.1.0/24',
    rule: 'overlaps publicSubnets[0]',
  },
  {
    name: 'an AZ of another region',
    channel: 'config',
    staging: (c) => void (c.network.availabilityZones = ['us-east-1a', 'ap-northeast-2c']),
    path: 'staging.network.availabilityZones[0]',
    value: 'us-east-1a',
    rule: 'must be an availability zone of region ap-northeast-2',
  },
  {
    name: 'a Fargate CPU value that does not exist',
    channel: 'config',
    staging: (c) => void (c.api.cpu = 300),
    path: 'staging.api.cpu',
    value: '300',
    rule: 'must be a Fargate CPU value',
  },
  {
    name: 'a Fargate memory size the CPU does not allow',
    channel: 'config',
    staging: (c) => void (c.api.memoryMiB = 512),
    path: 'staging.api.memoryMiB',
    value: '512',
    rule: 'is not a Fargate memory size allowed with cpu 512',
  },
  {
    name: 'a log retention CloudWatch does not offer',
    channel: 'config',
    staging: (c) => void (c.api.logRetentionDays = 8),
    path: 'staging.api.logRetentionDays',
    value: '8',
    rule: 'retention values',
  },
  {
    name: 'a reserved database user name',
    channel: 'config',
    staging: (c) => void (c.database.masterUsername = 'postgres'),
    path: 'staging.database.masterUsername',
    value: 'postgres',
    rule: 'is a reserved user name',
  },
  {
    name: 'a single-AZ production database without override',
    channel: 'config',
    production: (c) => void (c.database.multiAz = false),
    path: 'production.database.multiAz',
    value: 'false',
    rule: 'overrides.allowSingleAzDatabase',
  },
  {
    name: 'a master secret rotated every 0 days (Secrets Manager: 1-1000)',
    channel: 'config',
    staging: (c) => void (c.database.masterPasswordRotationDays = 0),
    path: 'staging.database.masterPasswordRotationDays',
    value: '0',
    rule: 'must be an integer from 1 to 1000',
  },
  {
    name: 'a production master secret rotated less often than every 30 days',
    channel: 'config',
    production: (c) => void (c.database.masterPasswordRotationDays = 90),
    path: 'production.database.masterPasswordRotationDays',
    value: '90',
    rule: 'must be at most 30 in production',
  },
  {
    name: 'a backup replica region that is the stack region',
    channel: 'config',
    staging: (c) => void (c.database.backupReplicaRegion = 'ap-northeast-2'),
    path: 'staging.database.backupReplicaRegion',
    value: 'ap-northeast-2',
    rule: "must differ from the stack's region ap-northeast-2",
  },
  {
    name: 'production without a backup replica region',
    channel: 'config',
    production: (c) => void (c.database.backupReplicaRegion = ''),
    path: 'production.database.backupReplicaRegion',
    value: '""',
    rule: 'must name a second region in production',
  },
  {
    name: 'replicated backups kept 40 days (RDS: 1-35)',
    channel: 'config',
    production: (c) => void (c.database.backupReplicaRetentionDays = 40),
    path: 'production.database.backupReplicaRetentionDays',
    value: '40',
    rule: 'must be an integer from 1 to 35',
  },
  {
    name: 'a misspelt replica region',
    channel: 'config',
    production: (c) => void (c.storage.replicaRegion = 'us-west-3'),
    path: 'production.storage.replicaRegion',
    value: 'us-west-3',
    rule: 'must be an AWS region like us-west-2',
  },
  {
    name: 'Replication Time Control without a replica',
    channel: 'config',
    staging: (c) => void (c.storage.replicationTimeControl = true),
    path: 'staging.storage.replicationTimeControl',
    value: 'true',
    rule: 'needs storage.replicaRegion',
  },
  {
    name: 'backups and the video replica in two different second regions',
    channel: 'config',
    production: (c) => void (c.database.backupReplicaRegion = 'us-east-2'),
    path: 'production.database.backupReplicaRegion',
    value: 'us-east-2',
    rule: 'must be the region of storage.replicaRegion (us-west-2)',
  },
  {
    name: 'a cache of 0 nodes',
    channel: 'config',
    staging: (c) => void (c.cache.nodeCount = 0),
    path: 'staging.cache.nodeCount',
    value: '0',
    rule: 'must be an integer from 1 to 6',
  },
  {
    name: 'CORS * (the video bucket allows PUT, POST and DELETE)',
    channel: 'config',
    staging: (c) => void (c.storage.corsAllowedOrigins = ['cloudfront', '*']),
    path: 'staging.storage.corsAllowedOrigins[1]',
    value: '*',
    rule: 'must name an origin, not *',
  },
  {
    name: 'a localhost CORS origin in production',
    channel: 'config',
    production: (c) => void (c.storage.corsAllowedOrigins = ['cloudfront', 'http://localhost:3000']),
    path: 'production.storage.corsAllowedOrigins[1]',
    value: 'http://localhost:3000',
    rule: 'allowed in staging only',
  },
  {
    name: 'an ALB TLS policy older than TLS 1.2',
    channel: 'config',
    production: (c) => void (c.alb.sslPolicy = 'ELBSecurityPolicy-2016-08'),
    path: 'production.alb.sslPolicy',
    value: 'ELBSecurityPolicy-2016-08',
    rule: 'TLS 1.2',
  },
  {
    name: 'a CloudFront certificate outside us-east-1',
    channel: 'config',
    production: (c) =>
      void (c.edge = {
        ...c.edge,
        aliases: ['video.example.com'],
        acmCertificateArn: 'arn:aws:acm:ap-northeast-2:123456789012:certificate/abc',
      }),
    path: 'production.edge.acmCertificateArn',
    value: 'arn:aws:acm:ap-northeast-2:123456789012:certificate/abc',
    rule: 'us-east-1',
  },
  {
    name: 'an override without a reason',
    channel: 'config',
    production: (c) => void (c.overrides = { allowSingleAzDatabase: { reason: 'no' } }),
    path: 'production.overrides.allowSingleAzDatabase.reason',
    value: 'no',
    rule: 'must explain the exception',
  },
  {
    name: 'a health check timeout not below its interval',
    channel: 'config',
    staging: (c) => void (c.alb.healthCheck = { ...c.alb.healthCheck, timeoutSeconds: 30 }),
    path: 'staging.alb.healthCheck.timeoutSeconds',
    value: '30',
    rule: 'must be less than intervalSeconds (30)',
  },
  {
    name: 'a backup window that is not a window',
    channel: 'config',
    staging: (c) => void (c.database.backupWindow = '3am'),
    path: 'staging.database.backupWindow',
    value: '3am',
    rule: 'must be hh24:mi-hh24:mi',
  },
  {
    name: 'an unknown NAT gateway mode',
    channel: 'config',
    staging: (c) => void (c.network.natGateways = 'many' as 'single'),
    path: 'staging.network.natGateways',
    value: 'many',
    rule: 'must be one of single, one-per-az',
  },
  {
    name: 'production without S3 access logging (policy pack)',
    channel: 'config',
    production: (c) => void (c.storage.accessLogging = false),
    path: 'production.storage.accessLogging',
    value: 'false',
    rule: /breaks policy ECG-S3-04 .*src\/policies\/suppressions\.ts: \{ ruleId: 'ECG-S3-04'/,
  },
  {
    name: 'an Arm Spot fallback type for the x86_64 AMI',
    channel: 'config',
    production: (c) => void (c.gpu.renderWorker.fallbackInstanceTypes = ['g5.2xlarge', 'g5g.2xlarge']),
    path: 'production.gpu.renderWorker.fallbackInstanceTypes[1]',
    value: 'g5g.2xlarge',
    rule: 'is arm64, but the AMI (amiSsmParameter) is x86_64',
  },
  {
    name: 'a schedule cron of 4 fields',
    channel: 'config',
    production: (c) => void (c.gpu.renderWorker.schedules[0].recurrence = '0 9 * MON-FRI'),
    path: 'production.gpu.renderWorker.schedules[0].recurrence',
    value: '0 9 * MON-FRI',
    rule: 'has 4 fields; a cron recurrence has 5',
  },
  {
    name: 'a scheduled minimum above the group maximum',
    channel: 'config',
    production: (c) => void (c.gpu.renderWorker.schedules[0].minSize = 20),
    path: 'production.gpu.renderWorker.schedules[0].minSize',
    value: '20',
    rule: 'must be an integer from 0 to 8',
  },
  {
    name: 'a schedule time zone that does not exist',
    channel: 'config',
    production: (c) => void (c.gpu.renderWorker.scheduleTimeZone = 'Asia/Seol'),
    path: 'production.gpu.renderWorker.scheduleTimeZone',
    value: 'Asia/Seol',
    rule: 'must be an IANA time zone like Asia/Seoul (did you mean Asia/Seoul?)',
  },
  {
    name: 'an on-demand base above the group maximum',
    channel: 'config',
    production: (c) => void (c.gpu.renderWorker.onDemandBaseCapacity = 9),
    path: 'production.gpu.renderWorker.onDemandBaseCapacity',
    value: '9',
    rule: 'must be an integer from 0 to 8',
  },
  {
    name: 'a GPU root volume smaller than the DLAMI snapshot',
    channel: 'config',
    staging: (c) => void (c.gpu.modelServer.rootVolumeGb = 50),
    path: 'staging.gpu.modelServer.rootVolumeGb',
    value: '50',
    rule: "must be an integer from 100 to 16384: EC2 refuses a root volume smaller than the AMI's snapshot",
  },
  {
    name: 'a render queue list that is empty (the metric would stay 0)',
    channel: 'config',
    staging: (c) => {
      if (c.gpu.renderWorker.scaling.kind === 'queue-depth') c.gpu.renderWorker.scaling.queues = [];
    },
    path: 'staging.gpu.renderWorker.scaling.queues',
    value: '[]',
    rule: 'must list at least one Celery queue',
  },
  {
    name: 'render broker priority steps out of order (kombu bisects them)',
    channel: 'config',
    staging: (c) => {
      const s = c.gpu.renderWorker.scaling;
      if (s.kind === 'queue-depth') s.brokerTransportOptions.prioritySteps = [0, 9, 3];
    },
    path: 'staging.gpu.renderWorker.scaling.brokerTransportOptions.prioritySteps',
    value: '[0,9,3]',
    rule: 'must be in ascending order with no step twice',
  },
  {
    name: 'a render broker priority step above 9 (kombu clamps priorities to 0-9)',
    channel: 'config',
    production: (c) => {
      const s = c.gpu.renderWorker.scaling;
      if (s.kind === 'queue-depth') s.brokerTransportOptions.prioritySteps = [0, 5, 10];
    },
    path: 'production.gpu.renderWorker.scaling.brokerTransportOptions.prioritySteps[2]',
    value: '10',
    rule: 'must be an integer from 0 to 9',
  },
  {
    name: 'an empty render broker separator',
    channel: 'config',
    staging: (c) => {
      const s = c.gpu.renderWorker.scaling;
      if (s.kind === 'queue-depth') s.brokerTransportOptions.sep = '';
    },
    path: 'staging.gpu.renderWorker.scaling.brokerTransportOptions.sep',
    value: '""',
    rule: 'must be 1 to 16 characters',
  },
  {
    name: 'a render broker separator inside a queue name',
    channel: 'config',
    staging: (c) => {
      const s = c.gpu.renderWorker.scaling;
      if (s.kind !== 'queue-depth') return;
      s.queues = ['render:gpu'];
      s.brokerTransportOptions.sep = ':';
    },
    path: 'staging.gpu.renderWorker.scaling.brokerTransportOptions.sep',
    value: '":"',
    rule: 'occurs in the queue name render:gpu',
  },
  {
    name: 'a render broker key prefix with a space',
    channel: 'config',
    production: (c) => {
      const s = c.gpu.renderWorker.scaling;
      if (s.kind === 'queue-depth') s.brokerTransportOptions.globalKeyprefix = 'my app:';
    },
    path: 'production.gpu.renderWorker.scaling.brokerTransportOptions.globalKeyprefix',
    value: 'my app:',
    rule: 'printable ASCII characters without spaces',
  },
  // tfvars
  {
    name: 'latest as a production tag (IMMUTABLE repositories take it once)',
    channel: 'tfvars',
    files: { 'tfvars/production.tfvars': 'render_worker_image_tag = "latest"\n' },
    path: 'tfvars/production.tfvars render_worker_image_tag',
    value: 'latest',
    rule: 'must be an explicit tag such as the git SHA, not latest',
  },
  {
    name: 'latest in terraform.tfvars, which production reads too',
    channel: 'tfvars',
    files: { 'terraform.tfvars': 'api_image_tag = "latest"\n' },
    path: 'terraform.tfvars api_image_tag',
    value: 'latest',
    rule: /not latest.*\(in production\)$/,
  },
  {
    name: 'a tfvars file for a stack that does not exist',
    channel: 'tfvars',
    files: { 'tfvars/stagign.tfvars': 'api_image_tag = "v1"\n' },
    path: 'tfvars/stagign.tfvars',
    value: 'stagign',
    rule: 'did you mean staging?',
  },
  {
    name: 'a misspelt tfvars variable',
    channel: 'tfvars',
    files: { 'terraform.tfvars': '# tags\napi_imagetag = "v1"\n' },
    path: 'terraform.tfvars api_imagetag',
    value: '(line 2)',
    rule: 'did you mean api_image_tag?',
  },
  {
    name: 'an empty SSH CIDR',
    channel: 'tfvars',
    files: { 'tfvars/staging.tfvars': 'ssh_allowed_cidrs = [""]\n' },
    path: 'tfvars/staging.tfvars ssh_allowed_cidrs',
    value: '[""]',
    rule: 'must be IPv4 CIDRs no wider than /16',
  },
  {
    name: 'SSH open to the world',
    channel: 'tfvars',
    files: { 'terraform.tfvars': 'ssh_allowed_cidrs = [\n  "10.0.0.0/24",\n  "0.0.0.0/0",\n]\n' },
    path: 'terraform.tfvars ssh_allowed_cidrs',
    value: '["10.0.0.0/24","0.0.0.0/0"]',
    rule: 'never 0.0.0.0/0',
  },
  {
    name: 'an alarm e-mail that is not an address',
    channel: 'tfvars',
    files: { 'terraform.tfvars': 'alarm_email = "ops"\n' },
    path: 'terraform.tfvars alarm_email',
    value: 'ops',
    rule: 'must be empty or an e-mail address',
  },
  {
    name: 'a public ALB in production without the override',
    channel: 'config',
    production: (c) => void (c.alb.internetFacing = true),
    path: 'production.alb.internetFacing',
    value: 'true',
    rule: 'set overrides.allowPublicAlb with a reason',
  },
  {
    name: 'a public ALB in production (with the override) without the origin header',
    channel: 'config',
    production: (c) => {
      c.alb.internetFacing = true;
      c.overrides = { allowPublicAlb: { reason: 'VPC origins are not available in this region' } };
    },
    path: 'production.alb.requireOriginHeader',
    value: 'false',
    rule: 'must be true for an internet-facing ALB in production',
  },
  {
    name: 'an origin header on an internal ALB',
    channel: 'config',
    staging: (c) => {
      c.alb.internetFacing = false;
      c.alb.requireOriginHeader = true;
    },
    path: 'staging.alb.requireOriginHeader',
    value: 'true',
    rule: 'an internal ALB is reachable only through the CloudFront VPC origin',
  },
  {
    name: 'a public-ALB override without a reason',
    channel: 'config',
    production: (c) => void (c.overrides = { allowPublicAlb: { reason: 'ok' } }),
    path: 'production.overrides.allowPublicAlb.reason',
    value: 'ok',
    rule: 'must explain the exception',
  },
  {
    name: 'HTTPS to an internal ALB without an origin domain name its certificate covers',
    channel: 'config',
    production: (c) =>
      void (c.alb.certificateArn =
        'arn:aws:acm:ap-northeast-2:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab'),
    path: 'production.alb.originDomainName',
    value: '(unset)',
    rule: 'CloudFront checks the origin certificate against the origin domain name',
  },
  {
    name: 'an origin domain name on a public ALB',
    channel: 'config',
    staging: (c) => void (c.alb.originDomainName = 'api-origin.example.com'),
    path: 'staging.alb.originDomainName',
    value: 'api-origin.example.com',
    rule: 'needs internetFacing false and certificateArn',
  },
  {
    name: 'a domain health-check path outside /api/ (CloudFront sends only /api/* to the API)',
    channel: 'config',
    production: (c) => void (c.edge.apiHealthCheckPath = '/health'),
    path: 'production.edge.apiHealthCheckPath',
    value: '/health',
    rule: 'must be a path under /api/',
  },
  {
    name: 'a WAF upload path without a leading slash',
    channel: 'config',
    production: (c) => void (c.edge.wafUploadPaths = ['api/uploads']),
    path: 'production.edge.wafUploadPaths[0]',
    value: 'api/uploads',
    rule: 'must be a URI path like /api/uploads',
  },
  {
    name: 'a WAF body-size exempt path listed twice',
    channel: 'config',
    production: (c) => void (c.edge.wafUploadPaths = ['/api/uploads', '/api/uploads']),
    path: 'production.edge.wafUploadPaths[1]',
    value: '/api/uploads',
    rule: 'is listed twice',
  },
  {
    name: 'WAF body-size exempt paths without a WAF',
    channel: 'config',
    staging: (c) => void (c.edge.wafUploadPaths = ['/api/uploads']),
    path: 'staging.edge.wafUploadPaths',
    value: '["/api/uploads"]',
    rule: 'needs waf: true',
  },
  // Schema: types, unknown keys, removed keys (the app runs through a loader that does not type-check)
  {
    name: 'a misspelt key (transferAccelaration) that would leave acceleration off',
    channel: 'config',
    production: (c) => void ((c.storage as Record<string, unknown>).transferAccelaration = true),
    path: 'production.storage.transferAccelaration',
    value: 'true',
    rule: 'did you mean transferAcceleration?',
  },
  {
    name: 'multiAZ instead of multiAz',
    channel: 'config',
    production: (c) => void ((c.database as Record<string, unknown>).multiAZ = true),
    path: 'production.database.multiAZ',
    value: 'true',
    rule: 'did you mean multiAz?',
  },
  {
    name: "spot: 'false' (a string, which is truthy)",
    channel: 'config',
    production: (c) => void ((c.gpu.modelServer as Record<string, unknown>).spot = 'false'),
    path: 'production.gpu.modelServer.spot',
    value: 'false',
    rule: 'is a string: must be true or false',
  },
  {
    name: "a percentage written '80%'",
    channel: 'config',
    staging: (c) => void ((c.monitoring as Record<string, unknown>).ecsCpuPercent = '80%'),
    path: 'staging.monitoring.ecsCpuPercent',
    value: '80%',
    rule: 'is a string: must be a number',
  },
  {
    name: 'a required key deleted',
    channel: 'config',
    staging: (c) => void delete (c.alb as Partial<Env['alb']>).idleTimeoutSeconds,
    path: 'staging.alb.idleTimeoutSeconds',
    value: '(unset)',
    rule: 'is required: a number',
  },
  {
    name: 'a NAT gateway mode that is not one of the two',
    channel: 'config',
    staging: (c) => void ((c.network as Record<string, unknown>).natGateways = 'one-per-zone'),
    path: 'staging.network.natGateways',
    value: 'one-per-zone',
    rule: 'must be one of single, one-per-az',
  },
  {
    name: 'security.sshAllowedCidrs, removed (it never reached the servers)',
    channel: 'config',
    staging: (c) => void ((c.security as Record<string, unknown>).sshAllowedCidrs = ['10.0.0.0/24']),
    path: 'staging.security.sshAllowedCidrs',
    value: '["10.0.0.0/24"]',
    rule: 'tfvars variable ssh_allowed_cidrs',
  },
  // Cross-field and AWS rules
  {
    name: 'a container port the health check does not call',
    channel: 'config',
    staging: (c) => void (c.api.containerPort = 8081),
    path: 'staging.api.healthCheck.command',
    value: 'CMD-SHELL curl -f http://localhost:8000/health || exit 1',
    rule: 'calls port 8000, but api.containerPort is 8081',
  },
  {
    name: 'a container port other than the security-group port',
    channel: 'config',
    staging: (c) => void (c.api.containerPort = 8081),
    path: 'staging.api.containerPort',
    value: '8081',
    rule: 'must equal security.ports.api (8000)',
  },
  {
    name: 'an availability zone Seoul does not have (ap-northeast-2e)',
    channel: 'config',
    production: (c) => void (c.network.availabilityZones = ['ap-northeast-2a', 'ap-northeast-2e']),
    path: 'production.network.availabilityZones[1]',
    value: 'ap-northeast-2e',
    rule: 'is not an availability zone of ap-northeast-2, which has ap-northeast-2a, ap-northeast-2b, ap-northeast-2c, ap-northeast-2d',
  },
  {
    name: 'ca-central-1, whose default second zone (ca-central-1c) does not exist',
    channel: 'env',
    env: { ECG_REGION: 'ca-central-1' },
    path: 'staging.network.availabilityZones[1]',
    value: 'ca-central-1c',
    rule: 'which has ca-central-1a, ca-central-1b, ca-central-1d',
  },
  {
    name: 'an availability zone with a trailing space',
    channel: 'config',
    staging: (c) => void (c.network.availabilityZones = ['ap-northeast-2a', 'ap-northeast-2c ']),
    path: 'staging.network.availabilityZones[1]',
    value: '"ap-northeast-2c "',
    rule: 'ends with a space',
  },
  {
    name: 'a China region (arn:aws-cn, no us-east-1)',
    channel: 'env',
    env: { ECG_REGION: 'cn-north-1' },
    path: 'ECG_REGION',
    value: 'cn-north-1',
    rule: 'is a China (aws-cn) region',
  },
  {
    name: 'a GovCloud region',
    channel: 'context',
    context: { region: 'us-gov-west-1' },
    path: 'cdktf.json context.region',
    value: 'us-gov-west-1',
    rule: 'is a GovCloud (aws-us-gov) region',
  },
  {
    name: 'a China disaster-recovery region',
    channel: 'env',
    env: { ECG_DR_REGION: 'cn-northwest-1' },
    path: 'ECG_DR_REGION',
    value: 'cn-northwest-1',
    rule: 'is a China (aws-cn) region',
  },
  {
    name: 'a region with a trailing space (not "did you mean" the same text)',
    channel: 'env',
    env: { ECG_REGION: 'ap-northeast-2 ' },
    path: 'ECG_REGION',
    value: '"ap-northeast-2 "',
    rule: 'must be an AWS region like ap-northeast-2 (the value ends with a space)',
  },
  {
    name: 'a region with a zero-width space',
    channel: 'context',
    context: { region: 'ap-northeast-2\u200b' },
    path: 'cdktf.json context.region',
    value: '"ap-northeast-2\u200b"',
    rule: 'contains a zero-width space (U+200B)',
  },
  {
    name: 'a project name with a non-breaking space',
    channel: 'env',
    env: { ECG_PROJECT: 'ecg\u00a0video' },
    path: 'ECG_PROJECT',
    value: '"ecg\u00a0video"',
    rule: 'contains a non-breaking space (U+00A0)',
  },
  {
    name: 'a GitHub repository ending in .git',
    channel: 'env',
    env: { ECG_GITHUB_REPOSITORY: 'acme/ecg-infra.git' },
    path: 'ECG_GITHUB_REPOSITORY',
    value: 'acme/ecg-infra.git',
    rule: 'must not end in .git: write acme/ecg-infra',
  },
  {
    name: 'a GitHub repository given as a URL',
    channel: 'context',
    context: { githubRepository: 'https://github.com/acme/ecg-infra' },
    path: 'cdktf.json context.githubRepository',
    value: 'https://github.com/acme/ecg-infra',
    rule: 'must be owner/repo, not a URL: write acme/ecg-infra',
  },
  {
    name: 'a GitHub owner starting with a hyphen',
    channel: 'env',
    env: { ECG_GITHUB_REPOSITORY: '-acme/ecg' },
    path: 'ECG_GITHUB_REPOSITORY',
    value: '-acme/ecg',
    rule: 'has an owner GitHub does not allow',
  },
  {
    name: 'a branch written refs/heads/main (the trust adds the prefix)',
    channel: 'config',
    staging: (c) => void (c.cicd.branch = 'refs/heads/main'),
    path: 'staging.cicd.branch',
    value: 'refs/heads/main',
    rule: 'must be a branch name, not a ref: write main',
  },
  {
    name: 'a branch with a space',
    channel: 'config',
    staging: (c) => void (c.cicd.branch = 'release 1'),
    path: 'staging.cicd.branch',
    value: 'release 1',
    rule: 'git check-ref-format',
  },
  {
    name: 'a free-storage alarm threshold above the allocated storage',
    channel: 'config',
    staging: (c) => void (c.monitoring.rdsFreeStorageGb = 25),
    path: 'staging.monitoring.rdsFreeStorageGb',
    value: '25',
    rule: 'must be below database.allocatedStorageGb (20)',
  },
  {
    name: 'two GPU schedules with one name (named by field, not construct id)',
    channel: 'config',
    production: (c) =>
      void (c.gpu.renderWorker.schedules = [
        { name: 'peak', recurrence: '0 9 * * MON-FRI', minSize: 4 },
        { name: 'peak', recurrence: '0 18 * * MON-FRI', minSize: 2 },
      ]),
    path: 'production.gpu.renderWorker.schedules[1].name',
    value: 'peak',
    rule: 'is used by another schedule',
  },
  {
    name: 'an ECR repository listed twice',
    channel: 'config',
    staging: (c) => void (c.ecr.repositories = ['api', 'model-server', 'api']),
    path: 'staging.ecr.repositories[2]',
    value: 'api',
    rule: 'is listed twice',
  },
  {
    name: 'a model-server port other than the security-group port',
    channel: 'config',
    production: (c) => void (c.gpu.modelServer.port = 9000),
    path: 'production.gpu.modelServer.port',
    value: '9000',
    rule: 'must equal security.ports.modelServer (8080)',
  },
  {
    name: 'an image tag starting with a dot',
    channel: 'tfvars',
    files: { 'tfvars/production.tfvars': 'api_image_tag = ".v1"\n' },
    path: 'tfvars/production.tfvars api_image_tag',
    value: '.v1',
    rule: 'must be a Docker tag',
  },
  {
    name: 'an image reference with capitals',
    channel: 'tfvars',
    files: { 'terraform.tfvars': 'api_image = "Registry/App:1"\n' },
    path: 'terraform.tfvars api_image',
    value: 'Registry/App:1',
    rule: 'image reference',
  },
];

function configs(c: BadInput) {
  return (settings: { region: string }) => {
    const staging = structuredClone(stagingConfig(settings)) as Env;
    const production = structuredClone(productionConfig(settings)) as Env;
    c.staging?.(staging);
    c.production?.(production);
    return [staging, production] as EnvironmentConfig[];
  };
}

describe('every bad input: one report, exit 1, no stack trace, cdktf.out unchanged', () => {
  let root: string;
  let outdir: string;
  let before: Record<string, string>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bad-input-'));
    outdir = join(root, 'cdktf.out');
    const good = runSynth({ context, env: {}, outdir, cwd: root });
    expect(good.report).toBeUndefined();
    // What Terraform keeps beside the JSON must survive any synth.
    writeFileSync(
      join(outdir, 'stacks', 'state-backend', 'terraform.state-backend.tfstate'),
      '{"serial": 7}',
    );
    before = treeDigest(outdir);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds at least 60 cases across every channel', () => {
    const byChannel = CASES.reduce<Record<string, number>>(
      (n, c) => ({ ...n, [c.channel]: (n[c.channel] ?? 0) + 1 }),
      {},
    );
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(Object.keys(byChannel).sort()).toEqual(['config', 'context', 'env', 'tfvars']);
  });

  it.each(CASES.map((c) => [`${c.channel}: ${c.name}`, c] as const))('%s', (_, c) => {
    const cwd = mkdtempSync(join(root, 'project-'));
    for (const [file, text] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(cwd, file)), { recursive: true });
      writeFileSync(join(cwd, file), text);
    }
    const outcome = runSynth({
      context: { ...context, ...c.context },
      env: c.env ?? {},
      outdir,
      cwd,
      environments: c.staging || c.production ? configs(c) : undefined,
    });
    expect(outcome.exitCode).toBe(1);
    const report = outcome.report ?? '';
    const line = report.split('\n').find((l) => l.startsWith(`  - ${c.path} ${c.value} `));
    expect(line, report).toBeDefined();
    if (typeof c.rule === 'string') expect(line).toContain(c.rule);
    else expect(line).toMatch(c.rule);
    expect(report).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
    expect(report).not.toContain('skipValidation');
    expect(treeDigest(outdir)).toEqual(before);
    expect(readdirSync(root).filter((n) => n.startsWith('.synth-'))).toEqual([]);
  });

  it('reports every problem at once, across channels', () => {
    const outcome = runSynth({
      context: { ...context, regoin: 'x' },
      env: { ECG_USE_LOCKFILE: 'maybe', ECG_REGION: 'ap-northest-2' },
      outdir,
      cwd: root,
      environments: configs({ ...CASES[0], production: (c) => void (c.monitoring.ecsCpuPercent = 150) }),
    });
    const lines = (outcome.report ?? '').split('\n').filter((l) => l.startsWith('  - '));
    expect(lines.map((l) => l.split(' ')[3])).toEqual(
      expect.arrayContaining([
        'cdktf.json',
        'ECG_USE_LOCKFILE',
        'ECG_REGION',
        'production.monitoring.ecsCpuPercent',
      ]),
    );
    expect(treeDigest(outdir)).toEqual(before);
  });
});
