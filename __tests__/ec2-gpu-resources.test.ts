import { Lazy, TerraformVariable, Token } from 'cdktf';
import { GpuFleet, type GpuFleetProps } from '../src/modules/ec2-gpu';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';
import { SMALL_FLEET } from './variants/ec2-gpu';

/**
 * A GPU fleet's resources read whole where a field changes what AWS does (src/modules/ec2-gpu.ts):
 * the internal load balancer, its target group and listener, the group's metrics and tags, the
 * instance role and profile, the launch template. Expected values are written out.
 */
const BASE: GpuFleetProps = { ...SMALL_FLEET, subnetIds: ['subnet-1', 'subnet-2'] };

function build(props: Partial<GpuFleetProps>): Json {
  return synthScope((scope) => {
    new GpuFleet(scope, 'fleet', { ...BASE, ...props });
  });
}

const key = (json: Json, type: string, match: (r: Json) => boolean = () => true) => {
  const found = Object.entries(resourcesOf(json, type)).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][0];
};

describe('GPU fleet resources', () => {
  // Construct ids are resource addresses: a renamed rule is destroyed and created again. The SSH
  // rule list from a Terraform variable and the rules between the fleet and its load balancer
  // take their ids from the peer's label.
  it('keeps its security-group rules at the same addresses', () => {
    const json = synthScope((scope) => {
      const cidrs = new TerraformVariable(scope, 'ssh', { type: 'list(string)' });
      new GpuFleet(scope, 'fleet', {
        ...SMALL_FLEET,
        loadBalancer: {},
        sshAllowedCidrs: Token.asList(cidrs.value),
      });
    });
    expect(Object.keys(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))).toEqual([
      'fleet_security-group_in-lb-8080_E946EE88',
      'fleet_security-group_in-ssh-22_442ACBC4',
    ]);
    expect(Object.keys(resourcesOf(json, 'aws_vpc_security_group_egress_rule'))).toEqual([
      'fleet_lb-security-group_out-fleet-8080_71AA920D',
      'fleet_security-group_out-anywhere-all_FE1E3C55',
    ]);
  });

  describe('behind its internal load balancer', () => {
    const json = build({ loadBalancer: {} });
    const lbGroup = key(json, 'aws_security_group', (g) => g.name === 'p-e-gpu-lb');
    const fleetGroup = key(json, 'aws_security_group', (g) => g.name === 'p-e-gpu');

    it('is an internal ALB that drops invalid headers, no deletion protection, 60 s idle timeout by default', () => {
      expect(onlyResource(json, 'aws_lb')).toEqual({
        internal: true,
        load_balancer_type: 'application',
        subnets: ['subnet-1', 'subnet-2'],
        security_groups: [`\${aws_security_group.${lbGroup}.id}`],
        drop_invalid_header_fields: true,
        enable_deletion_protection: false,
        idle_timeout: 60,
        tags: { Name: 'p-e-gpu-lb' },
      });
    });

    it('takes deletion protection and an idle timeout when given', () => {
      const lb = onlyResource(
        build({ loadBalancer: { deletionProtection: true, idleTimeoutSeconds: 1 } }),
        'aws_lb',
      );
      expect([lb.enable_deletion_protection, lb.idle_timeout]).toEqual([true, 1]);
    });

    it('checks the instances on /health of their port, one minute of deregistration delay', () => {
      expect(onlyResource(json, 'aws_lb_target_group')).toEqual({
        port: 8080,
        protocol: 'HTTP',
        target_type: 'instance',
        vpc_id: 'vpc-1',
        deregistration_delay: '60',
        health_check: {
          enabled: true,
          path: '/health',
          port: 'traffic-port',
          protocol: 'HTTP',
          matcher: '200',
          interval: 30,
          timeout: 5,
          healthy_threshold: 3,
          unhealthy_threshold: 2,
        },
        tags: { Name: 'p-e-gpu-tg' },
        lifecycle: { create_before_destroy: true },
      });
    });

    it('opens the fleet port from the load balancer’s group only, each rule described', () => {
      const egress = Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule')).filter(
        (r) => r.security_group_id === `\${aws_security_group.${lbGroup}.id}`,
      );
      expect(egress).toEqual([
        {
          security_group_id: `\${aws_security_group.${lbGroup}.id}`,
          referenced_security_group_id: `\${aws_security_group.${fleetGroup}.id}`,
          ip_protocol: 'tcp',
          from_port: 8080,
          to_port: 8080,
          description: 'gpu instances',
        },
      ]);
      const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).filter(
        (r) => r.security_group_id === `\${aws_security_group.${fleetGroup}.id}`,
      );
      expect(ingress).toEqual([
        {
          security_group_id: `\${aws_security_group.${fleetGroup}.id}`,
          referenced_security_group_id: `\${aws_security_group.${lbGroup}.id}`,
          ip_protocol: 'tcp',
          from_port: 8080,
          to_port: 8080,
          description: 'gpu load balancer',
        },
      ]);
    });
  });

  it('describes each SSH rule by its CIDR', () => {
    const rules = Object.values(
      resourcesOf(build({ sshAllowedCidrs: ['10.1.0.0/24'] }), 'aws_vpc_security_group_ingress_rule'),
    );
    expect(rules.map((r) => [r.cidr_ipv4, r.from_port, r.description])).toEqual([
      ['10.1.0.0/24', 22, 'SSH from 10.1.0.0/24 (configured administrators)'],
    ]);
  });

  it('collects six group metrics every minute and tags the group without propagating the tags', () => {
    const asg = onlyResource(build({ instanceTags: { Team: 'video' } }), 'aws_autoscaling_group');
    expect(asg.enabled_metrics).toEqual([
      'GroupMinSize',
      'GroupMaxSize',
      'GroupDesiredCapacity',
      'GroupInServiceInstances',
      'GroupPendingInstances',
      'GroupTotalInstances',
    ]);
    expect(asg.metrics_granularity).toBe('1Minute');
    expect(asg.wait_for_capacity_timeout).toBe('0');
    expect(asg.tag).toEqual([
      { key: 'Team', value: 'video', propagate_at_launch: false },
      { key: 'Name', value: 'p-e-gpu', propagate_at_launch: false },
    ]);
  });

  it('gives the instances a described role, an instance profile of it and a versioned access policy', () => {
    const json = build({});
    const role = key(json, 'aws_iam_role');
    expect(onlyResource(json, 'aws_iam_role').description).toBe('Instance role of the p-e-gpu GPU servers');
    expect(onlyResource(json, 'aws_iam_instance_profile')).toEqual({
      name: 'p-e-gpu',
      role: `\${aws_iam_role.${role}.name}`,
    });
    const access = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
      (p) => p.name === 'fleet-access',
    );
    expect(JSON.parse(access!.policy as string).Version).toBe('2012-10-17');
  });

  it('launches from a described template that becomes the default version, without detailed monitoring', () => {
    const template = onlyResource(build({}), 'aws_launch_template');
    expect(template.description).toBe('p-e-gpu GPU servers');
    expect(template.update_default_version).toBe(true);
    expect(template.monitoring).toEqual({ enabled: false });
    expect(template.tags).toEqual({ Name: 'p-e-gpu' });
  });

  // IAM managed policy ARNs carry the partition of the region (arn:aws-cn:..., arn:aws-us-gov:...);
  // a region from a Terraform expression gets the commercial partition's.
  it.each([
    ['cn-north-1', 'cn-north-1', 'arn:aws-cn:s3:::videos', 'aws-cn'],
    ['us-gov-west-1', 'us-gov-west-1', 'arn:aws-us-gov:s3:::videos', 'aws-us-gov'],
    ['ap-northeast-2', 'ap-northeast-2', 'arn:aws:s3:::videos', 'aws'],
    [
      'a Terraform expression',
      Lazy.stringValue({ produce: () => '${var.region}' }),
      'arn:aws:s3:::videos',
      'aws',
    ],
  ])('attaches the managed policies of the partition of %s', (_, region, videoBucketArn, partition) => {
    const arns = Object.values(
      resourcesOf(build({ region, videoBucketArn }), 'aws_iam_role_policy_attachment'),
    ).map((a) => a.policy_arn);
    expect(arns.sort()).toEqual([
      `arn:${partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`,
      `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
      `arn:${partition}:iam::aws:policy/CloudWatchAgentServerPolicy`,
    ]);
  });

  it('fails when a schedule name ends with a hyphen or starts with a digit', () => {
    const schedule = (name: string) => ({ name, recurrence: '0 9 * * *', minSize: 1 });
    expect(errorOf(() => build({ schedules: [schedule('day-'), schedule('9am')] }))).toContain(
      [
        '  - stack/fleet.schedules[0].name day- must be lowercase letters, digits and single hyphens',
        '  - stack/fleet.schedules[1].name 9am must be lowercase letters, digits and single hyphens',
      ].join('\n'),
    );
  });

  it('checks the time zone only when there are schedules, and takes UTC spelled either way', () => {
    expect(() => build({ scheduleTimeZone: 'Mars/Olympus' })).not.toThrow();
    const day = [{ name: 'day', recurrence: '0 9 * * *', minSize: 1 }];
    expect(() => build({ schedules: day, scheduleTimeZone: 'UTC' })).not.toThrow();
    expect(() => build({ schedules: day, scheduleTimeZone: 'Etc/UTC' })).not.toThrow();
    expect(errorOf(() => build({ schedules: day, scheduleTimeZone: 'Mars/Olympus' }))).toContain(
      'stack/fleet.scheduleTimeZone Mars/Olympus must be an IANA time zone like Asia/Seoul',
    );
  });

  // systemd.service(5): TimeoutStopSec bounds ExecStop; docker stop -t is the container's grace.
  it('gives the service a stop timeout past the drain only when the fleet drains', () => {
    const unit = (props: Partial<GpuFleetProps>) => {
      let fleet: GpuFleet | undefined;
      synthScope((scope) => {
        fleet = new GpuFleet(scope, 'fleet', { ...BASE, ...props });
      });
      return (fleet as GpuFleet).userDataScript
        .split('\n')
        .filter((l) => /^(TimeoutStopSec|ExecStop)=/.test(l));
    };
    expect(unit({})).toEqual(['ExecStop=/usr/bin/docker stop gpu']);
    expect(unit({ drainTimeoutSeconds: 120 })).toEqual([
      'TimeoutStopSec=150',
      'ExecStop=/usr/bin/docker stop -t 120 gpu',
    ]);
  });

  it('adds a CPU target-tracking policy beside the GPU one when a CPU target is given', () => {
    const json = build({ scaling: { kind: 'gpu-utilization', targetPercent: 70, cpuTargetPercent: 80 } });
    const cpu = Object.values(resourcesOf(json, 'aws_autoscaling_policy')).find(
      (p) => p.name === 'p-e-gpu-cpu',
    );
    expect(cpu).toEqual({
      name: 'p-e-gpu-cpu',
      autoscaling_group_name: `\${aws_autoscaling_group.${key(json, 'aws_autoscaling_group')}.name}`,
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: {
        target_value: 80,
        predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
      },
    });
  });

  it('fails when a fallback repeats the primary instance type', () => {
    expect(errorOf(() => build({ spot: true, fallbackInstanceTypes: ['g4dn.xlarge'] }))).toContain(
      '  - stack/fleet.fallbackInstanceTypes ["g4dn.xlarge"] repeats an instance type (the primary type is always first)',
    );
  });

  it('lets a draining host complete its own lifecycle action, in a versioned policy', () => {
    const json = build({ drainTimeoutSeconds: 120 });
    const drain = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
      (p) => p.name === 'drain-lifecycle',
    );
    expect(JSON.parse(drain!.policy as string).Version).toBe('2012-10-17');
  });
});
