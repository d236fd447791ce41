import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { TerraformOutput, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { GpuConfig } from '../src/config';
import { GpuFleet, type GpuFleetProps } from '../src/modules/ec2-gpu';
import { Peer } from '../src/lib/security-group';
import { DLAMI_ROOT_SNAPSHOT_GB, GPU_IMAGE_ALLOWANCE_GB } from '../src/lib/aws/ami';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';
import { BUCKET_ARN, environments, fleetProps, SMALL_FLEET } from './variants/ec2-gpu';

const DLAMI = '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';

/** A small valid fleet for the input tests. */
const BASE = SMALL_FLEET;

function build(
  props: GpuFleetProps,
  extra?: (fleet: GpuFleet, scope: Construct) => void,
): { json: Json; fleet: GpuFleet } {
  let fleet: GpuFleet | undefined;
  const json = synthScope((scope) => {
    fleet = new GpuFleet(scope, 'fleet', props);
    extra?.(fleet, scope);
  });
  return { json, fleet: fleet as GpuFleet };
}

function failure(props: Partial<GpuFleetProps> & Record<string, unknown>): string {
  return errorOf(() => build({ ...BASE, ...props } as GpuFleetProps));
}

function decodeUserData(json: Json): string {
  return Buffer.from(onlyResource(json, 'aws_launch_template').user_data, 'base64').toString('utf8');
}

/** `${type.name.attr}` of the single resource of `type`. */
function ref(json: Json, type: string, attr: string): string {
  const keys = Object.keys(resourcesOf(json, type));
  if (keys.length !== 1) throw new Error(`expected one ${type}`);
  return `\${${type}.${keys[0]}.${attr}}`;
}

/** `${aws_security_group.<fleet group>.id}` (not the load balancer's group). */
function fleetGroupRef(json: Json): string {
  const key = Object.keys(resourcesOf(json, 'aws_security_group')).find(
    (k) => !k.includes('lb-security-group'),
  );
  return `\${aws_security_group.${key}.id}`;
}

const SIZES: Record<string, Record<keyof GpuConfig, [number, number, number]>> = {
  staging: { modelServer: [1, 1, 1], renderWorker: [0, 0, 1] },
  production: { modelServer: [1, 1, 4], renderWorker: [2, 2, 8] },
};

describe.each(['staging', 'production'])('GpuFleet (%s preset)', (env) => {
  const cfg = environments[env];
  const prod = env === 'production';

  describe.each([
    ['modelServer', 'model-server', 'g4dn.xlarge', 8080],
    ['renderWorker', 'render-worker', 'g4dn.2xlarge', 8090],
  ] as const)('%s', (fleetKey, name, instanceType, port) => {
    const { json, fleet } = build(fleetProps(cfg, fleetKey), (f, scope) => {
      new TerraformOutput(scope, 'url', { value: f.url ?? 'none' });
    });
    const fullName = `ecg-video-pipeline-${env}-${name}`;
    const lt = onlyResource(json, 'aws_launch_template');
    const asg = onlyResource(json, 'aws_autoscaling_group');
    const loadBalanced = fleetKey === 'modelServer';

    it(`launches ${instanceType} from the Deep Learning AMI resolved through SSM`, () => {
      expect(lt.instance_type).toBe(instanceType);
      expect(lt.image_id).toBe(`resolve:ssm:${DLAMI}`);
      expect(lt.name).toBe(fullName);
    });

    it('requires IMDSv2 with hop limit 2 (CKV_AWS_79, AVD-AWS-0028)', () => {
      expect(lt.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 2,
      });
    });

    it('has an encrypted gp3 root volume for the DLAMI plus two images and no public IP (CKV_AWS_8, CKV_AWS_88)', () => {
      expect(lt.block_device_mappings).toEqual([
        {
          device_name: '/dev/sda1',
          ebs: {
            volume_size: DLAMI_ROOT_SNAPSHOT_GB + 2 * GPU_IMAGE_ALLOWANCE_GB,
            volume_type: 'gp3',
            encrypted: 'true',
            delete_on_termination: 'true',
          },
        },
      ]);
      expect(lt.network_interfaces).toEqual([
        {
          device_index: 0,
          associate_public_ip_address: 'false',
          delete_on_termination: 'true',
          security_groups: [fleetGroupRef(json)],
        },
      ]);
    });

    it(`is EBS optimized with an instance profile; detailed monitoring ${prod ? 'on' : 'off'} (CKV_AWS_126, CKV_AWS_135)`, () => {
      expect(lt.ebs_optimized).toBe('true');
      expect(lt.iam_instance_profile).toEqual({ arn: ref(json, 'aws_iam_instance_profile', 'arn') });
      expect(lt.monitoring).toEqual({ enabled: prod });
    });

    it('runs the image with the GPU as a systemd service logging to CloudWatch, with no credential', () => {
      const script = decodeUserData(json);
      const image = `123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/${fullName}:v1`;
      expect(script).toBe(fleet.userDataScript);
      expect(script).toContain('aws ecr get-login-password --region "$REGION" | docker login --username AWS');
      expect(script).toContain(`IMAGE="${image}"`);
      expect(script).toContain('docker pull "$IMAGE"');
      expect(script).toContain(
        `ExecStart=/usr/bin/docker run --rm --name ${name} --gpus all -p ${port}:${port} ` +
          `--add-host host.docker.internal:host-gateway ` +
          `--env-file /etc/${name}/container.env --env-file /run/${name}/secrets.env --log-driver awslogs ` +
          `--log-opt awslogs-region=ap-northeast-2 --log-opt awslogs-group=/ec2/${fullName} ` +
          `--log-opt awslogs-stream=\${INSTANCE_ID} ${image}`,
      );
      expect(script).toContain('Restart=always');
      expect(script).toContain(`systemctl enable --now --no-block ${name}.service`);
      expect(script).toContain(`PORT=${port}\n`);
      expect(script).not.toMatch(
        /AKIA[0-9A-Z]{16}|aws_secret_access_key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/i,
      );
    });

    it('writes container logs to /ec2/<name> with the environment retention (CKV_AWS_338)', () => {
      expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({
        name: `/ec2/${fullName}`,
        retention_in_days: prod ? 30 : 7,
      });
    });

    it('sizes the Auto Scaling group per docs/design.md in the GPU subnets', () => {
      const [min, desired, max] = SIZES[env][fleetKey];
      expect([asg.min_size, asg.desired_capacity, asg.max_size]).toEqual([min, desired, max]);
      expect(asg.vpc_zone_identifier).toEqual(['subnet-gpu-a', 'subnet-gpu-c']);
      // Production's scheduled actions own the minimum after creation (Terraform must not reset it).
      expect(asg.lifecycle).toEqual({
        ignore_changes:
          prod && fleetKey === 'renderWorker' ? ['desired_capacity', 'min_size'] : ['desired_capacity'],
      });
    });

    it('refreshes instances launch-before-terminate when the launch template changes (AWS: max healthy 100-200, max - min <= 100)', () => {
      expect(asg.instance_refresh).toEqual({
        strategy: 'Rolling',
        preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200 },
      });
      // The refresh waits the group's default warm-up for each replacement before retiring an instance.
      expect([asg.default_instance_warmup, asg.health_check_grace_period]).toEqual([900, 900]);
      const version = ref(json, 'aws_launch_template', 'latest_version');
      const template =
        asg.launch_template ?? asg.mixed_instances_policy.launch_template.launch_template_specification;
      expect(template.version).toBe(version);
    });

    // Render workers run Spot in both environments (production above an on-demand base of 2).
    const spot = fleetKey === 'renderWorker' || env === 'staging';
    const fallbacks = fleetKey === 'renderWorker' ? ['g5.2xlarge', 'g6.2xlarge'] : ['g5.xlarge', 'g6.xlarge'];
    const base = fleetKey === 'renderWorker' && prod ? 2 : 0;
    it(spot ? 'uses spot through a mixed-instances policy with capacity rebalance' : 'runs on demand', () => {
      if (spot) {
        expect(asg.launch_template).toBeUndefined();
        expect(asg.mixed_instances_policy).toEqual({
          instances_distribution: {
            on_demand_allocation_strategy: 'prioritized',
            on_demand_base_capacity: base,
            on_demand_percentage_above_base_capacity: 0,
            spot_allocation_strategy: 'price-capacity-optimized',
          },
          launch_template: {
            launch_template_specification: {
              launch_template_id: ref(json, 'aws_launch_template', 'id'),
              version: ref(json, 'aws_launch_template', 'latest_version'),
            },
            override: [instanceType, ...fallbacks].map((instance_type) => ({ instance_type })),
          },
        });
        expect(asg.capacity_rebalance).toBe(true);
      } else {
        expect(asg.mixed_instances_policy).toBeUndefined();
        expect(asg.launch_template).toEqual({
          id: ref(json, 'aws_launch_template', 'id'),
          version: ref(json, 'aws_launch_template', 'latest_version'),
        });
        expect(asg.capacity_rebalance).toBe(false);
      }
    });

    if (loadBalanced) {
      it(`sits behind an internal ALB on ${port} with /health checks and ELB health checks`, () => {
        const lb = onlyResource(json, 'aws_lb');
        expect(lb).toMatchObject({
          internal: true,
          load_balancer_type: 'application',
          subnets: ['subnet-gpu-a', 'subnet-gpu-c'],
          drop_invalid_header_fields: true,
          enable_deletion_protection: prod,
        });
        expect(onlyResource(json, 'aws_lb_target_group')).toMatchObject({
          port,
          protocol: 'HTTP',
          target_type: 'instance',
          health_check: { path: '/health', port: 'traffic-port', matcher: '200' },
        });
        expect(JSON.stringify(json)).toHaveResourceWithProperties(LbListener, {
          port,
          protocol: 'HTTP',
          default_action: [{ type: 'forward', target_group_arn: ref(json, 'aws_lb_target_group', 'arn') }],
        });
        expect(asg.health_check_type).toBe('ELB');
        expect(asg.target_group_arns).toEqual([ref(json, 'aws_lb_target_group', 'arn')]);
        expect(json.output.url.value).toBe(`http://${ref(json, 'aws_lb', 'dns_name')}:${port}`);
      });

      it('lets only the load balancer reach the instances on the port (model-lb -> model)', () => {
        const lbKey = Object.keys(resourcesOf(json, 'aws_security_group')).find((k) =>
          k.includes('lb-security-group'),
        );
        const lbGroup = `\${aws_security_group.${lbKey}.id}`;
        expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))).toEqual([
          expect.objectContaining({
            security_group_id: fleetGroupRef(json),
            referenced_security_group_id: lbGroup,
            from_port: port,
            to_port: port,
          }),
        ]);
        expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'))).toContainEqual(
          expect.objectContaining({
            security_group_id: lbGroup,
            referenced_security_group_id: fleetGroupRef(json),
            from_port: port,
          }),
        );
      });

      it('tracks 70 % GPU utilization of the group (agent metric, group dimension) and 80 % CPU', () => {
        expect(JSON.stringify(json)).toHaveResourceWithProperties(AutoscalingPolicy, {
          name: `${fullName}-gpu-utilization`,
          policy_type: 'TargetTrackingScaling',
          target_tracking_configuration: {
            target_value: 70,
            customized_metric_specification: {
              namespace: 'CWAgent',
              metric_name: 'nvidia_smi_utilization_gpu',
              statistic: 'Average',
              metric_dimension: [
                { name: 'AutoScalingGroupName', value: ref(json, 'aws_autoscaling_group', 'name') },
              ],
            },
          },
        });
        expect(JSON.stringify(json)).toHaveResourceWithProperties(AutoscalingPolicy, {
          name: `${fullName}-cpu`,
          target_tracking_configuration: {
            target_value: 80,
            predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
          },
        });
      });
    } else {
      it('has no load balancer, EC2 health checks and no inbound rule of its own', () => {
        expect(resourcesOf(json, 'aws_lb')).toEqual({});
        expect(asg.health_check_type).toBe('EC2');
        expect(asg.target_group_arns).toBeUndefined();
        expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
        expect(json.output.url.value).toBe('none');
      });

      it('tracks 10 queued jobs per in-service instance on the custom metric', () => {
        const policy = Object.values(resourcesOf(json, 'aws_autoscaling_policy')).find(
          (p) => p.policy_type === 'TargetTrackingScaling',
        ) as Json;
        const spec = policy.target_tracking_configuration;
        expect(spec.target_value).toBe(10);
        expect(spec.customized_metric_specification.metrics).toEqual([
          expect.objectContaining({
            id: 'backlog',
            return_data: false,
            metric_stat: {
              stat: 'Average',
              metric: {
                namespace: 'ECG/RenderWorker',
                metric_name: 'QueueDepth',
                dimensions: [{ name: 'AutoScalingGroupName', value: fullName }],
              },
            },
          }),
          expect.objectContaining({
            id: 'instances',
            metric_stat: {
              stat: 'Average',
              metric: {
                namespace: 'AWS/AutoScaling',
                metric_name: 'GroupInServiceInstances',
                dimensions: [
                  { name: 'AutoScalingGroupName', value: ref(json, 'aws_autoscaling_group', 'name') },
                ],
              },
            },
          }),
          expect.objectContaining({
            id: 'per_instance',
            expression: 'IF(instances > 0, backlog / instances, backlog)',
            return_data: true,
          }),
        ]);
        expect(asg.enabled_metrics).toEqual(
          expect.arrayContaining(['GroupInServiceInstances', 'GroupDesiredCapacity']),
        );
      });

      it(prod ? 'needs no wake-up alarm (minimum 2)' : 'wakes the empty group when jobs wait', () => {
        const alarms = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm'));
        if (prod) {
          expect(alarms).toEqual([]);
          return;
        }
        expect(alarms).toHaveLength(1);
        expect(alarms[0]).toMatchObject({
          comparison_operator: 'GreaterThanThreshold',
          threshold: 0,
          alarm_actions: [expect.stringMatching(/^\$\{aws_autoscaling_policy\..*wake-from-zero.*\.arn\}$/)],
        });
        // No data point from the publisher counts as a waiting job: a broken publisher wakes the group.
        expect(alarms[0].metric_query[2].expression).toBe('IF(desired == 0, FILL(backlog, 1), 0)');
        expect(JSON.stringify(json)).toHaveResourceWithProperties(AutoscalingPolicy, {
          policy_type: 'StepScaling',
          adjustment_type: 'ExactCapacity',
          step_adjustment: [{ scaling_adjustment: 1, metric_interval_lower_bound: '0' }],
        });
      });
    }

    it('gives the instances SSM core, ECR read-only, CloudWatch agent, video bucket access and X-Ray writes only', () => {
      const role = onlyResource(json, 'aws_iam_role');
      expect(role.name).toBe(fullName);
      expect(JSON.parse(role.assume_role_policy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      });
      expect(
        Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
          .map((a) => a.policy_arn)
          .sort(),
      ).toEqual([
        'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
        'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
        'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
      ]);
      const inline = JSON.parse(
        (
          Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
            (p) => p.name === 'fleet-access',
          ) as Json
        ).policy,
      );
      expect(inline.Statement).toEqual([
        {
          Sid: 'VideoObjects',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: `${BUCKET_ARN}/*`,
        },
        { Sid: 'VideoList', Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET_ARN },
        {
          Sid: 'ContainerLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${ref(json, 'aws_cloudwatch_log_group', 'arn')}:*`,
        },
        {
          Sid: 'XRayWrite',
          Effect: 'Allow',
          Action: [
            'xray:PutTraceSegments',
            'xray:PutTelemetryRecords',
            'xray:GetSamplingRules',
            'xray:GetSamplingTargets',
            'xray:GetSamplingStatisticSummaries',
          ],
          Resource: '*',
        },
      ]);
    });

    it('describes every group and rule and opens nothing to the internet (CKV_AWS_23/24/260)', () => {
      for (const group of Object.values(resourcesOf(json, 'aws_security_group'))) {
        expect(group.description).toMatch(/\S/);
        expect(group.tags.Name).toMatch(new RegExp(`^${fullName}`));
      }
      for (const rule of Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))) {
        expect(rule.description).toMatch(/\S/);
        expect(rule.cidr_ipv4).toBeUndefined();
      }
      for (const rule of Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'))) {
        expect(rule.description).toMatch(/\S/);
      }
    });
  });
});

