import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Json } from './support/synth';
import {
  TerraformCommandError,
  dropAllowedAccountIds,
  offlineOverride,
  offlinePlan,
  offlinePlanSummary,
  substituteRandom,
  type OfflinePlanResult,
  type OfflinePlanSummary,
} from '../src/tools/offline-plan';
import { initializeFromCache } from '../src/tools/init-cache';
import { terraformEnv } from '../src/tools/terraform-cli';
import { testProviderMirror } from './support/provider';
import { defaultStackPlan, defaultStackPlanSummary } from './support/shared';

const run = promisify(execFile);

describe('random_* substitution for offline plans', () => {
  const stack = {
    terraform: { required_providers: { aws: { source: 'aws' }, random: { source: 'hashicorp/random' } } },
    provider: { aws: [{ region: 'ap-northeast-2' }], random: [{}] },
    resource: {
      random_id: { suffix: { byte_length: 4 } },
      random_password: { token: { length: 40, special: false } },
      aws_s3_bucket: {
        b: { bucket: 'x-${random_id.suffix.hex}', depends_on: ['random_id.suffix', 'aws_vpc.v'] },
      },
      aws_secretsmanager_secret_version: {
        v: { secret_string: '${jsonencode({"t" = random_password.token.result})}' },
      },
    },
  };

  it('replaces references by literals and removes only the random resources and provider', () => {
    const { json, substituted } = substituteRandom(stack);
    expect(substituted).toEqual(['random_id.suffix', 'random_password.token']);
    expect(json.resource.random_id).toBeUndefined();
    expect(json.provider.random).toBeUndefined();
    expect(json.terraform.required_providers).toEqual({ aws: { source: 'aws' } });
    expect(json.resource.aws_s3_bucket.b.bucket).toMatch(/^x-\$\{"[0-9a-f]{8}"\}$/);
    expect(json.resource.aws_s3_bucket.b.depends_on).toEqual(['aws_vpc.v']);
    expect(json.resource.aws_secretsmanager_secret_version.v.secret_string).toMatch(
      /^\$\{jsonencode\(\{"t" = "[A-Za-z0-9]{40}"\}\)\}$/,
    );
    expect(stack.resource.random_id).toBeDefined();
  });

  it('overrides the backend to local and sets the skip flags on every AWS provider alias', () => {
    const override = offlineOverride({
      provider: { aws: [{ region: 'a' }, { region: 'us-east-1', alias: 'us_east_1' }] },
    });
    expect(override.terraform).toEqual({ backend: { local: { path: 'terraform.tfstate' } } });
    expect(override.provider.aws).toHaveLength(2);
    expect(override.provider.aws[1]).toMatchObject({ alias: 'us_east_1', skip_requesting_account_id: true });
  });
});

describe('pinned account ids in the offline copy', () => {
  it('drops allowed_account_ids from every AWS provider block, and only that', () => {
    const stack = {
      provider: {
        aws: [
          { region: 'ap-northeast-2', allowed_account_ids: ['123456789012'] },
          { region: 'us-east-1', alias: 'us_east_1', allowed_account_ids: ['123456789012'] },
        ],
        random: [{}],
      },
    };
    const { json, dropped } = dropAllowedAccountIds(stack);
    expect(dropped).toEqual(['aws', 'aws.us_east_1']);
    expect(json.provider.aws).toEqual([
      { region: 'ap-northeast-2' },
      { region: 'us-east-1', alias: 'us_east_1' },
    ]);
    expect(json.provider.random).toEqual([{}]);
    expect(stack.provider.aws[0].allowed_account_ids).toEqual(['123456789012']);
    expect(dropAllowedAccountIds({ provider: { aws: [{ region: 'a' }] } }).dropped).toEqual([]);
  });
});

