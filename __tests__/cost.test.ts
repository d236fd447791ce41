import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CATEGORIES,
  DEFAULT_PRICES_DIR,
  MissingPriceError,
  assumptionsFor,
  buildCostReport,
  construct,
  estimateStack,
  loadPriceFile,
  renderJson,
  renderMarkdown,
  renderTextTable,
  stackRegion,
  validateAssumptions,
  validatePriceFile,
  type PriceFile,
  type StackCost,
  type UsageAssumptions,
} from '../src/tools/cost';
import { Testing } from 'cdktf';
import { buildTestApp, synthStack } from './support/app';
import { type Json } from './support/synth';

/** Round prices so the expected figures below can be checked by hand. */
function fixturePrices(overrides: Record<string, number> = {}): PriceFile {
  const usd: Record<string, number> = {
    'vpc.natGateway.hour': 0.05,
    'vpc.natGateway.gb': 0.05,
    'vpc.publicIpv4.hour': 0.005,
    'vpc.interfaceEndpoint.azHour': 0.01,
    'vpc.interfaceEndpoint.gb': 0.01,
    'elb.application.hour': 0.02,
    'elb.application.lcuHour': 0.01,
    'fargate.x86.vcpuHour': 0.04,
    'fargate.x86.gbHour': 0.005,
    'rds.postgres.db.t4g.micro': 0.02,
    'rds.storage.gp3.gbMonth': 0.1,
    'elasticache.redis.cache.t4g.micro': 0.02,
    'ec2.linux.g4dn.xlarge': 0.5,
    'ebs.gp3.gbMonth': 0.08,
    'cloudwatch.alarm.standardMetric': 0.1,
    'cloudwatch.alarm.highResolutionMetric': 0.3,
    'cloudwatch.dashboard.month': 3,
    'cloudwatch.metrics.customMetricMonth': 0.3,
    'cloudwatch.logs.ingestGb': 0.5,
    'cloudwatch.logs.vendedIngestGb': 0.5,
    'cloudwatch.logs.storageGbMonth': 0.03,
    'cloudfront.dataOut.northAmerica.gb': 0.085,
    'cloudfront.dataOut.asiaPacific.gb': 0.12,
    'cloudfront.httpsRequests.northAmerica.tenThousand': 0.01,
    'cloudfront.httpsRequests.asiaPacific.tenThousand': 0.012,
    'cloudfront.functions.million': 0.1,
    'waf.webAcl.month': 5,
    'waf.rule.month': 1,
    'waf.requests.million': 0.6,
    's3.standard.gbMonth': 0.02,
    's3.glacierFlexible.gbMonth': 0.004,
    's3.requests.tier1.thousand': 0.005,
    's3.requests.tier2.thousand': 0.0004,
    'ecr.storage.gbMonth': 0.1,
    'lambda.requests.million': 0.2,
    'lambda.arm.gbSecond': 0.00001,
    'scheduler.invocations.million': 1,
    'cloudwatch.api.thousandRequests': 0.01,
    'xray.traces.recordedMillion': 5,
    'xray.traces.retrievedMillion': 0.5,
    'secretsManager.secret.month': 0.4,
    'kms.key.month': 1,
    ...overrides,
  };
  return {
    region: 'ap-northeast-2',
    location: 'Fixture',
    currency: 'USD',
    asOf: '2026-01-01',
    basis: 'fixture',
    lookedUp: 'fixture',
    sources: { fixture: 'hand-written for the test' },
    rules: [],
    prices: Object.fromEntries(
      Object.entries(usd).map(([key, value]) => [key, { usd: value, unit: 'unit', source: 'fixture' }]),
    ),
  };
}

const ASSUMPTIONS: UsageAssumptions = {
  hoursPerMonth: 730,
  albLcus: { internetFacing: 1, internal: 0.5 },
  natProcessedGb: 100,
  logIngestionGb: 10,
  flowLogGb: 20,
  customMetrics: 10,
  cloudFrontGb: 1000,
  cloudFrontRequestsMillions: 5,
  cloudFrontViewerEdge: 'asiaPacific',
  wafRequestsMillions: 5,
  s3StandardGb: 100,
  s3GlacierGb: 200,
  s3PutRequestsThousands: 50,
  s3GetRequestsThousands: 500,
  ecrStorageGb: 10,
  gpuSpotDiscount: 0.6,
  fargateSpotDiscount: 0.7,
  functionDurationMs: 1000,
  endpointProcessedGb: 10,
  replicatedGb: 100,
  replicaStorageGb: { standard: 100, glacier: 200 },
  rdsReplicatedBackupGb: 50,
  rdsReplicatedTransferGb: 20,
  // One traced request a second over 730 h.
  tracedRequestsMillions: 2.628,
  traceRetrievalsMillions: 1,
};

