import { Testing } from 'cdktf';
import { environmentConfig, type EnvironmentConfig } from '../src/config';
import { buildTestApp, synthStack } from './support/app';
import { resourcesOf, type Json } from './support/synth';

/**
 * What the stack files decide when they compose the modules: the providers of each stack, the
 * disaster-recovery copies and the region they live in, access-log delivery to the logs bucket,
 * per-node Redis alarms, the custom domain's outputs, the GitHub trust built from the cicd
 * settings, the queue-depth publisher's presence, and the state-backend stack's own blocks.
 */

const TAGS = (environment: string) => [
  { tags: { Environment: environment, ManagedBy: 'cdktf', Project: 'ecg-video-pipeline' } },
];

type Stack = 'staging' | 'production';

/** The app with one environment's config changed by `change`, synthesized for that environment. */
function synthWith(stack: Stack, change: (c: EnvironmentConfig) => EnvironmentConfig, env = {}): Json {
  const built = buildTestApp(
    env,
    {},
    {
      environments: (settings) =>
        (['staging', 'production'] as const).map((name) => {
          const cfg = environmentConfig(name, settings);
          return name === stack ? change(cfg) : cfg;
        }),
    },
  );
  return JSON.parse(Testing.synth(built.platforms[stack])) as Json;
}

const synth = (built: ReturnType<typeof buildTestApp>, stack: Stack) =>
  JSON.parse(Testing.synth(built.platforms[stack])) as Json;

/** Resource addresses (`type.name`) whose name starts with `prefix`. */
const addressesUnder = (json: Json, prefix: string) =>
  Object.entries(json.resource as Record<string, Record<string, Json>>).flatMap(([type, rs]) =>
    Object.keys(rs)
      .filter((name) => name.startsWith(prefix))
      .map((name) => `${type}.${name}`),
  );

describe('providers of the platform stacks', () => {
  it('staging has the main and the us-east-1 provider, no disaster-recovery region', () => {
    expect(synthStack('staging').provider).toEqual({
      aws: [
        { region: 'ap-northeast-2', default_tags: TAGS('staging') },
        // CloudFront-scoped resources (WAF web ACL, viewer certificate) exist in us-east-1 only.
        { alias: 'us_east_1', region: 'us-east-1', default_tags: TAGS('staging') },
      ],
      random: [{}],
    });
  });

  it('production adds the disaster-recovery provider in us-west-2', () => {
    expect(synthStack('production').provider).toEqual({
      aws: [
        { region: 'ap-northeast-2', default_tags: TAGS('production') },
        { alias: 'us_east_1', region: 'us-east-1', default_tags: TAGS('production') },
        { alias: 'dr', region: 'us-west-2', default_tags: TAGS('production') },
      ],
      random: [{}],
    });
  });

  it('pins every provider of a stack, us-east-1 and the DR region included, to its accounts', () => {
    const built = buildTestApp({
      ECG_STAGING_ACCOUNT_IDS: '111111111111',
      ECG_PRODUCTION_ACCOUNT_IDS: '222222222222',
    });
    const production = ['222222222222'];
    expect(synth(built, 'production').provider.aws).toEqual([
      { region: 'ap-northeast-2', default_tags: TAGS('production'), allowed_account_ids: production },
      {
        alias: 'us_east_1',
        region: 'us-east-1',
        default_tags: TAGS('production'),
        allowed_account_ids: production,
      },
      { alias: 'dr', region: 'us-west-2', default_tags: TAGS('production'), allowed_account_ids: production },
    ]);
    expect(synth(built, 'staging').provider.aws[1]).toEqual({
      alias: 'us_east_1',
      region: 'us-east-1',
      default_tags: TAGS('staging'),
      allowed_account_ids: ['111111111111'],
    });
  });
});

