import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  formatIssue,
  productionConfig,
  resolveSettings,
  stagingConfig,
  validateEnvironment,
  validateEnvironments,
  validateSettings,
  type EnvironmentConfig,
  type ProjectSettings,
} from '../src/config';
import { DLAMI_ROOT_SNAPSHOT_GB } from '../src/lib/aws/ami';

const defaults = resolveSettings({ context: () => undefined, env: {} });

/** Messages of one environment after `mutate` changed a copy of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = any;

function problems(base: EnvironmentConfig, mutate: (c: Mutable) => void): string[] {
  const copy = structuredClone(base);
  mutate(copy);
  return validateEnvironment(copy, defaults).map(formatIssue);
}

function settingsProblems(overrides: Partial<ProjectSettings>): string[] {
  return validateSettings({ ...defaults, ...overrides }).map(formatIssue);
}

describe('environment presets', () => {
  it('staging and production hold the canonical values and validate clean', () => {
    expect(validateEnvironment(stagingConfig(defaults), defaults)).toEqual([]);
    expect(validateEnvironment(productionConfig(defaults), defaults)).toEqual([]);
  });

  it('uses the network layout of docs/design.md (staging = second octet 1)', () => {
    const prod = productionConfig(defaults).network;
    const stg = stagingConfig(defaults).network;
    expect(prod.availabilityZones).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
    expect([
      prod.vpcCidr,
      prod.publicSubnets,
      prod.privateSubnets,
      prod.gpuSubnets,
      prod.dataSubnets,
    ]).toEqual([
      '10.0.0.0/16',
      ['10.0.1.0/24', '10.0.2.0/24'],
      ['10.0.10.0/24', '10.0.20.0/24'],
      ['10.0.3.0/24', '10.0.30.0/24'],
      ['10.0.100.0/24', '10.0.200.0/24'],
    ]);
    expect([stg.vpcCidr, stg.gpuSubnets, stg.dataSubnets]).toEqual([
      '10.1.0.0/16',
      ['10.1.3.0/24', '10.1.30.0/24'],
      ['10.1.100.0/24', '10.1.200.0/24'],
    ]);
    expect([stg.natGateways, prod.natGateways]).toEqual(['single', 'one-per-az']);
  });

  it('sizes staging small and production highly available', () => {
    const stg = stagingConfig(defaults);
    const prod = productionConfig(defaults);
    expect([stg.api.cpu, stg.api.memoryMiB, prod.api.cpu, prod.api.memoryMiB]).toEqual([
      512, 1024, 2048, 4096,
    ]);
    expect([stg.api.count, prod.api.count]).toEqual([
      { min: 1, desired: 1, max: 2 },
      { min: 2, desired: 2, max: 10 },
    ]);
    expect([stg.database.instanceClass, prod.database.instanceClass]).toEqual([
      'db.t4g.micro',
      'db.t4g.medium',
    ]);
    expect([
      prod.database.multiAz,
      prod.database.backupRetentionDays,
      prod.database.deletionProtection,
    ]).toEqual([true, 7, true]);
    expect([prod.cache.nodeCount, prod.cache.automaticFailover, prod.cache.snapshotRetentionDays]).toEqual([
      2,
      true,
      7,
    ]);
    expect([stg.ecr.imageTagMutability, prod.ecr.imageTagMutability]).toEqual(['MUTABLE', 'IMMUTABLE']);
    expect([stg.gpu.renderWorker.count, prod.gpu.renderWorker.count]).toEqual([
      { min: 0, desired: 0, max: 1 },
      { min: 2, desired: 2, max: 8 },
    ]);
    expect([stg.gpu.modelServer.spot, prod.gpu.modelServer.count.max]).toEqual([true, 4]);
  });
});

describe('project settings', () => {
  it('defaults to the canonical project and region', () => {
    expect(defaults).toEqual({
      project: 'ecg-video-pipeline',
      region: 'ap-northeast-2',
      stateBucket: 'ecg-video-pipeline-tfstate',
      lockTable: 'ecg-video-pipeline-tflock',
      allowedAccountIds: { staging: [], production: [] },
      useLockfile: false,
      githubRepository: '',
    });
  });

  it('documents exactly the defaults in cdktf.json context', () => {
    const cdktf = JSON.parse(readFileSync(join(__dirname, '..', 'cdktf.json'), 'utf8'));
    expect(resolveSettings({ context: (k) => cdktf.context[k], env: {} })).toEqual(defaults);
  });

  it('takes environment variables over context over defaults', () => {
    const context: Record<string, unknown> = {
      project: 'ctx-project',
      region: 'us-east-1',
      productionAccountIds: ['111111111111'],
      useLockfile: true,
    };
    const settings = resolveSettings({
      context: (k) => context[k],
      env: { ECG_PROJECT: 'env-project', ECG_STAGING_ACCOUNT_IDS: '222222222222, 333333333333' },
    });
    expect(settings).toEqual({
      project: 'env-project',
      region: 'us-east-1',
      stateBucket: 'env-project-tfstate',
      lockTable: 'env-project-tflock',
      allowedAccountIds: { staging: ['222222222222', '333333333333'], production: ['111111111111'] },
      useLockfile: true,
      githubRepository: '',
    });
  });
});

describe('validation reports field, value and rule', () => {
  const prod = productionConfig(defaults);
  const stg = stagingConfig(defaults);

  it.each([
    [
      'fails when a subnet overlaps another tier',
      prod,
      (c: Mutable) => (c.network.privateSubnets[1] = '10.0.1.0/24'),
      'production.network.privateSubnets[1] 10.0.1.0/24 overlaps publicSubnets[0] 10.0.1.0/24',
    ],
    [
      'fails when a subnet is outside the VPC',
      stg,
      (c: Mutable) => (c.network.dataSubnets[0] = '10.9.100.0/24'),
      'staging.network.dataSubnets[0] 10.9.100.0/24 is not inside vpcCidr 10.1.0.0/16',
    ],
    [
      'fails when a GPU root volume is smaller than the DLAMI snapshot (EC2: volume size >= snapshot size)',
      prod,
      (c: Mutable) => (c.gpu.modelServer.rootVolumeGb = 50),
      `production.gpu.modelServer.rootVolumeGb 50 must be an integer from ${DLAMI_ROOT_SNAPSHOT_GB} to 16384: EC2 refuses a root volume smaller than the AMI's snapshot`,
    ],
    [
      'fails when a CIDR is not aligned',
      prod,
      (c: Mutable) => (c.network.vpcCidr = '10.0.0.1/16'),
      'production.network.vpcCidr 10.0.0.1/16 is not aligned: the network address is 10.0.0.0/16',
    ],
    [
      'fails when a CIDR is not a CIDR',
      stg,
      (c: Mutable) => (c.network.gpuSubnets[1] = '10.1.300.0/24'),
      'staging.network.gpuSubnets[1] 10.1.300.0/24 must be an IPv4 CIDR like 10.0.0.0/16',
    ],
    [
      'fails when the VPC is too large',
      stg,
      (c: Mutable) => (c.network.vpcCidr = '10.0.0.0/8'),
      'staging.network.vpcCidr 10.0.0.0/8 must have a prefix length from /16 to /28',
    ],
    [
      'fails when a tier has fewer subnets than AZs',
      prod,
      (c: Mutable) => c.network.gpuSubnets.pop(),
      'production.network.gpuSubnets ["10.0.3.0/24"] must hold exactly one subnet per availability zone (2)',
    ],
    [
      'fails when there is only one AZ',
      stg,
      (c: Mutable) => {
        c.network.availabilityZones = ['ap-northeast-2a'];
        for (const t of ['publicSubnets', 'privateSubnets', 'gpuSubnets', 'dataSubnets']) c.network[t].pop();
      },
      'staging.network.availabilityZones ["ap-northeast-2a"] must list at least 2 availability zones',
    ],
    [
      'fails when an AZ is in another region',
      prod,
      (c: Mutable) => (c.network.availabilityZones[1] = 'us-east-1c'),
      'production.network.availabilityZones[1] us-east-1c must be an availability zone of region ap-northeast-2 (ap-northeast-2a, ap-northeast-2b, ap-northeast-2c, ap-northeast-2d)',
    ],
    [
      'fails when desired count is above max',
      prod,
      (c: Mutable) => (c.api.count.desired = 11),
      'production.api.count.desired 11 must be from min to max (2 to 10)',
    ],
    [
      'fails when a GPU fleet min is above its max',
      stg,
      (c: Mutable) => (c.gpu.renderWorker.count = { min: 2, desired: 1, max: 1 }),
      'staging.gpu.renderWorker.count.min 2 must not exceed max (1)',
    ],
    [
      'fails when the log retention is not a CloudWatch value',
      stg,
      (c: Mutable) => (c.api.logRetentionDays = 10),
      "staging.api.logRetentionDays 10 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      'fails when backup retention is above 35 days',
      prod,
      (c: Mutable) => (c.database.backupRetentionDays = 40),
      'production.database.backupRetentionDays 40 must be an integer from 0 to 35',
    ],
    [
      'fails when the RDS instance class is not one RDS for PostgreSQL offers',
      stg,
      (c: Mutable) => (c.database.instanceClass = 't4g.micro'),
      'staging.database.instanceClass t4g.micro is not an instance class RDS for PostgreSQL offers (did you mean db.t4g.micro?)',
    ],
    [
      'fails when the cache node type is not an ElastiCache node type',
      stg,
      (c: Mutable) => (c.cache.nodeType = 'db.t4g.micro'),
      'staging.cache.nodeType db.t4g.micro is not a current ElastiCache node type',
    ],
    [
      'fails when a fleet instance type has no GPU',
      prod,
      (c: Mutable) => (c.gpu.modelServer.instanceType = 'm5.xlarge'),
      'production.gpu.modelServer.instanceType m5.xlarge has no GPU: the fleets need a GPU instance type like g4dn.xlarge',
    ],
    [
      'fails when production RDS is single-AZ without an override',
      prod,
      (c: Mutable) => (c.database.multiAz = false),
      'production.database.multiAz false must be true in production (set overrides.allowSingleAzDatabase with a reason to allow it)',
    ],
    [
      'fails when production Redis is a single node without an override',
      prod,
      (c: Mutable) => {
        c.cache.nodeCount = 1;
        c.cache.automaticFailover = false;
        c.cache.multiAz = false;
      },
      'production.cache {"nodeCount":1,"automaticFailover":false,"multiAz":false} must be highly available in production: nodeCount >= 2, automaticFailover and multiAz (set overrides.allowSingleNodeCache with a reason to allow it)',
    ],
    [
      'fails when the Fargate memory does not fit the CPU',
      stg,
      (c: Mutable) => (c.api.memoryMiB = 512),
      'staging.api.memoryMiB 512 is not a Fargate memory size allowed with cpu 512',
    ],
    [
      'fails when automatic failover has one node',
      stg,
      (c: Mutable) => (c.cache.automaticFailover = true),
      'staging.cache.automaticFailover true requires nodeCount >= 2 (is 1)',
    ],
    [
      'fails when security.sshAllowedCidrs, removed (it never reached the servers), is still set',
      prod,
      (c: Mutable) => ((c.security as Record<string, unknown>).sshAllowedCidrs = ['0.0.0.0/0']),
      'production.security.sshAllowedCidrs ["0.0.0.0/0"] was removed: it never reached the model servers. SSH sources are the tfvars variable ssh_allowed_cidrs (terraform.tfvars or tfvars/<env>.tfvars); prefer Session Manager. Delete this key',
    ],
    [
      'fails when the environment name is unknown',
      stg,
      (c: Mutable) => (c.name = 'dev'),
      'dev.name dev must be one of staging, production',
    ],
    [
      'fails when an override has no reason',
      prod,
      (c: Mutable) => (c.overrides = { allowSingleAzDatabase: { reason: '' } }),
      'production.overrides.allowSingleAzDatabase.reason "" must explain the exception (at least 10 characters)',
    ],
  ])('%s', (_title, base, mutate, message) => {
    expect(problems(base, mutate)).toContain(message);
  });

  it('accepts a single-AZ production database when the override names a reason', () => {
    const found = problems(prod, (c) => {
      c.database.multiAz = false;
      c.overrides = { allowSingleAzDatabase: { reason: 'cost trial until launch, see ticket OPS-12' } };
    });
    expect(found).toEqual([]);
  });

  it.each([
    [{ region: 'Seoul' }, 'settings.region Seoul must be an AWS region like ap-northeast-2'],
    [
      { project: 'ECG_Video' },
      'settings.project ECG_Video must be 3-23 lowercase letters, digits or single hyphens, starting with a letter and ending with a letter or digit',
    ],
    [
      { stateBucket: 'My_Bucket' },
      'settings.stateBucket My_Bucket is not a valid S3 bucket name: may contain only lowercase letters, digits, dots (.) and hyphens (-)',
    ],
    [
      { githubRepository: 'ecg-team/*' },
      'settings.githubRepository ecg-team/* must be a GitHub owner/repo (no wildcards)',
    ],
    [
      { allowedAccountIds: { staging: ['123'], production: [] } },
      'settings.stagingAccountIds[0] 123 must be a 12-digit AWS account id',
    ],
    [
      { allowedAccountIds: { staging: ['111111111111'], production: ['111111111111'] } },
      'settings.productionAccountIds[0] 111111111111 must not also be a staging account (environments are isolated)',
    ],
  ])('fails when a project setting is bad: %j', (overrides, message) => {
    expect(settingsProblems(overrides as Partial<ProjectSettings>)).toContain(message);
  });

  it('reports every problem at once', () => {
    const found = problems(prod, (c) => {
      c.network.vpcCidr = 'not-a-cidr';
      c.database.backupRetentionDays = 3;
      c.api.count.desired = 0;
    });
    expect(found).toEqual([
      'production.network.vpcCidr not-a-cidr must be an IPv4 CIDR like 10.0.0.0/16',
      'production.api.count.desired 0 must be from min to max (2 to 10)',
      'production.database.backupRetentionDays 3 must be at least 7 in production',
    ]);
  });

  it('ConfigError lists all problems in its message', () => {
    const issues = validateEnvironment(
      { ...prod, database: { ...prod.database, backupRetentionDays: 99, instanceClass: 'huge' } },
      defaults,
    );
    const error = new ConfigError(issues);
    expect(error.message).toBe(
      'Invalid configuration (2 problems):\n' +
        '  - production.database.backupRetentionDays 99 must be an integer from 0 to 35\n' +
        '  - production.database.instanceClass huge is not an instance class RDS for PostgreSQL offers',
    );
  });
});

describe('rules AWS enforces only at apply or run time', () => {
  const prod = productionConfig(defaults);

  // RDS user guide, "Password management with Amazon RDS and AWS Secrets Manager" (limitations).
  it('fails when read replicas are asked for: RDS makes none of an instance with a managed password', () => {
    expect(problems(prod, (c) => (c.database.readReplicas = 1))).toEqual([
      'production.database.readReplicas 1 must be 0: RDS does not create read replicas of an instance whose master password it manages in Secrets Manager (RDS user guide, Password management with Amazon RDS and AWS Secrets Manager, limitations)',
    ]);
  });
});

describe('API releases (CodeDeploy blue/green)', () => {
  const prod = productionConfig(defaults);

  // CodeDeploy API reference: TimeBasedCanary percentage; BlueInstanceTerminationOption at most 2880 minutes.
  it('fails when the canary percentage, its minutes or the termination wait are out of range, naming each', () => {
    expect(
      problems(prod, (c) => {
        (c.api as { release: object }).release = {
          canaryPercent: 100,
          canaryMinutes: 0,
          terminationWaitMinutes: 2881,
        };
      }),
    ).toEqual([
      'production.api.release.canaryPercent 100 must be an integer from 0 to 99',
      'production.api.release.terminationWaitMinutes 2881 must be an integer from 0 to 2880',
      'production.api.release.canaryMinutes 0 must be an integer from 1 to 2880',
    ]);
  });
});

describe('video bucket CORS origins', () => {
  const prod = productionConfig(defaults);
  const stg = stagingConfig(defaults);

  it('name the distribution and, in staging, the local frontend', () => {
    expect(stg.storage.corsAllowedOrigins).toEqual(['cloudfront', 'http://localhost:3000']);
    expect(prod.storage.corsAllowedOrigins).toEqual(['cloudfront']);
  });

  it.each([stg, prod])('fail on * in $name: the bucket allows PUT, POST and DELETE', (cfg) => {
    expect(problems(cfg, (c) => (c.storage.corsAllowedOrigins = ['cloudfront', '*']))).toEqual([
      `${cfg.name}.storage.corsAllowedOrigins[1] * must name an origin, not *: the video bucket allows PUT, POST and DELETE from it`,
    ]);
  });

  it('accept http://localhost:<port> in staging only', () => {
    const dev = (c: Mutable) => (c.storage.corsAllowedOrigins = ['cloudfront', 'http://localhost:5173']);
    expect(problems(stg, dev)).toEqual([]);
    expect(problems(prod, dev)).toEqual([
      'production.storage.corsAllowedOrigins[1] http://localhost:5173 is a developer origin: http://localhost:<port> is allowed in staging only',
    ]);
  });

  it('fail on any other plain-http origin, in staging too', () => {
    expect(problems(stg, (c) => (c.storage.corsAllowedOrigins = ['http://app.example.com']))).toEqual([
      'staging.storage.corsAllowedOrigins[0] http://app.example.com must be cloudfront, an https:// origin, or (staging only) http://localhost:<port>',
    ]);
  });
});

// IAM CreateOpenIDConnectProvider: "You cannot register the same provider multiple times in a
// single AWS account" (EntityAlreadyExists).
describe('GitHub OIDC provider ownership', () => {
  const withRepo: ProjectSettings = { ...defaults, githubRepository: 'ecg-team/ecg-video-pipeline' };
  const pinned = (staging: string[], production: string[]): ProjectSettings => ({
    ...withRepo,
    allowedAccountIds: { staging, production },
  });
  const owners = (s: ProjectSettings) =>
    [stagingConfig(s), productionConfig(s)].map((c) => [c.name, c.cicd.createOidcProvider]);

  it('lets staging create it and production reference it unless both accounts are pinned apart', () => {
    expect(owners(withRepo)).toEqual([
      ['staging', true],
      ['production', false],
    ]);
    expect(owners(pinned(['111111111111'], []))).toEqual([
      ['staging', true],
      ['production', false],
    ]);
    expect(owners(pinned(['111111111111'], ['222222222222']))).toEqual([
      ['staging', true],
      ['production', true],
    ]);
  });

  it('fails when two environments create it without accounts pinned apart', () => {
    const both = [stagingConfig(withRepo), productionConfig(withRepo)].map((c) => ({
      ...c,
      cicd: { ...c.cicd, createOidcProvider: true },
    }));
    expect(validateEnvironments(both, withRepo).map(formatIssue)).toEqual([
      "production.cicd.createOidcProvider true must be false while staging creates the GitHub OIDC provider and the two are not pinned to different accounts (settings.allowedAccountIds): IAM holds one provider per URL per account, so the second apply would fail with EntityAlreadyExists. Pin both account ids, or let this stack reference staging's provider",
    ]);
    expect(validateEnvironments(both, pinned(['111111111111'], ['222222222222']))).toEqual([]);
    expect(validateEnvironments(both, defaults)).toEqual([]);
  });
});

describe('GPU fleet scaling config', () => {
  const prod = productionConfig(defaults);
  const stg = stagingConfig(defaults);

  it('plans the team document: production render workers 4 on weekdays 09-18, 2 off-peak, 1 at weekends (Asia/Seoul)', () => {
    const render = prod.gpu.renderWorker;
    expect(render.scheduleTimeZone).toBe('Asia/Seoul');
    expect(render.schedules).toEqual([
      { name: 'weekday-peak', recurrence: '0 9 * * MON-FRI', minSize: 4 },
      { name: 'weekday-off-peak', recurrence: '0 18 * * MON-FRI', minSize: 2 },
      { name: 'weekend', recurrence: '0 0 * * SAT', minSize: 1 },
      { name: 'week-start', recurrence: '0 0 * * MON', minSize: 2 },
    ]);
    // Spot above an on-demand base equal to the off-peak minimum, three x86_64 NVIDIA types.
    expect([
      render.spot,
      render.onDemandBaseCapacity,
      render.instanceType,
      ...render.fallbackInstanceTypes,
    ]).toEqual([true, 2, 'g4dn.2xlarge', 'g5.2xlarge', 'g6.2xlarge']);
    expect([stg.gpu.renderWorker.schedules, stg.gpu.renderWorker.onDemandBaseCapacity]).toEqual([[], 0]);
    expect(stg.gpu.modelServer.fallbackInstanceTypes).toEqual(['g5.xlarge', 'g6.xlarge']);
    expect(prod.gpu.modelServer.scaling).toEqual({
      kind: 'gpu-utilization',
      targetPercent: 70,
      cpuTargetPercent: 80,
    });
  });

  it.each([
    [
      'fails when a schedule cron is not 5 fields',
      (c: Mutable) => (c.gpu.renderWorker.schedules[0].recurrence = '0 9 * MON-FRI'),
      'production.gpu.renderWorker.schedules[0].recurrence 0 9 * MON-FRI has 4 fields; a cron recurrence has 5 (minute hour day-of-month month day-of-week)',
    ],
    [
      'fails when two schedules fire at the same time',
      (c: Mutable) => (c.gpu.renderWorker.schedules[2].recurrence = '0 18 * * FRI'),
      'production.gpu.renderWorker.schedules[2].recurrence 0 18 * * FRI fires at Fri 18:00 like schedule weekday-off-peak',
    ],
    [
      "fails when a scheduled minimum exceeds the group's max",
      (c: Mutable) => (c.gpu.renderWorker.schedules[0].minSize = 9),
      'production.gpu.renderWorker.schedules[0].minSize 9 must be an integer from 0 to 8',
    ],
    [
      'fails when a schedule runs on days of the month (only weekly patterns)',
      (c: Mutable) => (c.gpu.renderWorker.schedules[3].recurrence = '0 0 1 * *'),
      'production.gpu.renderWorker.schedules[3].recurrence 0 0 1 * * must be a weekly pattern: day of month and month must be *',
    ],
    [
      'fails when a fallback type is not a GPU family',
      (c: Mutable) => (c.gpu.renderWorker.fallbackInstanceTypes = ['c7i.2xlarge']),
      'production.gpu.renderWorker.fallbackInstanceTypes[0] c7i.2xlarge must be a GPU instance family (g* or p*)',
    ],
    [
      'fails when the on-demand base is above the max',
      (c: Mutable) => (c.gpu.renderWorker.onDemandBaseCapacity = 10),
      'production.gpu.renderWorker.onDemandBaseCapacity 10 must be an integer from 0 to 8',
    ],
    [
      'fails when the render workers name no Celery queue',
      (c: Mutable) => (c.gpu.renderWorker.scaling.queues = []),
      'production.gpu.renderWorker.scaling.queues [] must list at least one Celery queue',
    ],
    [
      'fails when the GPU utilization target is not a percentage',
      (c: Mutable) => (c.gpu.modelServer.scaling.targetPercent = 170),
      'production.gpu.modelServer.scaling.targetPercent 170 must be an integer from 1 to 100',
    ],
    [
      'fails when the drain time is longer than a lifecycle hook can hold',
      (c: Mutable) => (c.gpu.renderWorker.drainTimeoutSeconds = 9000),
      'production.gpu.renderWorker.drainTimeoutSeconds 9000 must be an integer from 30 to 7140',
    ],
  ])('%s', (_name, mutate, message) => {
    expect(problems(prod, mutate)).toContain(message);
  });
});