/** A small stack in the shape cdktf synthesizes, one or two of each priced resource type. */
function fixtureStack(): Json {
  const subnets = ['${aws_subnet.a.id}', '${aws_subnet.b.id}'];
  return {
    provider: { aws: [{ region: 'ap-northeast-2' }, { alias: 'us_east_1', region: 'us-east-1' }] },
    resource: {
      aws_vpc: { main: { cidr_block: '10.9.0.0/16' } },
      aws_nat_gateway: { a: {}, b: {} },
      aws_eip: { a: { domain: 'vpc' }, b: { domain: 'vpc' } },
      aws_lb: {
        public: { internal: false, load_balancer_type: 'application', subnets },
        private: { internal: true, subnets },
      },
      aws_vpc_endpoint: {
        s3: { vpc_endpoint_type: 'Gateway', service_name: 'com.amazonaws.ap-northeast-2.s3' },
        ecr: { vpc_endpoint_type: 'Interface', subnet_ids: subnets },
        logs: { vpc_endpoint_type: 'Interface', subnet_ids: subnets },
      },
      aws_ecs_task_definition: {
        api: { cpu: '1024', memory: '2048', requires_compatibilities: ['FARGATE'] },
      },
      aws_ecs_service: {
        api_service_1A2B3C4D: {
          task_definition: '${aws_ecs_task_definition.api.arn}',
          desired_count: 3,
          capacity_provider_strategy: [
            { capacity_provider: 'FARGATE', base: 1, weight: 1 },
            { capacity_provider: 'FARGATE_SPOT', weight: 1 },
          ],
        },
      },
      aws_db_instance: {
        database_instance_0A1B2C3D: {
          engine: 'postgres',
          instance_class: 'db.t4g.micro',
          multi_az: true,
          allocated_storage: 50,
          storage_type: 'gp3',
          performance_insights_enabled: true,
          performance_insights_retention_period: 7,
          manage_master_user_password: true,
        },
      },
      aws_elasticache_replication_group: {
        cache: { node_type: 'cache.t4g.micro', engine: 'redis', num_cache_clusters: 2 },
      },
      aws_launch_template: {
        gpu: {
          instance_type: 'g4dn.xlarge',
          block_device_mappings: [
            { device_name: '/dev/sda1', ebs: { volume_size: 100, volume_type: 'gp3' } },
          ],
          monitoring: { enabled: true },
        },
      },
      aws_autoscaling_group: {
        model_asg_5E6F7A8B: {
          min_size: 1,
          max_size: 3,
          mixed_instances_policy: {
            instances_distribution: {
              on_demand_base_capacity: 1,
              on_demand_percentage_above_base_capacity: 0,
            },
            launch_template: {
              launch_template_specification: { launch_template_id: '${aws_launch_template.gpu.id}' },
            },
          },
        },
      },
      // Weekdays 08:00-20:00 at least 2, otherwise 1: 60 h a week at 2, 108 h at 1.
      aws_autoscaling_schedule: {
        day: {
          autoscaling_group_name: '${aws_autoscaling_group.model_asg_5E6F7A8B.name}',
          recurrence: '0 8 * * MON-FRI',
          time_zone: 'Asia/Seoul',
          min_size: 2,
        },
        night: {
          autoscaling_group_name: '${aws_autoscaling_group.model_asg_5E6F7A8B.name}',
          recurrence: '0 20 * * MON-FRI',
          time_zone: 'Asia/Seoul',
          min_size: 1,
        },
      },
      aws_lambda_function: {
        publisher_function_1A2B3C4D: {
          memory_size: 128,
          architectures: ['arm64'],
          tracing_config: { mode: 'Active' },
        },
      },
      aws_xray_sampling_rule: {
        health: { url_path: '/health', priority: 100, reservoir_size: 0, fixed_rate: 0 },
        all: { url_path: '*', priority: 1000, reservoir_size: 0, fixed_rate: 0.5 },
      },
      aws_scheduler_schedule: {
        minutely: {
          schedule_expression: 'rate(1 minute)',
          target: { arn: '${aws_lambda_function.publisher_function_1A2B3C4D.arn}' },
        },
      },
      aws_autoscaling_policy: {
        gpu: {
          policy_type: 'TargetTrackingScaling',
          target_tracking_configuration: {
            predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
            target_value: 60,
          },
        },
      },
      aws_cloudwatch_metric_alarm: {
        cpu: { metric_name: 'CPUUtilization', period: 300 },
        fast: { metric_name: 'Errors', period: 10 },
        ratio: {
          metric_query: [
            { id: 'e', expression: 'a / b' },
            { id: 'a', metric: { metric_name: 'A', period: 60 } },
            { id: 'b', metric: { metric_name: 'B', period: 60 } },
          ],
        },
      },
      aws_cloudwatch_dashboard: { main: { dashboard_name: 'main' } },
      aws_cloudwatch_log_group: { app: { retention_in_days: 30 }, audit: { retention_in_days: 90 } },
      aws_flow_log: { vpc: { log_destination_type: 'cloud-watch-logs', traffic_type: 'ALL' } },
      aws_cloudfront_distribution: { cdn: { price_class: 'PriceClass_200' } },
      aws_cloudfront_function: { rewrite: { runtime: 'cloudfront-js-2.0' } },
      aws_wafv2_web_acl: {
        edge: { scope: 'CLOUDFRONT', rule: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
      },
      aws_s3_bucket: { videos: { bucket: 'videos-${random_id.suffix.hex}' }, logs: { bucket: 'logs' } },
      aws_ecr_repository: { api: { name: 'api' } },
      aws_secretsmanager_secret: { key: { name: 'key' } },
      aws_kms_key: { key: { enable_key_rotation: true } },
      aws_mq_broker: { queue: { engine_type: 'RabbitMQ' } },
      random_id: { suffix: { byte_length: 4 } },
    },
  };
}

function estimateFixture(json: Json = fixtureStack(), prices = fixturePrices()): StackCost {
  return estimateStack({ stack: 'fixture', json, prices, assumptions: ASSUMPTIONS });
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function byLine(cost: StackCost): Record<string, number> {
  return Object.fromEntries(cost.lines.map((l) => [`${l.key}|${l.scenario}`, l.monthlyUsd]));
}

describe('cost estimator arithmetic (fixture stack, fixture prices)', () => {
  const cost = estimateFixture();

  it('prices every line as quantity x unit price, rounded to cents', () => {
    expect(byLine(cost)).toEqual({
      // 2 NAT x 730 h x 0.05; 100 GB x 0.05; 2 EIPs and 2 ALB addresses x 730 h x 0.005
      'nat-gateway-hours|fixed': 73,
      'nat-gateway-data|fixed': 5,
      'public-ipv4-eip|fixed': 7.3,
      'public-ipv4-alb|fixed': 7.3,
      // 2 interface endpoints x 2 AZs x 730 h x 0.01; the gateway endpoint is free
      'interface-endpoints|fixed': 29.2,
      // 10 GB x 0.01 through the endpoints
      'interface-endpoints-data|fixed': 0.1,
      // 730 h x 0.02 per ALB; LCUs: 1 x 730 x 0.01 and 0.5 x 730 x 0.01
      'lb-hours:application:internet-facing|fixed': 14.6,
      'lb-lcu:application:internet-facing|fixed': 7.3,
      'lb-hours:application:internal|fixed': 14.6,
      'lb-lcu:application:internal|fixed': 3.65,
      // 3 tasks: base 1 on FARGATE, the other 2 split 1:1 -> 2 on demand, 1 spot at 70 % off
      'fargate-vcpu:on-demand:api|fixed': 58.4,
      'fargate-memory:on-demand:api|fixed': 14.6,
      'fargate-vcpu:spot:api|fixed': 8.76,
      'fargate-memory:spot:api|fixed': 2.19,
      // Multi-AZ: 2 x 730 h x 0.02 and 50 GB x 2 x 0.1; 7-day Performance Insights is free
      'rds-instance:database|fixed': 29.2,
      'rds-storage:database|fixed': 10,
      'rds-performance-insights:database|fixed': 0,
      'cache-nodes:cache|fixed': 29.2,
      // PriceClass_200 serves Korean viewers from Asian edges: 1000 GB x 0.12, 500 x 10k x 0.012
      'cloudfront-data|fixed': 120,
      'cloudfront-requests|fixed': 6,
      'cloudfront-functions|fixed': 0.5,
      'waf-web-acls|fixed': 5,
      'waf-rules|fixed': 3,
      'waf-requests|fixed': 3,
      's3-standard|fixed': 2,
      's3-glacier|fixed': 0.8,
      's3-put-requests|fixed': 0.25,
      's3-get-requests|fixed': 0.2,
      'ecr-storage|fixed': 1,
      // 1 + 2 standard metrics (the math alarm has two) and 1 high-resolution one
      'alarms-standard|fixed': 0.3,
      'alarms-high-resolution|fixed': 0.3,
      'alarms-target-tracking|fixed': 0.2,
      'dashboards|fixed': 3,
      'flow-logs|fixed': 10,
      'log-ingestion|fixed': 5,
      // (10 + 20) GB kept (30 + 90) / 2 = 60 days: 60 GB-month x 0.03
      'log-storage|fixed': 1.8,
      'custom-metrics|fixed': 3,
      // 1 secret + the RDS-managed master password
      'secrets|fixed': 0.8,
      'kms-keys|fixed': 1,
      // 730 h x 60 runs = 43,800 a month: 0.0438 M x 0.2; 43,800 x 1 s x 0.125 GB x 0.00001;
      // 0.0438 M scheduler invocations x 1; 43.8 k PutMetricData x 0.01
      'function-requests:publisher|fixed': 0.01,
      'function-duration:publisher|fixed': 0.05,
      'schedule-invocations:publisher|fixed': 0.04,
      'metric-puts:publisher|fixed': 0.44,
      // 1 request a second at 50 % (no reservoir): 1,314,000 traces, plus the traced function's
      // 43,800 runs: 1.36 M x 5; 1 M retrieved x 0.5
      'xray-recorded|fixed': 6.8,
      'xray-retrieved|fixed': 0.5,
      // min 1 = the on-demand base; max 3 = 1 on demand + 2 spot at 60 % off
      'gpu-on-demand:model|gpu-min': 365,
      'gpu-spot:model|gpu-min': 0,
      'gpu-ebs:gp3:model|gpu-min': 8,
      'gpu-detailed-monitoring:model|gpu-min': 2.1,
      // At the schedule: the base instance all month, the second (spot) 60/168 of it (260.71 h),
      // 1.357 instances on average for EBS (135.71 GB-month) and detailed monitoring (9.5 metrics)
      'gpu-on-demand:model|gpu-scheduled': 365,
      'gpu-spot:model|gpu-scheduled': 52.14,
      'gpu-ebs:gp3:model|gpu-scheduled': 10.86,
      'gpu-detailed-monitoring:model|gpu-scheduled': 2.85,
      'gpu-on-demand:model|gpu-max': 365,
      'gpu-spot:model|gpu-max': 292,
      'gpu-ebs:gp3:model|gpu-max': 24,
      'gpu-detailed-monitoring:model|gpu-max': 6.3,
    });
  });

  it('totals without GPU and with the GPU fleets at min, at their schedules and at max', () => {
    expect(cost.totals).toEqual({
      withoutGpu: 489.39,
      gpuAtMin: 375.1,
      gpuScheduled: 430.85,
      gpuAtMax: 687.3,
      withGpuAtMin: 864.49,
      withGpuScheduled: 920.24,
      withGpuAtMax: 1176.69,
    });
  });

  it('prices disaster recovery: replication transfer and RTC, replica storage, replicated RDS backups', () => {
    const json = fixtureStack();
    json.resource.aws_s3_bucket_replication_configuration = {
      video: { rule: [{ destination: [{ replication_time: [{ status: 'Enabled' }] }] }] },
    };
    json.resource.aws_db_instance_automated_backups_replication = { db: { retention_period: 7 } };
    json.resource.aws_sfn_state_machine = { redeploy: { name: 'redeploy' } };
    const prices = fixturePrices();
    Object.assign(prices.prices, {
      'dataTransfer.interRegion.gb': { usd: 0.08, unit: 'GB', source: 'fixture' },
      's3.rtc.gb': { usd: 0.015, unit: 'GB', source: 'fixture' },
      'dr.s3.standard.gbMonth': { usd: 0.023, unit: 'GB-month', source: 'fixture' },
      'dr.s3.glacierFlexible.gbMonth': { usd: 0.0036, unit: 'GB-month', source: 'fixture' },
      'dr.rds.backupStorage.gbMonth': { usd: 0.095, unit: 'GB-month', source: 'fixture' },
    });
    const lines = byLine(estimateFixture(json, prices));
    // 100 GB x 0.08 and x 0.015; 100 GB x 0.023 + 200 GB x 0.0036; 20 GB x 0.08; 50 GB x 0.095
    expect(lines['s3-replication-transfer|fixed']).toBe(8);
    expect(lines['s3-replication-rtc|fixed']).toBe(1.5);
    expect(lines['s3-replica-standard|fixed']).toBe(2.3);
    expect(lines['s3-replica-glacier|fixed']).toBe(0.72);
    expect(lines['rds-backup-replication-transfer|fixed']).toBe(1.6);
    expect(lines['rds-backup-replication-storage|fixed']).toBe(4.75);
    expect(lines['step-functions|fixed']).toBe(0);
  });

  it('records the quantity and unit price behind each figure', () => {
    const spot = cost.lines.find((l) => l.key === 'gpu-spot:model' && l.scenario === 'gpu-max');
    expect(spot).toMatchObject({
      quantity: 1460,
      unit: 'h',
      unitPriceUsd: 0.2,
      priceKey: 'ec2.linux.g4dn.xlarge',
    });
    const storage = cost.lines.find((l) => l.key === 'rds-storage:database');
    expect(storage).toMatchObject({ quantity: 100, basis: '50 GB x 2 (Multi-AZ)' });
  });

  it('prices CloudFront under PriceClass_100 at North American rates, whoever the viewers are', () => {
    const json = fixtureStack();
    json.resource.aws_cloudfront_distribution.cdn.price_class = 'PriceClass_100';
    const lines = byLine(estimateFixture(json));
    expect(lines['cloudfront-data|fixed']).toBe(85);
    expect(lines['cloudfront-requests|fixed']).toBe(5);
  });

  it('sets the price class against PriceClass_100 for the same traffic', () => {
    // PriceClass_200: 120 + 6 at Asian edges; PriceClass_100 would bill 85 + 5 at North American ones.
    expect(cost.cloudFront).toEqual({
      priceClass: 'PriceClass_200',
      edge: 'asiaPacific',
      monthlyUsd: 126,
      atPriceClass100Usd: 90,
    });
    const json = fixtureStack();
    json.resource.aws_cloudfront_distribution.cdn.price_class = 'PriceClass_100';
    expect(estimateFixture(json).cloudFront).toMatchObject({ monthlyUsd: 90, atPriceClass100Usd: 90 });
    delete json.resource.aws_cloudfront_distribution;
    expect(estimateFixture(json).cloudFront).toBeUndefined();
  });

  it('uses a listed Multi-AZ rate instead of doubling when the price file has one', () => {
    const lines = byLine(
      estimateFixture(fixtureStack(), fixturePrices({ 'rds.postgres.multiAz.db.t4g.micro': 0.041 })),
    );
    expect(lines['rds-instance:database|fixed']).toBe(29.93);
  });

  it('lists resource types it cannot price and those without a charge of their own', () => {
    expect(cost.unpriced).toEqual(['aws_mq_broker']);
    expect(cost.notBilled).toMatchObject({ aws_vpc: 'no charge', random_id: 'not an AWS resource' });
    expect(cost.notBilled).not.toHaveProperty('aws_mq_broker');
  });

  it('names lines after the owning construct, from the logical name cdktf generates', () => {
    expect(construct('model-server_asg_F1358037')).toBe('model-server');
    expect(construct('network_nat-0-eip_D0BD6ED7')).toBe('network');
    expect(construct('edge_cdn_web-acl_77774CE5')).toBe('edge/cdn');
    expect(construct('suffix')).toBe('suffix');
  });

  it('reads the region from the default provider, not the aliased one', () => {
    expect(stackRegion(fixtureStack())).toBe('ap-northeast-2');
  });

  it('fails when a count is an expression', () => {
    const json = fixtureStack();
    json.resource.aws_ecs_service.api_service_1A2B3C4D.desired_count = '${var.api_count}';
    expect(() => estimateFixture(json)).toThrow(
      'fixture: cannot price aws_ecs_service.api_service_1A2B3C4D.desired_count: "${var.api_count}" is not a literal number',
    );
  });

  it('prices a GPU group held at zero until its image tag is set as it runs with the tag set, and notes it', () => {
    const json = fixtureStack();
    const asg = json.resource.aws_autoscaling_group.model_asg_5E6F7A8B;
    asg.min_size = '${(var.model_server_image_tag == "") ? 0 : 1}';
    asg.max_size = '${(var.model_server_image_tag == "") ? 0 : 3}';
    const gated = estimateFixture(json);
    expect(byLine(gated)).toEqual(byLine(cost));
    expect(gated.notes).toContain(
      'aws_autoscaling_group.model_asg_5E6F7A8B: 0 instances while model_server_image_tag is empty; priced with the tag set',
    );
    asg.min_size = '${var.model_count}';
    expect(() => estimateFixture(json)).toThrow('is not a literal number');
  });

  it('fails when a task definition reference does not resolve', () => {
    const json = fixtureStack();
    json.resource.aws_ecs_service.api_service_1A2B3C4D.task_definition =
      'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/x:1';
    expect(() => estimateFixture(json)).toThrow(
      'fixture: cannot resolve aws_ecs_service.api_service_1A2B3C4D.task_definition ' +
        '("arn:aws:ecs:ap-northeast-2:123456789012:task-definition/x:1") to a aws_ecs_task_definition',
    );
  });

  it('fails naming every price the file lacks', () => {
    const json = fixtureStack();
    json.resource.aws_launch_template.gpu.instance_type = 'p5.48xlarge';
    json.resource.aws_db_instance.database_instance_0A1B2C3D.instance_class = 'db.r7g.large';
    expect(() => estimateFixture(json)).toThrow(MissingPriceError);
    expect(() => estimateFixture(json)).toThrow(
      'data/prices/ap-northeast-2.json has no price for: ec2.linux.p5.48xlarge, rds.postgres.db.r7g.large ' +
        '(add the on-demand price with its unit and source)',
    );
  });

  it('fails when the stack has no literal region', () => {
    expect(() => stackRegion({ provider: { aws: [{ region: '${var.region}' }] } })).toThrow(
      'cannot tell the stack region: the default aws provider has no literal region',
    );
  });
});

describe('price files', () => {
  it.each(['ap-northeast-2', 'us-east-1'])(
    '%s is dated, and every price has a unit and a named source',
    (region) => {
      const file = loadPriceFile(region);
      expect(file.region).toBe(region);
      expect(file.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Object.keys(file.prices).length).toBeGreaterThan(40);
      for (const price of Object.values(file.prices)) {
        expect(price.unit).not.toBe('');
        expect(Object.keys(file.sources)).toContain(price.source.split(' ')[0]);
      }
    },
  );

  it('both regions price the same items', () => {
    const seoul = Object.keys(loadPriceFile('ap-northeast-2').prices).filter((k) => !k.includes('multiAz'));
    expect(Object.keys(loadPriceFile('us-east-1').prices).sort()).toEqual(seoul.sort());
  });

  it('fails when a region has no price file', () => {
    expect(() => loadPriceFile('eu-west-3')).toThrow(
      `no price file for region eu-west-3: expected ${join(DEFAULT_PRICES_DIR, 'eu-west-3.json')}`,
    );
  });

  it('fails naming every bad field of a price file', () => {
    const file = fixturePrices();
    const bad = {
      ...file,
      asOf: '21/11/2026',
      prices: {
        ...file.prices,
        'nat.hour': { usd: -1, unit: '', source: 'blog' },
      },
    };
    expect(() => validatePriceFile(bad, 'prices.test')).toThrow(
      'Invalid configuration (4 problems):\n' +
        '  - prices.test.asOf 21/11/2026 must be the look-up date as YYYY-MM-DD\n' +
        '  - prices.test.prices.nat.hour.usd -1 must be a non-negative number of dollars\n' +
        '  - prices.test.prices.nat.hour.unit "" must name the unit\n' +
        "  - prices.test.prices.nat.hour.source blog must start with one of the file's sources (fixture)",
    );
  });
});

describe('usage assumptions', () => {
  it('exist for the platform stacks and the state backend', () => {
    for (const stack of ['staging', 'production', 'state-backend']) {
      expect(assumptionsFor(stack).hoursPerMonth).toBe(730);
    }
  });

  it('fails when a stack has none', () => {
    expect(() => assumptionsFor('qa')).toThrow(
      'no usage assumptions for stack qa (known: staging, production, state-backend); ' +
        'add them to src/tools/cost/assumptions.ts',
    );
  });

  it('fails naming every bad assumption', () => {
    const bad: UsageAssumptions = {
      ...ASSUMPTIONS,
      hoursPerMonth: 800,
      natProcessedGb: -5,
      gpuSpotDiscount: 1,
      albLcus: { internetFacing: Number.NaN, internal: 0 },
    };
    expect(() => validateAssumptions(bad, 'assumptions.test')).toThrow(
      'Invalid configuration (4 problems):\n' +
        '  - assumptions.test.hoursPerMonth 800 must be more than 0 and at most 744 (31 days)\n' +
        '  - assumptions.test.albLcus.internetFacing null must be a non-negative number\n' +
        '  - assumptions.test.natProcessedGb -5 must be a non-negative number\n' +
        '  - assumptions.test.gpuSpotDiscount 1 must be a fraction from 0 up to (not including) 1',
    );
  });
});

describe.each(['staging', 'production'] as const)('cost of the real %s stack', (stack) => {
  const json = synthStack(stack);
  const cost = estimateStack({
    stack,
    json,
    prices: loadPriceFile(stackRegion(json)),
    assumptions: assumptionsFor(stack),
  });
  const line = (key: string, scenario = 'fixed') =>
    cost.lines.find((l) => l.key === key && l.scenario === scenario);

  it('has line items in every category and no resource type it cannot price', () => {
    expect([...new Set(cost.lines.map((l) => l.category))].sort()).toEqual([...CATEGORIES].sort());
    expect(cost.unpriced).toEqual([]);
  });

  it('counts NAT gateways, their addresses and both load balancers from the stack', () => {
    const nats = stack === 'production' ? 2 : 1;
    expect(line('nat-gateway-hours')?.quantity).toBe(nats * 730);
    expect(line('public-ipv4-eip')?.quantity).toBe(nats * 730);
    // Production's API load balancer is internal (behind a CloudFront VPC origin): no public IPv4.
    if (stack === 'production') {
      expect(line('lb-hours:application:internet-facing')).toBeUndefined();
      expect(line('lb-hours:application:internal')?.quantity).toBe(2 * 730);
      expect(line('public-ipv4-alb')).toBeUndefined();
      // The VPC origin's ALB carries the public API traffic: 1 LCU, next to the model LB's 0.5.
      expect(line('lb-lcu:application:internal')?.quantity).toBe(1.5 * 730);
    } else {
      expect(line('lb-hours:application:internet-facing')?.quantity).toBe(730);
      expect(line('lb-hours:application:internal')?.quantity).toBe(730);
    }
  });

  it('prices Fargate at the service desired count and the task size', () => {
    const [tasks, vcpu, gb] = stack === 'production' ? [2, 2, 4] : [1, 0.5, 1];
    expect(line('fargate-vcpu:on-demand:api')?.quantity).toBe(tasks * vcpu * 730);
    expect(line('fargate-memory:on-demand:api')?.quantity).toBe(tasks * gb * 730);
  });

  it('doubles RDS instance hours and storage only for Multi-AZ production', () => {
    const copies = stack === 'production' ? 2 : 1;
    const storage = stack === 'production' ? 100 : 20;
    expect(line('rds-instance:database')?.quantity).toBe(copies * 730);
    expect(line('rds-storage:database')?.quantity).toBe(copies * storage);
    expect(line('cache-nodes:cache')?.quantity).toBe((stack === 'production' ? 2 : 1) * 730);
  });

  it('prices the GPU fleets at their min, schedule and max, spot above the on-demand base', () => {
    if (stack === 'staging') {
      expect(line('gpu-spot:model-server', 'gpu-min')?.quantity).toBe(730);
      expect(line('gpu-on-demand:model-server', 'gpu-min')).toBeUndefined();
      // All Spot (no base): 0 at min and at the (unscheduled) minimum, 1 at max.
      expect(line('gpu-spot:render-worker', 'gpu-scheduled')?.quantity).toBe(0);
      expect(line('gpu-spot:render-worker', 'gpu-max')?.quantity).toBe(730);
      expect(line('gpu-on-demand:render-worker', 'gpu-max')).toBeUndefined();
    } else {
      expect(line('gpu-on-demand:model-server', 'gpu-max')?.quantity).toBe(4 * 730);
      expect(line('gpu-on-demand:render-worker', 'gpu-min')?.quantity).toBe(2 * 730);
      // Schedule: 4 for 45 h, 2 for 75 h, 1 for 48 h a week; the base of 2 is on demand, the rest Spot.
      expect(line('gpu-on-demand:render-worker', 'gpu-scheduled')?.quantity).toBe(round2((288 / 168) * 730));
      expect(line('gpu-spot:render-worker', 'gpu-scheduled')?.quantity).toBe(round2((90 / 168) * 730));
      expect(line('gpu-spot:render-worker', 'gpu-scheduled')?.basis).toContain(
        '4 for 45 h, 2 for 75 h, 1 for 48 h a week (scheduled minimum)',
      );
      expect(line('gpu-detailed-monitoring:render-worker', 'gpu-max')?.quantity).toBe(8 * 7);
    }
    expect(cost.totals.withGpuAtMax).toBeGreaterThan(cost.totals.withGpuScheduled);
    // Production's weekend minimum (1) is below the group's own minimum (2), which the schedules own.
    expect(cost.totals.withGpuScheduled).toBeGreaterThan(cost.totals.withoutGpu);
    expect(cost.totals.withGpuAtMin).toBeGreaterThan(cost.totals.withoutGpu);
  });

  // CloudFront developer guide, "Choose the price class": only PriceClass_200 and All have edges
  // in Korea, so production pays Asian edge rates and staging North American ones.
  it(`prices CloudFront at ${stack === 'production' ? 'Asian edges (PriceClass_200)' : 'North American edges (PriceClass_100)'}`, () => {
    expect(cost.cloudFront).toMatchObject(
      stack === 'production'
        ? { priceClass: 'PriceClass_200', edge: 'asiaPacific' }
        : { priceClass: 'PriceClass_100', edge: 'northAmerica' },
    );
    expect(line('cloudfront-data')?.priceKey).toBe(
      `cloudfront.dataOut.${stack === 'production' ? 'asiaPacific' : 'northAmerica'}.gb`,
    );
    if (stack === 'production') {
      expect(cost.cloudFront!.monthlyUsd).toBeGreaterThan(cost.cloudFront!.atPriceClass100Usd);
    } else {
      expect(cost.cloudFront!.monthlyUsd).toBe(cost.cloudFront!.atPriceClass100Usd);
    }
  });

  it('prices the queue-depth publisher: 43,800 runs a month, their compute, schedule and metric puts', () => {
    expect(line('function-requests:queue-depth-publisher')?.quantity).toBe(0.0438);
    expect(line('function-duration:queue-depth-publisher')).toMatchObject({
      quantity: 5475,
      priceKey: 'lambda.arm.gbSecond',
    });
    expect(line('schedule-invocations:queue-depth-publisher')?.quantity).toBe(0.0438);
    expect(line('metric-puts:queue-depth-publisher')?.quantity).toBe(43.8);
  });

  it('prices the traces the sampling rules and the traced function record', () => {
    // Staging: 0.5 M requests (0.19 a second) all inside the reservoir of 1; production: 5 M
    // (1.90 a second) at 1 a second then 5 %: 2,628,000 + 0.05 x 2,372,000 = 2,746,600. Both plus
    // the queue-depth function's 43,800 runs.
    expect(line('xray-recorded')).toMatchObject({
      quantity: stack === 'production' ? 2.79 : 0.54,
      priceKey: 'xray.traces.recordedMillion',
    });
    expect(line('xray-retrieved')?.quantity).toBe(stack === 'production' ? 1 : 0.1);
  });

  it('has WAF and flow-log lines only where the stack creates them', () => {
    const present = stack === 'production';
    expect(line('waf-web-acls') !== undefined).toBe(present);
    expect(line('flow-logs') !== undefined).toBe(present);
  });

  it('finds every price it needs in the us-east-1 file too', () => {
    expect(() =>
      estimateStack({ stack, json, prices: loadPriceFile('us-east-1'), assumptions: assumptionsFor(stack) }),
    ).not.toThrow();
  });
});

describe('report rendering', () => {
  const costs = (['staging', 'production'] as const).map((stack) =>
    estimateStack({
      stack,
      json: synthStack(stack),
      prices: loadPriceFile('ap-northeast-2'),
      assumptions: assumptionsFor(stack),
    }),
  );
  const report = buildCostReport(
    costs,
    [loadPriceFile('ap-northeast-2'), loadPriceFile('us-east-1')],
    [{ label: 'staging without GPU', theirs: '~$91', oursUsd: costs[0].totals.withoutGpu }],
  );

  it('puts staging and production side by side with totals and GPU at min and max', () => {
    const text = renderTextTable(report);
    expect(text.split('\n')[1]).toMatch(/^Category\s+Item\s+staging\s+production$/);
    for (const label of ['Total without GPU', 'Total with GPU at min', 'Total with GPU at max']) {
      expect(text).toContain(label);
    }
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| Category | Item | staging | production |');
    expect(markdown).toContain("## Against the team's estimates");
    expect(markdown).toContain('| Price class | PriceClass_100 | PriceClass_200 |');
    expect(markdown).toMatch(/\| Difference \| \$0\.00 \| \$\d+\.\d\d \|/);
    expect(markdown).toContain('as of 2026-11-21');
  });

  it('keeps only the price files of the regions priced, and renders the same text twice', () => {
    expect(report.priceFiles.map((f) => f.region)).toEqual(['ap-northeast-2']);
    expect(renderMarkdown(report)).toBe(renderMarkdown(report));
    expect(JSON.parse(renderJson(report)).stacks.map((s: StackCost) => s.stack)).toEqual([
      'staging',
      'production',
    ]);
  });

  it('matches the committed docs/cost.json (run `npm run cost` after changing a stack or a price)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'cost.json'), 'utf8')) as {
      stacks: StackCost[];
    };
    const figures = (stacks: readonly StackCost[]) =>
      stacks.map((s) => ({ stack: s.stack, totals: s.totals, lines: byLine(s) }));
    expect(figures(committed.stacks)).toEqual(figures(costs));
  });
});