describe('disaster-recovery copies', () => {
  const production = synthStack('production');

  it('production copies the automated backups to the DR region, 7 days, with its own KMS key', () => {
    expect(resourcesOf(production, 'aws_db_instance_automated_backups_replication')).toEqual({
      'database-backup-replication_F78292E3': {
        provider: 'aws.dr',
        source_db_instance_arn: '${aws_db_instance.database_instance_D7FC2283.arn}',
        kms_key_id: '${aws_kms_key.database-backup-replication_key_7B520735.arn}',
        retention_period: 7,
      },
    });
  });

  it("production's video replica keeps the source's archive tiers and expiry rules", () => {
    const lifecycle = resourcesOf(production, 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle['video-replication_replica_lifecycle_407B8107']).toEqual({
      provider: 'aws.dr',
      bucket: '${aws_s3_bucket.video-replication_replica_bucket_59032110.id}',
      depends_on: ['aws_s3_bucket_versioning.video-replication_replica_versioning_4A32C956'],
      rule: [
        {
          id: 'expire-delete-markers',
          status: 'Enabled',
          filter: [{}],
          expiration: [{ expired_object_delete_marker: true }],
        },
        {
          id: 'archive-uploads',
          status: 'Enabled',
          filter: [{ prefix: 'uploads/' }],
          transition: [{ days: 30, storage_class: 'GLACIER' }],
        },
        {
          id: 'archive-rendered',
          status: 'Enabled',
          filter: [{ prefix: 'rendered/' }],
          transition: [{ days: 90, storage_class: 'GLACIER_IR' }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{}],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ],
    });
    // The replica's access logs expire like the source's (storage.logsExpireDays).
    expect(lifecycle['video-replication_replica-logs_lifecycle_FA90B0C8'].rule[0]).toEqual({
      id: 'expire-logs',
      status: 'Enabled',
      filter: [{}],
      expiration: [{ days: 90 }],
    });
  });

  it('staging has no DR provider, replica or backup copy by default', () => {
    const staging = synthStack('staging');
    expect(addressesUnder(staging, 'video-replication')).toEqual([]);
    expect(addressesUnder(staging, 'database-backup-replication')).toEqual([]);
  });

  it('a database backup region alone creates the DR provider there and only the backup copy', () => {
    const json = synthWith('staging', (c) => ({
      ...c,
      database: { ...c.database, backupReplicaRegion: 'eu-west-1' },
    }));
    expect(json.provider.aws[2]).toEqual({ alias: 'dr', region: 'eu-west-1', default_tags: TAGS('staging') });
    expect(json.provider.aws).toHaveLength(3);
    expect(addressesUnder(json, 'video-replication')).toEqual([]);
    expect(resourcesOf(json, 'aws_db_instance_automated_backups_replication')).toEqual({
      'database-backup-replication_F78292E3': {
        provider: 'aws.dr',
        source_db_instance_arn: '${aws_db_instance.database_instance_D7FC2283.arn}',
        kms_key_id: '${aws_kms_key.database-backup-replication_key_7B520735.arn}',
        retention_period: 7,
      },
    });
    expect(json.output.s3_video_replica_bucket).toBeUndefined();
    expect(json.output.rds_backup_replica_kms_key_arn.value).toBe(
      '${aws_kms_key.database-backup-replication_key_7B520735.arn}',
    );
  });

  it('a video replica region alone creates the DR provider there and only the replica (no replica logs without access logging)', () => {
    const json = synthWith('staging', (c) => ({
      ...c,
      storage: { ...c.storage, replicaRegion: 'eu-west-1', accessLogging: false },
    }));
    expect(json.provider.aws[2]).toEqual({ alias: 'dr', region: 'eu-west-1', default_tags: TAGS('staging') });
    expect(addressesUnder(json, 'database-backup-replication')).toEqual([]);
    expect(addressesUnder(json, 'video-replication').sort()).toEqual([
      'aws_iam_role.video-replication_role_68644BDA',
      'aws_iam_role_policy.video-replication_policy_1E0F35E4',
      'aws_s3_bucket.video-replication_replica_bucket_59032110',
      'aws_s3_bucket_lifecycle_configuration.video-replication_replica_lifecycle_407B8107',
      'aws_s3_bucket_ownership_controls.video-replication_replica_ownership_AEBE3B96',
      'aws_s3_bucket_policy.video-replication_replica_policy_75427856',
      'aws_s3_bucket_public_access_block.video-replication_replica_public-access-block_5A12D49C',
      'aws_s3_bucket_replication_configuration.video-replication_configuration_AB43902B',
      'aws_s3_bucket_server_side_encryption_configuration.video-replication_replica_encryption_5F14C49E',
      'aws_s3_bucket_versioning.video-replication_replica_versioning_4A32C956',
    ]);
    expect(json.output.rds_backup_replica_kms_key_arn).toBeUndefined();
    expect(json.output.s3_video_replica_bucket.value).toBe(
      '${aws_s3_bucket.video-replication_replica_bucket_59032110.bucket}',
    );
  });
});

describe('load balancer access logs (alb.accessLogs)', () => {
  const LOGS = '${aws_s3_bucket.storage_logs_bucket_F30D43C9.arn}';
  const logsPolicy = (json: Json) =>
    JSON.parse(
      resourcesOf(json, 'aws_s3_bucket_policy').storage_logs_policy_56700F67.policy as string,
    ) as Json;

  it('production lets the Seoul ELB account write under alb/ and model-lb/ of the logs bucket', () => {
    // Elastic Load Balancing writes access logs as the region's ELB account (ap-northeast-2: 600734575887).
    const elb = { AWS: 'arn:aws:iam::600734575887:root' };
    expect(logsPolicy(synthStack('production')).Statement.slice(2)).toEqual([
      {
        Sid: 'AlbAccessLogs',
        Effect: 'Allow',
        Principal: elb,
        Action: 's3:PutObject',
        Resource: `${LOGS}/alb/AWSLogs/*`,
      },
      {
        Sid: 'ModelLbAccessLogs',
        Effect: 'Allow',
        Principal: elb,
        Action: 's3:PutObject',
        Resource: `${LOGS}/model-lb/AWSLogs/*`,
      },
    ]);
  });

  it('production logs both load balancers to the bucket once its policy exists, each under its prefix', () => {
    const lbs = resourcesOf(synthStack('production'), 'aws_lb');
    const bucket = '${aws_s3_bucket_policy.storage_logs_policy_56700F67.bucket}';
    expect(lbs.api_alb_57F8549D.access_logs).toEqual({ bucket, enabled: true, prefix: 'alb' });
    expect(lbs['model-server_load-balancer_DAE2E875'].access_logs).toEqual({
      bucket,
      enabled: true,
      prefix: 'model-lb',
    });
  });

  it('staging logs neither load balancer and its logs bucket policy only denies plain HTTP', () => {
    const staging = synthStack('staging');
    for (const lb of Object.values(resourcesOf(staging, 'aws_lb'))) expect(lb.access_logs).toBeUndefined();
    expect(logsPolicy(staging).Statement.map((s: Json) => s.Sid)).toEqual(['DenyInsecureTransport']);
  });
});

describe('Redis alarms per node', () => {
  const nodes = (json: Json) =>
    Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm'))
      .filter((a) => a.namespace === 'AWS/ElastiCache')
      .map((a) => `${a.alarm_name} ${a.dimensions.CacheClusterId}`)
      .sort();
  const GROUP = '${aws_elasticache_replication_group.cache_replication-group_FA5C54CF.id}';

  // ElastiCache names a replication group's member clusters <group id>-001, -002, ...
  it('production watches both nodes of its two-node group', () => {
    expect(nodes(synthStack('production'))).toEqual([
      `ecg-video-pipeline-production-redis-cpu-1 ${GROUP}-001`,
      `ecg-video-pipeline-production-redis-cpu-2 ${GROUP}-002`,
      `ecg-video-pipeline-production-redis-memory-1 ${GROUP}-001`,
      `ecg-video-pipeline-production-redis-memory-2 ${GROUP}-002`,
    ]);
  });

  it('staging watches its single node', () => {
    expect(nodes(synthStack('staging'))).toEqual([
      `ecg-video-pipeline-staging-redis-cpu-1 ${GROUP}-001`,
      `ecg-video-pipeline-staging-redis-memory-1 ${GROUP}-001`,
    ]);
  });
});

describe('custom domain outputs and origin certificate', () => {
  const built = buildTestApp({ ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ' });
  const json = { staging: synth(built, 'staging'), production: synth(built, 'production') };
  const HEALTH_CHECK = {
    value: '${aws_route53_health_check.domain_health-check_EBC0A08C.id}',
    description: 'Route 53 health check of the API through the domain (its alarm is in us-east-1)',
  };
  const SITE = 'URL of the platform on its own domain (frontend, /api/*, /videos/*)';

  it('staging exports its site URL and health check; its API URL stays the public ALB', () => {
    const out = json.staging.output;
    expect(out.site_url).toEqual({ value: 'https://staging.example.com', description: SITE });
    expect(out.domain_health_check_id).toEqual(HEALTH_CHECK);
    expect(out.api_url).toEqual({
      value: 'http://${aws_lb.api_alb_57F8549D.dns_name}',
      description: 'Direct URL of the API load balancer (production answers only CloudFront)',
    });
  });

  it('production exports its site URL, health check and the API on the domain', () => {
    const out = json.production.output;
    expect(out.site_url).toEqual({ value: 'https://example.com', description: SITE });
    expect(out.domain_health_check_id).toEqual(HEALTH_CHECK);
    expect(out.api_url).toEqual({
      value: 'https://example.com/api',
      description: 'URL of the API, through CloudFront (the load balancer is internal)',
    });
  });

  it("production's internal ALB serves HTTPS with the regional certificate once issued; staging's serves no HTTPS", () => {
    const listeners = (stack: Stack) =>
      Object.values(resourcesOf(json[stack], 'aws_lb_listener'))
        .map((l) => `${l.port} ${l.protocol} ${l.certificate_arn ?? '-'}`)
        .sort();
    const origin = '${aws_acm_certificate_validation.origin-certificate_issued_F50B0CF8.certificate_arn}';
    expect(listeners('production')).toEqual([
      `443 HTTPS ${origin}`,
      '80 HTTP -',
      `8080 HTTP -`,
      `8080 HTTPS ${origin}`,
    ]);
    expect(listeners('staging')).toEqual(['80 HTTP -', '8080 HTTP -', '8080 HTTP -']);
  });
});

describe('GitHub trust from the cicd settings', () => {
  const PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const built = buildTestApp(
    { ECG_GITHUB_REPOSITORY: 'ecg-team/ecg-app' },
    {},
    {
      environments: (settings) =>
        (['staging', 'production'] as const).map((name) => {
          const cfg = environmentConfig(name, settings);
          return name === 'production'
            ? { ...cfg, cicd: { ...cfg.cicd, existingOidcProviderArn: PROVIDER_ARN } }
            : { ...cfg, cicd: { createOidcProvider: true, branch: 'release' } };
        }),
    },
  );
  const json = { staging: synth(built, 'staging'), production: synth(built, 'production') };
  const ROLES = ['github-oidc_app-deploy-role_13A907CD', 'github-oidc_infra-deploy-role_BA9C2FA7'];
  const trust = (stack: Stack, role: string) =>
    JSON.parse(resourcesOf(json[stack], 'aws_iam_role')[role].assume_role_policy as string) as Json;
  const statement = (federated: string, subject: string) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: federated },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': subject,
          },
        },
      },
    ],
  });

  it.each(ROLES)('without a GitHub environment, %s trusts the configured branch', (role) => {
    expect(trust('staging', role)).toEqual(
      statement(
        '${aws_iam_openid_connect_provider.github-oidc_provider_D7593BA3.arn}',
        'repo:ecg-team/ecg-app:ref:refs/heads/release',
      ),
    );
  });

  it.each(ROLES)(
    'with a GitHub environment, %s trusts only it, through the configured existing provider',
    (role) => {
      expect(trust('production', role)).toEqual(
        statement(PROVIDER_ARN, 'repo:ecg-team/ecg-app:environment:production'),
      );
      expect(resourcesOf(json.production, 'aws_iam_openid_connect_provider')).toEqual({});
    },
  );

  it('exports both deploy roles', () => {
    for (const stack of ['staging', 'production'] as const) {
      expect(
        Object.fromEntries(Object.entries(json[stack].output).filter(([k]) => k.startsWith('github_'))),
      ).toEqual({
        github_app_deploy_role_arn: {
          value: '${aws_iam_role.github-oidc_app-deploy-role_13A907CD.arn}',
          description: 'Role GitHub Actions assumes to push images and roll the service',
        },
        github_infra_deploy_role_arn: {
          value: '${aws_iam_role.github-oidc_infra-deploy-role_BA9C2FA7.arn}',
          description: 'Role GitHub Actions assumes to deploy this stack',
        },
      });
    }
  });
});

