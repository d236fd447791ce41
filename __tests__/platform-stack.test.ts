import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { environmentConfig } from '../src/config';
import { PRESETS } from './variants/vpc';
import { evaluateStack, unsuppressedFindings } from '../src/policies';
import { buildTestApp, synthStack } from './support/app';
import { onlyResource, parseInterpolatedJson, resourcesOf, type Json } from './support/synth';

describe.each(['staging', 'production'] as const)('%s platform stack', (stack) => {
  const json = synthStack(stack);

  it('stores its state in the S3 backend under <project>/<stack>/terraform.tfstate with DynamoDB locking', () => {
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: 'ecg-video-pipeline-tfstate',
        key: `ecg-video-pipeline/${stack}/terraform.tfstate`,
        region: 'ap-northeast-2',
        dynamodb_table: 'ecg-video-pipeline-tflock',
        encrypt: true,
      },
    });
  });

  it('tags every resource through the provider default tags', () => {
    expect(JSON.stringify(json)).toHaveProviderWithProperties(AwsProvider, {
      region: 'ap-northeast-2',
      default_tags: [{ tags: { Project: 'ecg-video-pipeline', Environment: stack, ManagedBy: 'cdktf' } }],
    });
    expect(json.provider.aws[0].allowed_account_ids).toBeUndefined();
  });

  it('has the random provider and a 4-byte random suffix', () => {
    expect(json.terraform.required_providers.random.source).toBe('hashicorp/random');
    expect(json.terraform.required_providers.aws.version).toBe('5.100.0');
    expect(json.resource.random_id.suffix).toMatchObject({ byte_length: 4 });
  });

  it('requires Terraform 1.6 or newer', () => {
    expect(json.terraform.required_version).toBe('>= 1.6.0');
  });
});

describe('platform stack settings', () => {
  it('pins each environment to its own allowed account ids', () => {
    const built = buildTestApp({
      ECG_STAGING_ACCOUNT_IDS: '111111111111',
      ECG_PRODUCTION_ACCOUNT_IDS: '222222222222',
    });
    const staging = JSON.parse(Testing.synth(built.platforms.staging));
    const production = JSON.parse(Testing.synth(built.platforms.production));
    expect(staging.provider.aws[0].allowed_account_ids).toEqual(['111111111111']);
    expect(production.provider.aws[0].allowed_account_ids).toEqual(['222222222222']);
  });

  it('adds S3-native locking next to DynamoDB when use_lockfile is switched on', () => {
    const built = buildTestApp({}, { useLockfile: true });
    const staging = JSON.parse(Testing.synth(built.platforms.staging));
    expect(staging.terraform.backend.s3).toMatchObject({
      use_lockfile: true,
      dynamodb_table: 'ecg-video-pipeline-tflock',
    });
  });

  it('fails before building any stack when a setting is bad', () => {
    expect(() => buildTestApp({ ECG_REGION: 'seoul' })).toThrow(
      'ECG_REGION seoul must be an AWS region like ap-northeast-2',
    );
  });
});

type Row = string;

/** The security-group table derived from the synthesized rules: `<group> <in|out> <port> <peer>`. */
function securityGroupTable(json: Json, prefix: string): Row[] {
  const names: Record<string, string> = {};
  for (const [id, group] of Object.entries(resourcesOf(json, 'aws_security_group'))) {
    names[id] = String(group.name).replace(`${prefix}-`, '');
  }
  const groupOf = (ref: string) => names[/aws_security_group\.([^.]+)\.id/.exec(ref)![1]];
  const rows: Row[] = [];
  for (const [type, direction] of [
    ['aws_vpc_security_group_ingress_rule', 'in'],
    ['aws_vpc_security_group_egress_rule', 'out'],
  ]) {
    for (const rule of Object.values(resourcesOf(json, type))) {
      const peer = rule.referenced_security_group_id
        ? groupOf(rule.referenced_security_group_id)
        : rule.cidr_ipv4 === '${each.value}'
          ? `each of ${rule.for_each}`
          : rule.cidr_ipv4;
      const port = rule.ip_protocol === '-1' ? 'all' : rule.from_port;
      rows.push(`${groupOf(rule.security_group_id)} ${direction} ${port} ${peer}`);
    }
  }
  return rows.sort();
}