describe('cost of the custom domain (settings domainName + hostedZoneId)', () => {
  const built = buildTestApp({ ECG_DOMAIN_NAME: 'example.com', ECG_HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ' });
  const estimate = (stack: 'staging' | 'production', json: Json) =>
    estimateStack({
      stack,
      json,
      prices: loadPriceFile(stackRegion(json)),
      assumptions: assumptionsFor(stack),
    });
  const withDomain = estimate('production', JSON.parse(Testing.synth(built.platforms.production)) as Json);
  const without = estimate('production', synthStack('production'));

  it('prices the HTTPS health check ($0.50 + $1.00) and the us-east-1 key ($1); certificates and records are free', () => {
    const line = (key: string) => withDomain.lines.find((l) => l.key === key);
    expect([
      line('route53-health-checks')?.monthlyUsd,
      line('route53-health-checks-https')?.monthlyUsd,
    ]).toEqual([0.5, 1]);
    expect(withDomain.unpriced).toEqual([]);
    expect(Object.keys(withDomain.notBilled)).toEqual(
      expect.arrayContaining(['aws_acm_certificate', 'aws_acm_certificate_validation', 'aws_route53_record']),
    );
    expect(
      Math.round((withDomain.totals.withoutGpu - without.totals.withoutGpu) * 100) / 100,
    ).toBeGreaterThanOrEqual(2.5);
  });
});