describe('GpuFleet', () => {
  it('lets clients in through the load balancer when there is one, else on the instances', () => {
    const withLb = build({ ...BASE, loadBalancer: {} }, (f) => {
      f.allowClientsFrom(Peer.securityGroup('sg-api', 'api'), 'Inference from the API');
    });
    const lbGroup = Object.keys(resourcesOf(withLb.json, 'aws_security_group')).find((k) =>
      k.includes('lb-security-group'),
    );
    expect(Object.values(resourcesOf(withLb.json, 'aws_vpc_security_group_ingress_rule'))).toContainEqual(
      expect.objectContaining({
        security_group_id: `\${aws_security_group.${lbGroup}.id}`,
        referenced_security_group_id: 'sg-api',
        from_port: 8080,
        description: 'Inference from the API',
      }),
    );
    expect(withLb.fleet.endpointSecurityGroupId).toBe(
      withLb.fleet.loadBalancerSecurityGroup?.securityGroupId,
    );

    const direct = build(BASE, (f) => {
      f.allowClientsFrom(Peer.securityGroup('sg-api', 'api'), 'Jobs from the API');
      f.allowFrom(Peer.securityGroup('sg-ops', 'ops'), 9100, 'Metrics scraping');
    });
    const rules = Object.values(resourcesOf(direct.json, 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => [r.referenced_security_group_id, r.from_port])).toEqual([
      ['sg-api', 8080],
      ['sg-ops', 9100],
    ]);
    expect(direct.fleet.endpointSecurityGroupId).toBe(direct.fleet.securityGroupId);
  });

  it('opens SSH only to the configured CIDRs', () => {
    const { json } = build({ ...BASE, sshAllowedCidrs: ['10.20.0.0/24'] });
    expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))).toEqual([
      expect.objectContaining({ cidr_ipv4: '10.20.0.0/24', from_port: 22, to_port: 22, ip_protocol: 'tcp' }),
    ]);
  });

  it('reads secrets at service start with the instance role and passes plain environment', () => {
    const secretArn = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e-redis-AbCdEf';
    const { json, fleet } = build({
      ...BASE,
      environment: { S3_BUCKET_NAME: 'videos' },
      secrets: { REDIS_URL: { secretArn, jsonKey: 'url' }, SECRET_KEY: { secretArn } },
    });
    const script = fleet.userDataScript;
    expect(script).toContain(`secret REDIS_URL "${secretArn}" "url"\n`);
    expect(script).toContain(`secret SECRET_KEY "${secretArn}" ""\n`);
    expect(script).toContain('AWS_DEFAULT_REGION=ap-northeast-2\nPORT=8080\nS3_BUCKET_NAME=videos\nEOF');
    const inline = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy);
    expect(inline.Statement).toContainEqual({
      Sid: 'ContainerSecrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: [secretArn],
    });
  });

  it('keeps a repository reference in the user data and escapes the literal text for Terraform', () => {
    const json = synthScope((scope) => {
      const repo = new EcrRepository(scope, 'repo', { name: 'p-e-gpu' });
      new GpuFleet(scope, 'fleet', { ...BASE, imageUri: `${repo.repositoryUrl}:v1` });
    });
    const userData = onlyResource(json, 'aws_launch_template').user_data as string;
    expect(userData).toMatch(/^\$\{base64encode\(join\("", \["#!\/bin\/bash\\n/);
    expect(userData).toContain(
      `, ${ref(json, 'aws_ecr_repository', 'repository_url').slice(2, -1)}, ":v1\\"\\n`,
    );
    expect(userData).toContain('$${aws:AutoScalingGroupName}');
    expect(userData).not.toContain('TfToken');
  });

  it('scales on requests per target through the load balancer', () => {
    const { json } = build({
      ...BASE,
      loadBalancer: {},
      scaling: { kind: 'request-count', targetPerInstance: 50 },
    });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(AutoscalingPolicy, {
      name: 'p-e-gpu-requests',
      target_tracking_configuration: {
        target_value: 50,
        predefined_metric_specification: {
          predefined_metric_type: 'ALBRequestCountPerTarget',
          resource_label: `${ref(json, 'aws_lb', 'arn_suffix')}/${ref(json, 'aws_lb_target_group', 'arn_suffix')}`,
        },
      },
    });
  });

  it('names the load balancer when asked and takes deletion protection and access logs', () => {
    const { json } = build({
      ...BASE,
      loadBalancer: {
        name: 'p-e-gpu',
        deletionProtection: true,
        accessLogs: { bucket: 'logs', prefix: 'gpu' },
      },
    });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(Lb, {
      name: 'p-e-gpu',
      enable_deletion_protection: true,
      access_logs: { bucket: 'logs', prefix: 'gpu', enabled: true },
    });
  });

  it('tags instances and volumes, which provider default tags do not reach', () => {
    const { json } = build({ ...BASE, instanceTags: { Project: 'p', Environment: 'e' } });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(LaunchTemplate, {
      tag_specifications: ['instance', 'volume', 'network-interface'].map((resource_type) => ({
        resource_type,
        tags: { Project: 'p', Environment: 'e', Name: 'p-e-gpu' },
      })),
    });
  });

  it('takes its sizes from Terraform expressions, checking them only when literal', () => {
    const { json } = build({
      ...BASE,
      minSize: Token.asNumber('${var.size}'),
      desiredCapacity: Token.asNumber('${var.size}'),
      maxSize: Token.asNumber('${var.size * 2}'),
    });
    const asg = onlyResource(json, 'aws_autoscaling_group');
    expect([asg.min_size, asg.desired_capacity, asg.max_size]).toEqual([
      '${var.size}',
      '${var.size}',
      '${var.size * 2}',
    ]);
    expect(failure({ minSize: Token.asNumber('${var.size}'), maxSize: 0 })).toContain(
      'stack/fleet.maxSize 0 must be an integer from 1 to 1000',
    );
  });

  it('adds the queue wake-up by the planned minimum, not by whether minSize is a literal', () => {
    const queue: GpuFleetProps['scaling'] = {
      kind: 'queue-depth',
      targetPerInstance: 10,
      metricNamespace: 'App/Render',
      metricName: 'Backlog',
    };
    const held = Token.asNumber('${var.size}');
    const wakes = (props: Partial<GpuFleetProps>) =>
      Object.keys(
        resourcesOf(build({ ...BASE, scaling: queue, ...props }).json, 'aws_cloudwatch_metric_alarm'),
      ).length === 1;
    expect(wakes({ minSize: held, plannedMinSize: 2 })).toBe(false);
    expect(wakes({ minSize: held, plannedMinSize: 0 })).toBe(true);
    // Without a planned minimum an expression may be 0.
    expect(wakes({ minSize: held })).toBe(true);
    expect(wakes({ minSize: 0 })).toBe(true);
    // The schedules own the minimum: one at 0 lets the group empty.
    const night = { name: 'night', recurrence: '0 22 * * *', minSize: 0 };
    const day = { name: 'day', recurrence: '0 8 * * *', minSize: 1 };
    expect(wakes({ minSize: 1, schedules: [day, night] })).toBe(true);
    expect(wakes({ minSize: 1, schedules: [day, { ...night, minSize: 1 }] })).toBe(false);
    expect(failure({ plannedMinSize: 3 })).toContain(
      'stack/fleet.plannedMinSize 3 must be an integer from 0 to 2',
    );
  });

  it('fails when the instance type is not an EC2 type', () => {
    expect(failure({ instanceType: 'g4dn-xlarge' })).toContain(
      'stack/fleet.instanceType g4dn-xlarge is not an EC2 instance type (did you mean g4dn.xlarge?)',
    );
  });

  it('fails when min <= desired <= max does not hold', () => {
    const message = failure({ minSize: 3, desiredCapacity: 5, maxSize: 2 });
    expect(message).toContain('stack/fleet.maxSize 2 must be at least minSize (3)');
    expect(message).toContain(
      'stack/fleet.desiredCapacity 5 must be an integer from minSize (3) to maxSize (2)',
    );
  });

  it('fails when the port is out of range', () => {
    expect(failure({ port: 70000 })).toContain('stack/fleet.port 70000 must be an integer from 1 to 65535');
  });

  it('fails when the root volume is smaller than the DLAMI snapshot (EC2: volume size >= snapshot size)', () => {
    expect(failure({ rootVolumeGb: 50 })).toContain(
      `stack/fleet.rootVolumeGb 50 must be an integer from ${DLAMI_ROOT_SNAPSHOT_GB} to 16384: EC2 refuses a root volume smaller than the AMI's snapshot`,
    );
    expect(() => build({ ...BASE, rootVolumeGb: DLAMI_ROOT_SNAPSHOT_GB })).not.toThrow();
    expect(() => build({ ...BASE, amiSsmParameter: '/custom/ami', rootVolumeGb: 30 })).not.toThrow();
  });

  it('fails when the name is not lowercase words or makes resource names too long', () => {
    expect(failure({ name: 'Model_Server' })).toContain(
      'stack/fleet.name Model_Server must be lowercase letters, digits and single hyphens',
    );
    expect(failure({ name: 'x'.repeat(62) })).toContain('longer than 64 characters (IAM role name limit)');
  });

  it('fails when the log retention is not a CloudWatch Logs value', () => {
    expect(failure({ logRetentionDays: 10 })).toContain(
      'stack/fleet.logRetentionDays 10 must be one of CloudWatch Logs retention values 1, 3, 5, 7, 14, 30',
    );
  });

  it('fails when the image URI has no registry or tag', () => {
    expect(failure({ imageUri: 'model-server' })).toContain(
      'stack/fleet.imageUri model-server must be an image URI like <registry>/<repository>:<tag>',
    );
  });

  it('fails when request-count scaling has no load balancer', () => {
    expect(failure({ scaling: { kind: 'request-count', targetPerInstance: 50 } })).toContain(
      'stack/fleet.scaling.kind request-count needs loadBalancer',
    );
  });

  it('fails when the queue-depth metric is in an AWS namespace or the target is not positive', () => {
    const message = failure({
      scaling: { kind: 'queue-depth', targetPerInstance: 0, metricNamespace: 'AWS/SQS', metricName: 'Depth' },
    });
    expect(message).toContain('stack/fleet.scaling.targetPerInstance 0 must be an integer from 1 to 1000000');
    expect(message).toContain(
      'stack/fleet.scaling.metricNamespace AWS/SQS must be a custom CloudWatch namespace (not AWS/...)',
    );
  });

  it('fails when SSH is opened to the internet or to a malformed CIDR', () => {
    const message = failure({ sshAllowedCidrs: ['0.0.0.0/0', '10.0.0.300/24'] });
    expect(message).toContain(
      'stack/fleet.sshAllowedCidrs[0] 0.0.0.0/0 is too wide for SSH (narrower than /16 required; prefer Session Manager)',
    );
    expect(message).toContain(
      'stack/fleet.sshAllowedCidrs[1] 10.0.0.300/24 must be an IPv4 CIDR like 10.0.0.0/24',
    );
  });

  it('fails when a secret is not a Secrets Manager ARN or shadows an environment variable', () => {
    const message = failure({
      environment: { REDIS_URL: 'redis://x' },
      secrets: { REDIS_URL: { secretArn: 'redis-token', jsonKey: 'a b' } },
    });
    expect(message).toContain('stack/fleet.secrets.REDIS_URL REDIS_URL is also set in environment');
    expect(message).toContain(
      'stack/fleet.secrets.REDIS_URL.secretArn redis-token must be a Secrets Manager secret ARN',
    );
    expect(message).toContain('stack/fleet.secrets.REDIS_URL.jsonKey a b must be letters, digits, _ . or -');
  });

  it('fails when the load balancer name is longer than 32 characters', () => {
    expect(failure({ loadBalancer: { name: 'ecg-video-pipeline-production-model-server' } })).toContain(
      'stack/fleet.loadBalancer.name ecg-video-pipeline-production-model-server must be at most 32 letters, digits or hyphens',
    );
  });

  it('reports every problem at once', () => {
    expect(failure({ instanceType: 'x', port: 0, rootVolumeGb: 1 })).toMatch(
      /^Invalid configuration \(3 problems\):/,
    );
  });
});

describe('GpuFleet SSH from a deploy-time list', () => {
  it('creates one for_each rule over the variable instead of per-CIDR rules', () => {
    const json = synthScope((scope) => {
      const cidrs = new TerraformVariable(scope, 'ssh_allowed_cidrs', { type: 'list(string)', default: [] });
      new GpuFleet(scope, 'model-server', {
        ...fleetProps(environments.production, 'modelServer'),
        sshAllowedCidrs: cidrs.listValue,
      });
    });
    const rules = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter(
      (r) => r.from_port === 22,
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      for_each: '${toset(var.ssh_allowed_cidrs)}',
      cidr_ipv4: '${each.value}',
      ip_protocol: 'tcp',
      to_port: 22,
    });
  });
});

/** The body of the quoted heredoc the script writes to `path` (`cat > path <<'EOF' ... EOF`). */
function heredoc(script: string, path: string): string {
  const start = script.indexOf(`cat > ${path} <<'EOF'\n`);
  if (start < 0) throw new Error(`no heredoc for ${path}`);
  const body = script.slice(script.indexOf('\n', start) + 1);
  return body.slice(0, body.indexOf('\nEOF\n') + 1);
}

/**
 * Variables in a systemd command line that systemd leaves alone: `$NAME` expands only as a word of
 * its own; inside a word only `${NAME}` does (systemd.service(5), "Command lines").
 */
function unexpandedVariables(unit: string): string[] {
  return unit
    .split('\n')
    .filter((line) => /^Exec[A-Za-z]*=/.test(line))
    .flatMap((line) => line.slice(line.indexOf('=') + 1).split(/\s+/))
    .filter((word) => word.includes('$') && !/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(word))
    .filter((word) => /\$(?!\{)/.test(word));
}

/** `systemd-analyze verify` of the unit in a throwaway root with stand-ins for docker and the prepare script. */
function verifyUnit(name: string, unit: string): { status: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'unit-root-'));
  const file = (path: string, text: string, mode = 0o644) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    chmodSync(join(root, path), mode);
  };
  file(`/usr/local/bin/${name}-prepare`, '#!/bin/sh\n', 0o755);
  file('/usr/bin/docker', '#!/bin/sh\n', 0o755);
  file('/etc/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/docker\n');
  file(`/etc/systemd/system/${name}.service`, unit);
  const result = spawnSync(
    'systemd-analyze',
    ['verify', `--root=${root}`, '--recursive-errors=no', '--man=no', `/etc/systemd/system/${name}.service`],
    { encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('GpuFleet user data under the real tools', () => {
  const secretArn = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e-redis-AbCdEf';
  const { fleet } = build({
    ...BASE,
    environment: { S3_BUCKET_NAME: 'videos' },
    secrets: { REDIS_URL: { secretArn, jsonKey: 'url' } },
  });
  const script = fleet.userDataScript;
  const unit = heredoc(script, `/etc/systemd/system/${BASE.name}.service`);

  it('parses as bash, and so does the prepare script it writes', () => {
    execFileSync('bash', ['-n'], { input: script });
    execFileSync('bash', ['-n'], { input: heredoc(script, `/usr/local/bin/${BASE.name}-prepare`) });
  });

  it('writes a unit that systemd-analyze verify accepts', () => {
    expect(verifyUnit(BASE.name, unit)).toEqual({ status: 0, output: '' });
    const broken = verifyUnit(BASE.name, unit.replace('Restart=always', 'Restart=sometimes'));
    expect(broken.output).toContain('Failed to parse service restart specifier');
  });

  it('braces every variable inside a word of a command line (systemd.service(5): $VAR only as a whole word)', () => {
    expect(unexpandedVariables(unit)).toEqual([]);
    expect(unexpandedVariables('ExecStart=/bin/x --opt=$INSTANCE_ID $WHOLE ${OK}\n')).toEqual([
      '--opt=$INSTANCE_ID',
    ]);
    expect(unit).toContain('--log-opt awslogs-stream=${INSTANCE_ID} ');
  });

  it('defines every variable its command lines use in the EnvironmentFile the script writes', () => {
    const used = [...unit.matchAll(/^Exec[A-Za-z]*=.*$/gm)].flatMap((m) =>
      [...m[0].matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((v) => v[1]),
    );
    expect(unit).toContain(`EnvironmentFile=/etc/${BASE.name}/unit.env\n`);
    const written = /^echo "([A-Z_]+)=\$\1" > \/etc\/gpu\/unit\.env$/m.exec(script)?.[1];
    expect(used).toEqual(['INSTANCE_ID']);
    expect(written).toBe('INSTANCE_ID');
    expect(unit).not.toMatch(/%/);
  });
});