/** Subnets the interface endpoints admit: production's private and GPU tiers; staging has none. */
function endpointClients(stack: 'staging' | 'production'): string[] {
  const network = PRESETS[stack].network;
  return network.interfaceEndpoints ? [...network.privateSubnets, ...network.gpuSubnets] : [];
}

describe.each(['staging', 'production'] as const)('%s platform wiring', (stack) => {
  const json = synthStack(stack);
  const prefix = `ecg-video-pipeline-${stack}`;

  it('has exactly the security-group rules of the docs/design.md table', () => {
    // Production's ALB is internal: it admits only the VPC range, on the port the VPC origin uses.
    const albIngress =
      stack === 'staging'
        ? ['alb in 80 0.0.0.0/0', 'alb in 443 0.0.0.0/0']
        : [`alb in 80 ${onlyResource(json, 'aws_vpc').cidr_block}`];
    expect(securityGroupTable(json, prefix)).toEqual(
      [
        ...albIngress,
        // The blue/green test listener: from inside the VPC only, in both stacks.
        `alb in 8080 ${onlyResource(json, 'aws_vpc').cidr_block}`,
        'alb out 8000 api',
        'api in 8000 alb',
        'api in 8000 model-server',
        'api out 443 0.0.0.0/0',
        'api out 5432 db',
        'api out 6379 cache',
        'api out 8080 model-server-lb',
        'api out 8090 render-worker',
        'model-server-lb in 8080 api',
        'model-server-lb out 8080 model-server',
        'model-server in 8080 model-server-lb',
        'model-server in 22 each of ${toset(var.ssh_allowed_cidrs)}',
        'model-server out all 0.0.0.0/0',
        'render-worker in 8090 api',
        'render-worker out all 0.0.0.0/0',
        'db in 5432 api',
        'cache in 6379 api',
        'cache in 6379 render-worker',
        // The queue-depth publisher (docs/design.md): Redis and the AWS APIs, nothing inbound.
        'cache in 6379 queue-depth',
        'queue-depth out 6379 cache',
        'queue-depth out 443 0.0.0.0/0',
        // Interface endpoints: HTTPS from the private and GPU subnets only (issue 13, item 3).
        ...endpointClients(stack).map((cidr) => `vpc-endpoints in 443 ${cidr}`),
      ].sort(),
    );
  });

  it('keeps every rule standalone (no inline rules that could form a cycle) and described', () => {
    for (const group of Object.values(resourcesOf(json, 'aws_security_group'))) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(group.description).toBeTruthy();
    }
    for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      for (const rule of Object.values(resourcesOf(json, type))) expect(rule.description).toBeTruthy();
    }
  });

  it(
    stack === 'staging'
      ? 'opens no CIDR ingress but 80/443 on the public ALB (and SSH from the validated variable)'
      : 'admits 0.0.0.0/0 nowhere: only the VPC range to the internal ALB (and SSH from the validated variable)',
    () => {
      const cidrIngress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter(
        (r) => r.cidr_ipv4 !== undefined || r.cidr_ipv6 !== undefined,
      );
      expect(cidrIngress.map((r) => `${r.from_port} ${r.cidr_ipv4}`).sort()).toEqual(
        [
          ...(stack === 'staging'
            ? ['22 ${each.value}', '443 0.0.0.0/0', '80 0.0.0.0/0']
            : ['22 ${each.value}', `80 ${onlyResource(json, 'aws_vpc').cidr_block}`]),
          // The blue/green test listener admits the VPC range only, never the internet.
          `8080 ${onlyResource(json, 'aws_vpc').cidr_block}`,
          // The interface endpoints admit the private and GPU subnets (private ranges).
          ...endpointClients(stack).map((cidr) => `443 ${cidr}`),
        ].sort(),
      );
      // The SSH list is validated: a variable that lists 0.0.0.0/0 is refused (see tfvars tests).
      if (stack === 'production') {
        const world = ['0.0.0.0/0', '::/0'];
        for (const r of cidrIngress) {
          expect(world).not.toContain(r.cidr_ipv4);
          expect(world).not.toContain(r.cidr_ipv6);
        }
      }
    },
  );

  it('gives the API its model server URL, database settings and secrets by reference', () => {
    const [task] = Object.values(resourcesOf(json, 'aws_ecs_task_definition'));
    const [container] = parseInterpolatedJson(task.container_definitions) as Json[];
    const env = Object.fromEntries(container.environment.map((e: Json) => [e.name, e.value]));
    const raw = String(task.container_definitions);
    expect(Object.keys(env).sort()).toEqual([
      'AWS_DEFAULT_REGION',
      'DATABASE_HOST',
      'DATABASE_NAME',
      'DATABASE_PORT',
      'DATABASE_USER',
      'MODEL_SERVER_URL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_PROPAGATORS',
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_SERVICE_NAME',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
      'S3_BUCKET_NAME',
    ]);
    // The collector beside the API listens on the task's loopback (awsvpc: one network namespace).
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4318');
    expect(raw).toMatch(
      /"MODEL_SERVER_URL","value":"http:\/\/\$\{aws_lb\.model-server_[^.]+\.dns_name\}:8080"/,
    );
    expect(env.DATABASE_PORT).toBe('5432');
    expect(container.secrets.map((s: Json) => s.name).sort()).toEqual([
      'DATABASE_PASSWORD',
      'REDIS_URL',
      'SECRET_KEY',
    ]);
    expect(raw).toMatch(
      /"name":"DATABASE_PASSWORD","valueFrom":"\$\{aws_db_instance\.[^}]+master_user_secret\[0\]\.secret_arn\}:password::"/,
    );
    expect(raw).toContain('"image":"${coalesce(var.api_image, "${aws_ecr_repository.');
    expect(raw).toContain(':${var.api_image_tag}")}"');
  });

  it('allows no "*" action in any IAM or resource policy', () => {
    const documents = [
      ...Object.values(resourcesOf(json, 'aws_iam_role_policy')).map((p) => p.policy),
      ...Object.values(resourcesOf(json, 'aws_s3_bucket_policy')).map((p) => p.policy),
      ...Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => r.assume_role_policy),
    ];
    expect(documents.length).toBeGreaterThan(8);
    for (const document of documents) {
      const parsed = parseInterpolatedJson(String(document));
      for (const statement of parsed.Statement) {
        if (statement.Effect !== 'Allow') continue;
        for (const action of [statement.Action].flat()) {
          expect(action === '*' || /^[a-z0-9-]+:\*$/.test(action), `${action} in ${document}`).toBe(false);
        }
      }
    }
  });

  it('never holds a secret as a literal', () => {
    const raw = JSON.stringify(json);
    for (const [id, password] of Object.entries(resourcesOf(json, 'random_password'))) {
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(raw).toContain(`random_password.${id}.result`);
    }
    expect(onlyResource(json, 'aws_db_instance').manage_master_user_password).toBe(true);
    expect(onlyResource(json, 'aws_db_instance').password).toBeUndefined();
    expect(onlyResource(json, 'aws_elasticache_replication_group').auth_token).toMatch(
      /^\$\{random_password\./,
    );
    for (const version of Object.values(resourcesOf(json, 'aws_secretsmanager_secret_version'))) {
      expect(version.secret_string).toMatch(/\$\{random_password\.[^}]+\.result\}/);
    }
  });

  it('exports the outputs users script against, each with a description', () => {
    expect(Object.keys(json.output).sort()).toEqual(
      [
        'alarm_topic_arn',
        'alb_dns_name',
        'api_url',
        'cloudfront_distribution_id',
        'cloudfront_url',
        'ecr_api_repository_url',
        'ecr_model_server_repository_url',
        'ecr_render_worker_repository_url',
        'ecs_cluster_name',
        'ecs_service_name',
        'model_server_url',
        'rds_endpoint',
        'rds_master_secret_arn',
        'redis_endpoint',
        's3_cloudfront_logs_bucket',
        's3_frontend_bucket_name',
        's3_video_storage_bucket',
        'vpc_id',
        'api_redeploy_state_machine_arn',
        // What a release names (aws deploy create-deployment with an AppSpec).
        'api_codedeploy_application',
        'api_codedeploy_deployment_group',
        'api_task_definition_arn',
        'api_container_name',
        'api_container_port',
        'api_release_revision',
        // Disaster recovery: production only (issue 13, item 4).
        ...(stack === 'production' ? ['s3_video_replica_bucket', 'rds_backup_replica_kms_key_arn'] : []),
      ].sort(),
    );
    for (const output of Object.values(json.output as Record<string, Json>))
      expect(output.description).toBeTruthy();
    expect(json.output.cloudfront_url.value).toMatch(
      /^https:\/\/\$\{aws_cloudfront_distribution\.[^.]+\.domain_name\}$/,
    );
  });

  it('declares the deploy-time variables with a type, a description, a default and a validation', () => {
    expect(Object.keys(json.variable).sort()).toEqual([
      'alarm_email',
      'api_image',
      'api_image_tag',
      'model_server_image_tag',
      'render_worker_image_tag',
      'ssh_allowed_cidrs',
    ]);
    for (const variable of Object.values(json.variable as Record<string, Json>)) {
      expect(variable.type).toBeTruthy();
      expect(variable.description).toBeTruthy();
      expect(variable.default).toBeDefined();
      expect(variable.validation.length).toBeGreaterThanOrEqual(1);
    }
  });

  const immutable = stack === 'production';
  it(
    immutable
      ? 'has no latest default for image tags and rejects latest (IMMUTABLE ECR refuses a second push of a tag)'
      : 'defaults image tags to latest (MUTABLE ECR)',
    () => {
      for (const name of ['api_image_tag', 'model_server_image_tag', 'render_worker_image_tag']) {
        const variable = json.variable[name];
        expect(variable.default).toBe(immutable ? '' : 'latest');
        const conditions = variable.validation.map((v: Json) => v.condition);
        expect(conditions[0]).toBe(
          `\${var.${name} == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.${name}))}`,
        );
        expect(conditions.slice(1)).toEqual(immutable ? [`\${var.${name} != "latest"}`] : []);
      }
    },
  );

  it('alarms only on GPU metrics the hosts publish and group metrics the groups collect', () => {
    const alarmMetrics = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).flatMap((a) =>
      (
        a.metric_query ?? [
          { metric: { namespace: a.namespace, metric_name: a.metric_name, dimensions: a.dimensions } },
        ]
      )
        .map((q: Json) => q.metric)
        .filter((m: Json | undefined) => m !== undefined),
    );
    const agentMetrics = alarmMetrics.filter((m: Json) => m.namespace === 'CWAgent');
    expect(agentMetrics.map((m: Json) => m.metric_name).sort()).toEqual([
      'disk_used_percent',
      'disk_used_percent',
      'nvidia_smi_memory_total',
      'nvidia_smi_memory_total',
      'nvidia_smi_memory_used',
      'nvidia_smi_memory_used',
      'nvidia_smi_utilization_gpu',
      'nvidia_smi_utilization_gpu',
    ]);
    const platform = buildTestApp().platforms[stack];
    for (const fleet of [platform.modelServer, platform.renderWorker]) {
      const script = fleet.userDataScript;
      const start = script.indexOf('\n', script.indexOf(`/etc/${fleet.node.id}.json" <<'EOF'`)) + 1;
      const config = JSON.parse(script.slice(start, script.indexOf('\nEOF\n', start)));
      // The agent publishes measurement m of nvidia_gpu as nvidia_smi_m, aggregated per group, with
      // the unit the measurement declares (None without one).
      expect(config.metrics.namespace).toBe('CWAgent');
      expect(config.metrics.metrics_collected.nvidia_gpu.measurement).toEqual(
        expect.arrayContaining([
          { name: 'memory_used', unit: 'Megabytes' },
          { name: 'memory_total', unit: 'Megabytes' },
          { name: 'utilization_gpu', unit: 'Percent' },
        ]),
      );
      // The root volume's used_percent: the agent's disk plugin puts it in Percent (its unit table).
      expect(config.metrics.metrics_collected.disk).toEqual({
        measurement: ['used_percent'],
        resources: ['/'],
      });
      expect(config.metrics.aggregation_dimensions).toEqual([['AutoScalingGroupName']]);
      expect(config.metrics.append_dimensions).toEqual({
        AutoScalingGroupName: '${aws:AutoScalingGroupName}',
      });
    }
    const groupMetrics = alarmMetrics
      .filter((m: Json) => m.namespace === 'AWS/AutoScaling')
      .map((m: Json) => m.metric_name);
    expect(groupMetrics).toEqual(expect.arrayContaining(['GroupDesiredCapacity', 'GroupInServiceInstances']));
    for (const asg of Object.values(resourcesOf(json, 'aws_autoscaling_group'))) {
      expect(asg.enabled_metrics).toEqual(expect.arrayContaining([...new Set(groupMetrics)]));
      expect(asg.metrics_granularity).toBe('1Minute');
    }
  });

  it('holds each GPU fleet at zero instances while its image tag is empty', () => {
    const groups = Object.values(resourcesOf(json, 'aws_autoscaling_group'));
    const config = buildTestApp().platforms[stack].config.gpu;
    const expected = [
      ['model-server', 'model_server_image_tag', config.modelServer.count],
      ['render-worker', 'render_worker_image_tag', config.renderWorker.count],
    ] as const;
    for (const [name, variable, count] of expected) {
      const asg = groups.find((g) => g.name === `ecg-video-pipeline-${stack}-${name}`) as Json;
      const gated = (n: number) => (n === 0 ? 0 : `\${(var.${variable} == "") ? 0 : ${n}}`);
      expect([asg.min_size, asg.desired_capacity, asg.max_size]).toEqual([
        gated(count.min),
        gated(count.desired),
        gated(count.max),
      ]);
      const inService = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).find(
        (a) => a.alarm_name === `ecg-video-pipeline-${stack}-${name}-in-service`,
      );
      // The lowest planned minimum: production's render workers run 1 host at weekends.
      const lowest = {
        staging: { 'model-server': 1, 'render-worker': 0 },
        production: { 'model-server': 1, 'render-worker': 1 },
      }[stack][name];
      expect(inService?.threshold).toEqual(lowest === 0 ? undefined : gated(lowest));
    }
  });
});