describe('initialized working directories kept between plans', () => {
  /** A configuration with only Terraform's built-in provider: plans in a fraction of a second. */
  const builtIn = (...names: string[]) => ({
    resource: { terraform_data: Object.fromEntries(names.map((n) => [n, { input: n }])) },
  });
  const withAws = {
    terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
    provider: { aws: [{ region: 'ap-northeast-2' }] },
    resource: { aws_sns_topic: { alarms: { name: 'alarms' } } },
  };

  it('runs terraform init once per provider set, and plans each configuration as it is', async () => {
    const initCache = mkdtempSync(join(tmpdir(), 'init-cache-'));
    const plan = (stack: string, stackJson: Json) =>
      offlinePlanSummary({
        stack,
        stackJson,
        initCache,
        providerMirror: testProviderMirror(),
      });

    const first = await plan('a', builtIn('one'));
    expect([first.init, first.add]).toEqual(['initialized', 1]);
    const changed = await plan('a', builtIn('one', 'two', 'three'));
    expect([changed.init, changed.add, changed.resourceTypes]).toEqual(['reused', 3, { terraform_data: 3 }]);
    const aws = await plan('b', withAws);
    expect([aws.init, aws.summary]).toEqual(['initialized', 'b: 1 to add, 0 to change, 0 to destroy']);
    // Planning from a reused template with these providers: every default stack plan of the run.
    const again = mkdtempSync(join(tmpdir(), 'init-again-'));
    const reinit = vi.fn(async () => undefined);
    expect(await initializeFromCache(again, withAws, testProviderMirror(), initCache, reinit)).toBe('reused');
    expect(reinit).not.toHaveBeenCalled();
    expect(
      existsSync(join(again, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws')),
    ).toBe(true);
    expect(existsSync(join(again, '.terraform.lock.hcl'))).toBe(true);
    expect(readdirSync(initCache).filter((d) => d.startsWith('init-'))).toHaveLength(2);
  });
});

describe('what terraform plan checks', () => {
  // The stack plans run no separate `terraform validate` (support/shared.ts): Terraform's local
  // backend runs the validation walk of `terraform validate` before every plan. A Terraform
  // version that stopped doing so fails here.
  it('runs the validation walk of terraform validate before it plans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-validates-'));
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({ resource: { terraform_data: { a: { input: 'a' } } } }),
    );
    const env = { ...terraformEnv(undefined, true), TF_LOG: 'trace' };
    await run('terraform', [`-chdir=${dir}`, 'init', '-input=false', '-no-color'], { env });
    const { stderr } = await run('terraform', [`-chdir=${dir}`, 'plan', '-input=false', '-no-color'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const validation = stderr.indexOf('backend/local: running validation operation');
    const validateWalk = stderr.indexOf('Starting graph walk: walkValidate');
    const planWalk = stderr.indexOf('Starting graph walk: walkPlan');
    expect(validation).toBeGreaterThan(-1);
    expect(validateWalk).toBeGreaterThan(validation);
    expect(planWalk).toBeGreaterThan(validateWalk);
  });
});

describe('what a failed plan reports', () => {
  const stackJson = {
    variable: {
      image_tag: {
        type: 'string',
        validation: [
          {
            condition: '${can(regex("^v[0-9]", var.image_tag))}',
            error_message: 'image_tag must start with v and a digit.',
          },
        ],
      },
    },
    resource: { terraform_data: { a: { input: '${var.image_tag}' }, b: { input: 'b' } } },
  };

  it('fails with the errors only, first; the full output keeps the rest', async () => {
    const failure = await offlinePlan({
      stack: 'bad',
      stackJson,
      extraFiles: { 'terraform.tfvars': 'image_tag = "latest"\nimage_tga = "v1"\n' },
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TerraformCommandError);
    const error = failure as TerraformCommandError;
    expect(error.message.split('\n')[0]).toBe('terraform plan failed with 1 error(s):');
    expect(error.message).toContain('Error: Invalid value for variable\n  on terraform.tfvars line 1:');
    expect(error.message).toContain('image_tag must start with v and a digit.');
    expect(error.message).not.toContain('Warning');
    expect(error.output).toContain('Warning: Value for undeclared variable');
  });

  it("passes Terraform's warnings on when the plan succeeds", async () => {
    const result = await offlinePlanSummary({
      stack: 'warned',
      stackJson,
      extraFiles: { 'terraform.tfvars': 'image_tag = "v1"\nimage_tga = "v1"\n' },
    });
    expect(result.summary).toBe('warned: 2 to add, 0 to change, 0 to destroy');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /^Warning: Value for undeclared variable\n .* variable named "image_tga"/,
    );
  });
});

/**
 * Offline init + validate + plan of every stack against the real hashicorp/aws provider, from the
 * mirror the global setup found (the run stops there, saying what to do, when there is none).
 */