describe('queue-depth publisher', () => {
  it('is absent, with its Redis rules, when the render fleet does not scale on the backlog', () => {
    const json = synthWith('production', (c) => ({
      ...c,
      gpu: {
        ...c.gpu,
        renderWorker: { ...c.gpu.renderWorker, scaling: { kind: 'cpu', targetPercent: 60 } },
      },
    }));
    expect(resourcesOf(json, 'aws_lambda_function')).toEqual({});
    expect(addressesUnder(json, 'queue-depth-publisher')).toEqual([]);
    const queueRules = Object.entries(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter(
      ([name, r]) => name.includes('queue') || String(r.description).includes('queue-depth'),
    );
    expect(queueRules).toEqual([]);
  });
});

describe('state-backend stack blocks', () => {
  const json = synthStack('state-backend');

  it('has one provider in the settings region, tagged as shared, with no account pin', () => {
    expect(json.provider).toEqual({ aws: [{ region: 'ap-northeast-2', default_tags: TAGS('shared') }] });
  });

  it('requires Terraform 1.6 or newer and only the AWS provider', () => {
    expect(json.terraform.required_version).toBe('>= 1.6.0');
    expect(Object.keys(json.terraform.required_providers)).toEqual(['aws']);
  });

  it('names its lifecycle rule and keeps state versions 90 days, multipart uploads 7', () => {
    expect(Object.values(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration'))[0].rule).toEqual([
      {
        id: 'noncurrent-versions',
        status: 'Enabled',
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it('exports the bucket and table by reference, each described', () => {
    expect(json.output).toEqual({
      state_bucket_name: {
        value: '${aws_s3_bucket.state-bucket_828F7150.bucket}',
        description: "S3 bucket holding the platform stacks' Terraform state",
      },
      state_bucket_arn: {
        value: '${aws_s3_bucket.state-bucket_828F7150.arn}',
        description: 'ARN of the state bucket',
      },
      lock_table_name: {
        value: '${aws_dynamodb_table.lock-table.name}',
        description: 'DynamoDB table used for Terraform state locking',
      },
      lock_table_arn: {
        value: '${aws_dynamodb_table.lock-table.arn}',
        description: 'ARN of the lock table',
      },
    });
  });

  it('holds the lock table exactly as the S3 backend needs it (string hash key LockID)', () => {
    expect(resourcesOf(json, 'aws_dynamodb_table')).toEqual({
      'lock-table': {
        name: 'ecg-video-pipeline-tflock',
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      },
    });
  });
});