describe('production-only wiring', () => {
  const staging = synthStack('staging');
  const production = synthStack('production');

  it('puts the production ALB in the private subnets behind a CloudFront VPC origin, with no header', () => {
    const rules = (json: Json) =>
      Object.values(resourcesOf(json, 'aws_lb_listener_rule')).filter((r) =>
        JSON.stringify(r.condition).includes('X-Origin-Verify'),
      );
    expect(rules(staging)).toEqual([]);
    expect(rules(production)).toEqual([]);
    const apiAlb = (json: Json) =>
      Object.entries(resourcesOf(json, 'aws_lb')).find(([name]) => name.startsWith('api_alb_'))!;
    const [prodName, prodAlb] = apiAlb(production);
    expect(prodAlb.internal).toBe(true);
    expect(JSON.stringify(prodAlb.subnets)).toContain('private');
    expect(JSON.stringify(prodAlb.subnets)).not.toContain('public');
    expect(apiAlb(staging)[1].internal).toBe(false);
    expect(onlyResource(production, 'aws_cloudfront_vpc_origin').vpc_origin_endpoint_config[0].arn).toBe(
      `\${aws_lb.${prodName}.arn}`,
    );
    expect(resourcesOf(staging, 'aws_cloudfront_vpc_origin')).toEqual({});
    expect(production.output.api_url.value).toMatch(
      /^https:\/\/\$\{aws_cloudfront_distribution\.[^.]+\.domain_name\}\/api$/,
    );
    expect(staging.output.api_url.value).toMatch(/^http:\/\/\$\{aws_lb\.api_alb_[^.]+\.dns_name\}$/);
  });

  it('allows CORS from the distribution in both, plus the developer origin in staging, never *', () => {
    const origins = (json: Json) =>
      onlyResource(json, 'aws_s3_bucket_cors_configuration').cors_rule[0].allowed_origins;
    expect(origins(staging)).toEqual([
      'http://localhost:3000',
      expect.stringMatching(/^https:\/\/\$\{aws_cloudfront_distribution\.[^.]+\.domain_name\}$/),
    ]);
    expect(origins(production)).toEqual([
      expect.stringMatching(/^https:\/\/\$\{aws_cloudfront_distribution\.[^.]+\.domain_name\}$/),
    ]);
  });

  it('delivers ALB access logs to the logs bucket in production', () => {
    const [alb] = Object.entries(resourcesOf(production, 'aws_lb'))
      .filter(([name]) => name.startsWith('api_alb_'))
      .map(([, lb]) => lb);
    expect(alb.access_logs).toMatchObject({ enabled: true });
    const policy = Object.values(resourcesOf(production, 'aws_s3_bucket_policy')).find((p) =>
      p.policy.includes('AlbAccessLogs'),
    );
    expect(policy).toBeDefined();
  });
});