describe('offline terraform plan of every stack', () => {
  const results: Record<string, OfflinePlanResult> = {};
  let stateBackend: OfflinePlanSummary;

  beforeAll(async () => {
    // The default app as the global setup synthesized it, planned once per run (support/shared.ts);
    // no test reads the state backend's planned values, so its plan is not shown as JSON.
    const [backend, ...plans] = await Promise.all([
      defaultStackPlanSummary('state-backend'),
      defaultStackPlan('staging'),
      defaultStackPlan('production'),
    ]);
    stateBackend = backend;
    for (const plan of plans) results[plan.stack] = plan;
  });

  const summaryOf = (stack: string): OfflinePlanSummary =>
    stack === 'state-backend' ? stateBackend : results[stack];

  it.each(['state-backend', 'staging', 'production'])('%s plans cleanly: only additions', (stack) => {
    const r = summaryOf(stack);
    expect(r.add).toBeGreaterThan(0);
    expect([r.change, r.destroy]).toEqual([0, 0]);
    expect(r.summary).toBe(`${stack}: ${r.add} to add, 0 to change, 0 to destroy`);
  });

  it('state-backend plans the bucket, its configurations and the lock table', () => {
    expect(Object.keys(stateBackend.resourceTypes).sort()).toEqual([
      'aws_dynamodb_table',
      'aws_s3_bucket',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
    expect(stateBackend.substitutedRandom).toEqual([]);
  });

  it('says which random_* resources it replaced when the random provider is not in the mirror', () => {
    expect(results.staging.substitutedRandom).toContain('random_id.suffix');
  });

  /** Planned resources of one type (after apply values where known). */
  const planned = (stack: string, type: string) =>
    (results[stack].plan.planned_values.root_module.resources as Json[]).filter((r) => r.type === type);

  it.each([
    ['staging', 1, 0],
    ['production', 2, 1],
  ])(
    '%s plans the network and data tier: VPC, 8 subnets, %i NAT gateway(s), flow logs x%i',
    (stack, nats, flowLogs) => {
      const types = results[stack].resourceTypes;
      expect(types).toMatchObject({ aws_vpc: 1, aws_subnet: 8, aws_nat_gateway: nats, aws_eip: nats });
      expect(types.aws_flow_log ?? 0).toBe(flowLogs);
      expect(types).toMatchObject({ aws_db_instance: 1, aws_elasticache_replication_group: 1 });
      // Production adds the video replica and its access-log bucket in us-west-2.
      const production = stack === 'production';
      const buckets = production ? 5 : 3;
      expect(types).toMatchObject({
        aws_s3_bucket: buckets,
        aws_s3_bucket_versioning: production ? 3 : 2,
        aws_s3_bucket_server_side_encryption_configuration: buckets,
        aws_s3_bucket_public_access_block: buckets,
        aws_s3_bucket_lifecycle_configuration: buckets,
        aws_s3_bucket_policy: buckets,
      });
      const db = planned(stack, 'aws_db_instance')[0].values;
      expect([db.multi_az, db.storage_encrypted, db.manage_master_user_password]).toEqual([
        stack === 'production',
        true,
        true,
      ]);
    },
  );

  it.each(['staging', 'production'])(
    '%s plans the resilience parts: endpoints, replication, backup copies, rotation schedule and redeploy chain',
    (stack) => {
      const types = results[stack].resourceTypes;
      const production = stack === 'production';
      expect(types.aws_vpc_endpoint).toBe(production ? 10 : 1);
      expect(types.aws_s3_bucket_replication_configuration ?? 0).toBe(production ? 1 : 0);
      expect(types.aws_db_instance_automated_backups_replication ?? 0).toBe(production ? 1 : 0);
      expect(types).toMatchObject({ aws_secretsmanager_secret_rotation: 1, aws_sfn_state_machine: 1 });
      const rotation = planned(stack, 'aws_secretsmanager_secret_rotation')[0].values;
      expect(rotation.rotation_rules).toEqual([expect.objectContaining({ automatically_after_days: 30 })]);
    },
  );

  it.each(['staging', 'production'])('%s plans the compute tier', (stack) => {
    expect(results[stack].resourceTypes).toMatchObject({
      aws_ecr_repository: 3,
      aws_ecs_cluster: 1,
      aws_ecs_task_definition: 1,
      aws_ecs_service: 1,
      aws_lb: 2,
      aws_lb_target_group: 3,
      aws_appautoscaling_target: 1,
      aws_launch_template: 2,
      aws_autoscaling_group: 2,
    });
    expect(results[stack].resourceTypes.aws_lb_listener).toBeGreaterThanOrEqual(2);
    expect(results[stack].resourceTypes.aws_appautoscaling_policy).toBe(2);
  });

  it.each([
    ['staging', 3, 1],
    ['production', 4, 2],
  ])(
    '%s plans the edge: %i origins, 2 ordered behaviors, 2 functions, %i OAC (production: the video replica in an origin group)',
    (stack, origins, oacs) => {
      const [distribution] = planned(stack as string, 'aws_cloudfront_distribution');
      expect(distribution.values.origin).toHaveLength(origins);
      expect(distribution.values.ordered_cache_behavior.map((b: Json) => b.path_pattern)).toEqual([
        '/api/*',
        '/videos/*',
      ]);
      expect(distribution.values.origin_group).toHaveLength(stack === 'production' ? 1 : 0);
      expect(results[stack as string].resourceTypes).toMatchObject({
        aws_cloudfront_function: 2,
        aws_cloudfront_origin_access_control: oacs,
      });
    },
  );

  it("production plans the render fleet's Spot mix and GPU-utilization scaling, and no schedule before its tag", () => {
    // render_worker_image_tag is empty by default: max 0, so no scheduled minimum (image-tags.test.ts plans them).
    expect(planned('production', 'aws_autoscaling_schedule')).toEqual([]);
    const render = planned('production', 'aws_autoscaling_group').find((r) =>
      String(r.values.name).endsWith('render-worker'),
    ) as Json;
    const mix = render.values.mixed_instances_policy[0];
    expect(mix.instances_distribution[0]).toMatchObject({
      on_demand_base_capacity: 2,
      on_demand_percentage_above_base_capacity: 0,
      spot_allocation_strategy: 'price-capacity-optimized',
    });
    expect(mix.launch_template[0].override.map((o: Json) => o.instance_type)).toEqual([
      'g4dn.2xlarge',
      'g5.2xlarge',
      'g6.2xlarge',
    ]);
    const gpu = planned('production', 'aws_autoscaling_policy').find((r) =>
      String(r.values.name).endsWith('model-server-gpu-utilization'),
    ) as Json;
    const metric = gpu.values.target_tracking_configuration[0].customized_metric_specification[0];
    expect([metric.namespace, metric.metric_name, metric.metric_dimension[0].name]).toEqual([
      'CWAgent',
      'nvidia_smi_utilization_gpu',
      'AutoScalingGroupName',
    ]);
  });

  it.each(['staging', 'production'])('%s plans the queue-depth publisher and its schedule', (stack) => {
    expect(results[stack].resourceTypes).toMatchObject({
      aws_lambda_function: 1,
      aws_scheduler_schedule: 1,
      aws_autoscaling_lifecycle_hook: 1,
    });
    expect(planned(stack, 'aws_scheduler_schedule')[0].values.schedule_expression).toBe('rate(1 minute)');
  });

  it('plans the WAF web ACL, its log group and logging through us-east-1, and the VPC origin to the internal ALB, in production only', () => {
    const resources = results.production.plan.configuration.root_module.resources as Json[];
    for (const type of ['aws_wafv2_web_acl', 'aws_wafv2_web_acl_logging_configuration']) {
      expect(resources.find((r) => r.type === type)?.provider_config_key).toBe('aws.us_east_1');
    }
    const wafLogs = resources.find(
      (r) =>
        r.type === 'aws_cloudwatch_log_group' &&
        String(r.expressions.name?.constant_value).startsWith('aws-waf-logs-'),
    );
    expect(wafLogs?.provider_config_key).toBe('aws.us_east_1');
    expect(
      results.production.plan.configuration.provider_config['aws.us_east_1'].expressions.region
        .constant_value,
    ).toBe('us-east-1');
    // Production: the ALB is internal, reached through the VPC origin; no header rule, no public ALB.
    expect(results.production.resourceTypes.aws_cloudfront_vpc_origin).toBe(1);
    const apiAlb = (stack: 'staging' | 'production') =>
      planned(stack, 'aws_lb').find((r) => String(r.values.name).endsWith('-alb'));
    expect(apiAlb('production')?.values.internal).toBe(true);
    expect(apiAlb('staging')?.values.internal).toBe(false);
    for (const stack of ['staging', 'production'] as const) {
      expect(
        planned(stack, 'aws_lb_listener_rule').filter((r) =>
          JSON.stringify(r.values).includes('X-Origin-Verify'),
        ),
      ).toEqual([]);
    }
    expect(results.staging.resourceTypes.aws_wafv2_web_acl).toBeUndefined();
    expect(results.staging.resourceTypes.aws_cloudfront_vpc_origin).toBeUndefined();
  });
});