describe('GitHub OIDC deploy roles', () => {
  const built = buildTestApp({ ECG_GITHUB_REPOSITORY: 'ecg-team/ecg-video-pipeline' });
  const synth = (stack: 'staging' | 'production') =>
    JSON.parse(Testing.synth(built.platforms[stack])) as Json;

  it('are absent unless a repository is configured', () => {
    expect(resourcesOf(synthStack('staging'), 'aws_iam_openid_connect_provider')).toEqual({});
    expect(synthStack('staging').output.github_app_deploy_role_arn).toBeUndefined();
  });

  it.each([
    ['staging', 'repo:ecg-team/ecg-video-pipeline:environment:staging'],
    ['production', 'repo:ecg-team/ecg-video-pipeline:environment:production'],
  ] as const)('trust only %s subject %s and are exported', (stack, subject) => {
    const json = synth(stack);
    const trusts = Object.values(resourcesOf(json, 'aws_iam_role'))
      .map((r) => parseInterpolatedJson(r.assume_role_policy))
      .filter((p) => JSON.stringify(p).includes('token.actions.githubusercontent.com'));
    expect(trusts).toHaveLength(2);
    for (const trust of trusts) {
      expect(JSON.stringify(trust.Statement[0].Condition)).toContain(JSON.stringify(subject));
    }
    expect(json.output.github_app_deploy_role_arn.value).toMatch(/^\$\{aws_iam_role\./);
    expect(json.output.github_infra_deploy_role_arn.value).toMatch(/^\$\{aws_iam_role\./);
  });

  it('pass the policy pack', () => {
    for (const stack of ['staging', 'production'] as const) {
      expect(unsuppressedFindings(evaluateStack(synth(stack), stack))).toEqual([]);
    }
  });

  /** The federated trust principals of the GitHub roles of one stack, as Terraform expressions. */
  const federated = (json: Json) =>
    Object.values(resourcesOf(json, 'aws_iam_role'))
      .map((r) => /"Principal":\{"Federated":"(.*?)"\},"Action"/.exec(r.assume_role_policy as string)?.[1])
      .filter((p) => p !== undefined);

  // IAM: "You cannot register the same provider multiple times in a single AWS account"
  // (CreateOpenIDConnectProvider); the second stack would fail with EntityAlreadyExists.
  it('create the one GitHub OIDC provider in staging when the accounts are not pinned apart', () => {
    const staging = synth('staging');
    const production = synth('production');
    const [provider] = Object.keys(resourcesOf(staging, 'aws_iam_openid_connect_provider'));
    expect(provider).toBeDefined();
    expect(federated(staging)).toEqual([
      `\${aws_iam_openid_connect_provider.${provider}.arn}`,
      `\${aws_iam_openid_connect_provider.${provider}.arn}`,
    ]);
    expect(resourcesOf(production, 'aws_iam_openid_connect_provider')).toEqual({});
    // Production's account comes from one of its own ARNs: no lookup, no reference to staging.
    const arn = federated(production);
    expect(arn).toHaveLength(2);
    expect(arn[0]).toMatch(
      /^arn:aws:iam::\$\{element\(split\(":", aws_ecs_cluster\.[^.]+\.arn\), 4\)\}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
    );
    expect(JSON.stringify(production)).not.toContain('terraform_remote_state');
  });

  it('create a provider in each environment when the accounts are pinned apart', () => {
    const pinned = buildTestApp({
      ECG_GITHUB_REPOSITORY: 'ecg-team/ecg-video-pipeline',
      ECG_STAGING_ACCOUNT_IDS: '111111111111',
      ECG_PRODUCTION_ACCOUNT_IDS: '222222222222',
    });
    for (const stack of ['staging', 'production'] as const) {
      const json = JSON.parse(Testing.synth(pinned.platforms[stack])) as Json;
      expect(Object.keys(resourcesOf(json, 'aws_iam_openid_connect_provider'))).toHaveLength(1);
    }
  });

  it('fail before synth when two environments would create the provider in one account', () => {
    expect(() =>
      buildTestApp(
        { ECG_GITHUB_REPOSITORY: 'ecg-team/ecg-video-pipeline' },
        {},
        {
          environments: (settings) =>
            (['staging', 'production'] as const).map((name) => {
              const cfg = environmentConfig(name, settings);
              return { ...cfg, cicd: { ...cfg.cicd, createOidcProvider: true } };
            }),
        },
      ),
    ).toThrow(
      "production.cicd.createOidcProvider true must be false while staging creates the GitHub OIDC provider and the two are not pinned to different accounts (settings.allowedAccountIds): IAM holds one provider per URL per account, so the second apply would fail with EntityAlreadyExists. Pin both account ids, or let this stack reference staging's provider",
    );
  });
});

describe('HTTPS to the internal ALB', () => {
  const CERT = 'arn:aws:acm:ap-northeast-2:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
  const built = buildTestApp(
    {},
    {},
    {
      environments: (settings) =>
        (['staging', 'production'] as const).map((name) => {
          const cfg = environmentConfig(name, settings);
          return name === 'production'
            ? {
                ...cfg,
                alb: { ...cfg.alb, certificateArn: CERT, originDomainName: 'api-origin.example.com' },
              }
            : cfg;
        }),
    },
  );
  const json = JSON.parse(Testing.synth(built.platforms.production)) as Json;

  // CloudFront checks the origin's certificate against the origin domain name, so the origin is
  // the configured name (which the certificate covers), not the ALB's *.elb.amazonaws.com name.
  it('connects https-only on 443 to the configured origin name, and opens only 443 (origin) and 8080 (test listener) to the VPC', () => {
    expect(onlyResource(json, 'aws_cloudfront_vpc_origin').vpc_origin_endpoint_config[0]).toMatchObject({
      origin_protocol_policy: 'https-only',
      https_port: 443,
    });
    const albOrigin = (onlyResource(json, 'aws_cloudfront_distribution').origin as Json[]).find(
      (o) => o.origin_id === 'alb',
    )!;
    expect(albOrigin.domain_name).toBe('api-origin.example.com');
    const albGroup = Object.entries(resourcesOf(json, 'aws_security_group')).find(([, g]) =>
      String(g.name).endsWith('-alb'),
    )![0];
    const cidrIngress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))
      .filter(
        (r) => r.security_group_id === `\${aws_security_group.${albGroup}.id}` && r.cidr_ipv4 !== undefined,
      )
      .map((r) => `${r.from_port} ${r.cidr_ipv4}`);
    expect(cidrIngress.sort()).toEqual([
      `443 ${onlyResource(json, 'aws_vpc').cidr_block}`,
      `8080 ${onlyResource(json, 'aws_vpc').cidr_block}`,
    ]);
  });
});
