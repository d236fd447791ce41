import { GpuFleet, type GpuFleetProps } from '../src/modules/ec2-gpu';
import { PRODUCTION_RENDER_SCHEDULES } from '../src/config';
import {
  MINUTES_PER_WEEK,
  fireMinutes,
  formatMinuteOfWeek,
  holdingRecurrences,
  parseWeeklyCron,
  weeklyLevels,
} from '../src/lib/cron';
import { Fn, Op, TerraformVariable, Token } from 'cdktf';
import { errorOf, type Json, onlyResource, resourcesOf, synthScope } from './support/synth';
import { environments, fleetProps } from './variants/ec2-gpu';

const BASE: GpuFleetProps = {
  namePrefix: 'p-e',
  name: 'gpu',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-1'],
  instanceType: 'g4dn.2xlarge',
  port: 8090,
  minSize: 0,
  maxSize: 8,
  imageUri: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/p-e-gpu:v1',
  region: 'ap-northeast-2',
  videoBucketArn: 'arn:aws:s3:::videos',
};

function build(props: GpuFleetProps): { json: Json; fleet: GpuFleet } {
  let fleet: GpuFleet | undefined;
  const json = synthScope((scope) => {
    fleet = new GpuFleet(scope, 'fleet', props);
  });
  return { json, fleet: fleet as GpuFleet };
}

const failure = (props: Partial<GpuFleetProps>) => errorOf(() => build({ ...BASE, ...props }));

describe('weekly cron patterns (Auto Scaling recurrence: 5 fields)', () => {
  it('reads minutes, hours and day names, Sunday as 0 or 7', () => {
    expect(parseWeeklyCron('0 9 * * MON-FRI')).toEqual({
      minutes: [0],
      hours: [9],
      daysOfWeek: [1, 2, 3, 4, 5],
    });
    expect(parseWeeklyCron('*/30 0,12 * * 7')).toEqual({ minutes: [0, 30], hours: [0, 12], daysOfWeek: [0] });
    expect(formatMinuteOfWeek(1 * 1440 + 9 * 60)).toBe('Mon 09:00');
  });

  it.each([
    ['0 9 * *', 'has 4 fields'],
    ['0 9 1 * MON', 'must be a weekly pattern'],
    ['0 25 * * MON', 'hour field: 25 is outside 0-23'],
    ['0 9 * * FRI-MON', 'day-of-week field: range FRI-MON runs backwards'],
    ['x 9 * * MON', 'minute field: x is not a number'],
  ])('fails on %s', (expression, message) => {
    expect(() => parseWeeklyCron(expression)).toThrow(message);
  });

  it("holds each level until the next action: production's render minimum over a week", () => {
    const levels = weeklyLevels(
      PRODUCTION_RENDER_SCHEDULES.map((s) => ({ cron: s.recurrence, value: s.minSize })),
    );
    // 5 x 9 h at 4; 5 x 15 h at 2 (weeknights and Monday 00:00-09:00); 48 h at 1.
    expect(Object.fromEntries(levels)).toEqual({ 4: 45 * 60, 2: 75 * 60, 1: 48 * 60 });
    expect([...levels.values()].reduce((a, b) => a + b, 0)).toBe(MINUTES_PER_WEEK);
  });
});

describe('GpuFleet purchase mix', () => {
  it('puts Spot above an on-demand base over several instance types, capacity-rebalanced', () => {
    const { json } = build({
      ...BASE,
      spot: true,
      onDemandBaseCapacity: 2,
      fallbackInstanceTypes: ['g5.2xlarge', 'g6.2xlarge'],
    });
    const asg = onlyResource(json, 'aws_autoscaling_group');
    expect(asg.mixed_instances_policy.instances_distribution).toEqual({
      on_demand_allocation_strategy: 'prioritized',
      on_demand_base_capacity: 2,
      on_demand_percentage_above_base_capacity: 0,
      spot_allocation_strategy: 'price-capacity-optimized',
    });
    expect(asg.mixed_instances_policy.launch_template.override).toEqual([
      { instance_type: 'g4dn.2xlarge' },
      { instance_type: 'g5.2xlarge' },
      { instance_type: 'g6.2xlarge' },
    ]);
    expect(asg.capacity_rebalance).toBe(true);
  });

  it('gives an on-demand fleet fallback types without Spot', () => {
    const { json } = build({ ...BASE, fallbackInstanceTypes: ['g5.2xlarge'] });
    const asg = onlyResource(json, 'aws_autoscaling_group');
    expect(asg.mixed_instances_policy.instances_distribution).toMatchObject({
      on_demand_base_capacity: 0,
      on_demand_percentage_above_base_capacity: 100,
    });
    expect(asg.capacity_rebalance).toBe(false);
  });

  it('fails when a fallback type does not exist, cannot run the AMI, is repeated, or a base is set without Spot', () => {
    const message = failure({
      fallbackInstanceTypes: ['g5-2xlarge', 'g5g.2xlarge', 'g4ad.2xlarge', 'g4dn.2xlarge'],
      onDemandBaseCapacity: 1,
    });
    expect(message).toContain('stack/fleet.fallbackInstanceTypes[0] g5-2xlarge is not an EC2 instance type');
    expect(message).toContain('stack/fleet.fallbackInstanceTypes[1] g5g.2xlarge is arm64, but the AMI');
    expect(message).toContain('stack/fleet.fallbackInstanceTypes[2] g4ad.2xlarge has Radeon Pro V520 GPUs');
    expect(message).toContain('repeats an instance type (the primary type is always first)');
    expect(message).toContain('stack/fleet.onDemandBaseCapacity 1 only applies with spot');
  });

  it('fails when the on-demand base exceeds the maximum', () => {
    expect(failure({ spot: true, onDemandBaseCapacity: 9 })).toContain(
      'stack/fleet.onDemandBaseCapacity 9 must be an integer from 0 to 8',
    );
  });
});

describe('GpuFleet schedules', () => {
  const { json } = build({ ...BASE, schedules: PRODUCTION_RENDER_SCHEDULES, scheduleTimeZone: 'Asia/Seoul' });

  it('sets only the minimum, at each time in Asia/Seoul and every 5 minutes while it holds (-1 keeps max and desired out)', () => {
    const actions = resourcesOf(json, 'aws_autoscaling_schedule');
    expect(
      Object.entries(actions)
        .map(([key, a]) => [
          key.replace(/_[0-9A-F]{8}$/, ''),
          a.scheduled_action_name,
          a.recurrence,
          a.min_size,
        ])
        .sort(),
    ).toEqual([
      ['fleet_schedule-week-start', 'p-e-gpu-week-start', '*/5 0-8 * * 1', 2],
      ['fleet_schedule-weekday-off-peak', 'p-e-gpu-weekday-off-peak', '*/5 18-23 * * 1-5', 2],
      ['fleet_schedule-weekday-off-peak-2', 'p-e-gpu-weekday-off-peak-2', '*/5 0-8 * * 2-5', 2],
      ['fleet_schedule-weekday-peak', 'p-e-gpu-weekday-peak', '*/5 9-17 * * 1-5', 4],
      ['fleet_schedule-weekend', 'p-e-gpu-weekend', '*/5 * * * 0,6', 1],
    ]);
    for (const a of Object.values(actions)) {
      expect(a).toMatchObject({ time_zone: 'Asia/Seoul', max_size: -1, desired_capacity: -1 });
      expect(a.autoscaling_group_name).toMatch(/^\$\{aws_autoscaling_group\..+\.name\}$/);
      // A literal maximum: the actions always exist.
      expect(a.count).toBeUndefined();
    }
  });

  it('creates no scheduled action while a maximum expression is 0 (a scheduled minimum above the maximum fails)', () => {
    const tagged = synthScope((scope) => {
      const tag = new TerraformVariable(scope, 'tag', { type: 'string' }).stringValue;
      const empty = Op.eq(tag, Fn.rawString(''));
      new GpuFleet(scope, 'fleet', {
        ...BASE,
        minSize: Token.asNumber(Fn.conditional(empty, 0, 2)),
        maxSize: Token.asNumber(Fn.conditional(empty, 0, 8)),
        plannedMinSize: 2,
        schedules: PRODUCTION_RENDER_SCHEDULES,
        scheduleTimeZone: 'Asia/Seoul',
      });
    });
    const counts = Object.values(resourcesOf(tagged, 'aws_autoscaling_schedule')).map((a) => a.count);
    expect(new Set(counts)).toEqual(new Set(['${min((var.tag == "") ? 0 : 8, 1)}']));
    expect(counts).toHaveLength(5);
  });

  it('lets the schedules own min_size once the group exists', () => {
    expect(onlyResource(json, 'aws_autoscaling_group').lifecycle).toEqual({
      ignore_changes: ['desired_capacity', 'min_size'],
    });
  });

  it('fails when a cron is malformed, two actions fire at once, a size exceeds max or a name repeats', () => {
    const message = failure({
      scheduleTimeZone: 'Seoul',
      schedules: [
        { name: 'peak', recurrence: '0 9 * * MON-FRI', minSize: 4 },
        { name: 'peak', recurrence: '0 9 * * FRI', minSize: 2 },
        { name: 'night', recurrence: '0 18 * *', minSize: 9 },
      ],
    });
    expect(message).toContain('stack/fleet.scheduleTimeZone Seoul must be an IANA time zone like Asia/Seoul');
    expect(message).toContain('stack/fleet.schedules[1].name peak is used by another schedule');
    expect(message).toContain(
      'stack/fleet.schedules[1].recurrence 0 9 * * FRI fires at Fri 09:00 like schedule peak',
    );
    expect(message).toContain('stack/fleet.schedules[2].minSize 9 must be an integer from 0 to 8');
    expect(message).toContain('stack/fleet.schedules[2].recurrence 0 18 * * has 4 fields');
  });

  it('fails when holding the minimums takes more scheduled actions than a group may have (125) or names clash', () => {
    // 200 distinct times, alternating two minimums: each needs its own hold expression.
    const many = Array.from({ length: 200 }, (_, i) => ({
      name: `s${i}`,
      recurrence: `${(i * 7) % 60} ${Math.floor(i / 9)} * * *`,
      minSize: i % 2,
    }));
    expect(failure({ schedules: many })).toMatch(
      /stack\/fleet\.schedules 200 schedules take \d+ scheduled actions to hold their minimums \(every 5 minutes\), and EC2 Auto Scaling allows 125 per group/,
    );
    const clash = failure({
      schedules: [
        { name: 'day', recurrence: '7 9 * * *', minSize: 2 },
        { name: 'day-2', recurrence: '0 18 * * *', minSize: 1 },
      ],
    });
    expect(clash).toContain(
      'stack/fleet.schedules[1].name day-2 is also the name of a further action of another schedule',
    );
  });
});

describe('the scheduled-action quota (125 per group, EC2 Auto Scaling quotas)', () => {
  // n schedules at consecutive Monday minutes, each minimum 0 then 1 alternating, take n + 2
  // actions: one each, and the last holds with two more (every 5 minutes until the next week).
  const mondays = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      name: `m${i}`,
      recurrence: `${i % 60} ${Math.floor(i / 60)} * * MON`,
      minSize: i % 2,
    }));

  it('allows exactly 125 actions (123 schedules)', () => {
    const { json } = build({ ...BASE, schedules: mondays(123) });
    expect(Object.keys(resourcesOf(json, 'aws_autoscaling_schedule'))).toHaveLength(125);
  });

  it('fails when the schedules take 126 actions (124 schedules)', () => {
    expect(failure({ schedules: mondays(124) })).toContain(
      'stack/fleet.schedules 124 schedules take 126 scheduled actions to hold their minimums (every 5 minutes), and EC2 Auto Scaling allows 125 per group: use fewer distinct times',
    );
  });

  it('reports a name used twice once, not also as the name of a further action', () => {
    const message = failure({
      schedules: [
        { name: 'day', recurrence: '0 9 * * *', minSize: 1 },
        { name: 'day', recurrence: '0 18 * * *', minSize: 0 },
      ],
    });
    expect(message).toContain('stack/fleet.schedules[1].name day is used by another schedule');
    expect(message).not.toContain('further action');
    expect(message).toMatch(/\(1 problem\)/);
  });
});

describe('level-triggered schedules (holdingRecurrences)', () => {
  it("holds production's render minimums in five expressions, each window's own", () => {
    expect(
      holdingRecurrences(
        PRODUCTION_RENDER_SCHEDULES.map((s) => s.recurrence),
        5,
      ),
    ).toEqual([
      ['*/5 9-17 * * 1-5'],
      ['*/5 18-23 * * 1-5', '*/5 0-8 * * 2-5'],
      ['*/5 * * * 0,6'],
      ['*/5 0-8 * * 1'],
    ]);
  });

  it('fires at an off-grid time itself, then on the 5-minute grid, never at a minute another action holds', () => {
    const holds = holdingRecurrences(['7 9 * * MON-FRI', '30 17 * * *'], 5);
    expect(holds).toEqual([
      ['7,10-55/5 9 * * 1-5', '*/5 10-16 * * 1-5', '0-25/5 17 * * 1-5'],
      ['*/5 9-17 * * 0,6', '*/5 0-8,18-23 * * *', '0-5/5 9 * * 1-5', '30-55/5 17 * * 1-5'],
    ]);
    const minutes = holds.flat().flatMap((c) => fireMinutes(parseWeeklyCron(c)));
    expect(new Set(minutes).size).toBe(minutes.length);
    // The week's levels are those of the edge-triggered schedule.
    const levels = (crons: string[][]) =>
      Object.fromEntries(weeklyLevels(crons.flatMap((cs, i) => cs.map((cron) => ({ cron, value: i + 1 })))));
    expect(levels(holds)).toEqual(levels([['7 9 * * MON-FRI'], ['30 17 * * *']]));
  });
});

describe('GpuFleet GPU-utilization scaling', () => {
  it('fails when the targets are not percentages', () => {
    const message = failure({
      scaling: { kind: 'gpu-utilization', targetPercent: 0, cpuTargetPercent: 101 },
    });
    expect(message).toContain('stack/fleet.scaling.targetPercent 0 must be an integer from 1 to 100');
    expect(message).toContain('stack/fleet.scaling.cpuTargetPercent 101 must be an integer from 1 to 100');
  });

  it('adds no CPU policy unless asked', () => {
    const { json } = build({ ...BASE, scaling: { kind: 'gpu-utilization', targetPercent: 70 } });
    expect(Object.values(resourcesOf(json, 'aws_autoscaling_policy')).map((p) => p.name)).toEqual([
      'p-e-gpu-gpu-utilization',
    ]);
  });
});

describe('GpuFleet drain on termination (scale-in, refresh, Spot interruption)', () => {
  const { json, fleet } = build(fleetProps(environments.production, 'renderWorker'));
  const fullName = 'ecg-video-pipeline-production-render-worker';

  it('holds a terminating host with a lifecycle hook, continuing when the time is up', () => {
    expect(onlyResource(json, 'aws_autoscaling_lifecycle_hook')).toMatchObject({
      name: `${fullName}-drain`,
      lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeat_timeout: 960,
      default_result: 'CONTINUE',
    });
  });

  it('lets the instance complete the hook on its own group only', () => {
    const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find(
      (p) => p.name === 'drain-lifecycle',
    );
    expect(JSON.parse((policy as Json).policy).Statement).toEqual([
      {
        Sid: 'CompleteOwnDrain',
        Effect: 'Allow',
        Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
        Resource: `\${aws_autoscaling_group.${Object.keys(resourcesOf(json, 'aws_autoscaling_group'))[0]}.arn}`,
      },
    ]);
  });

  it('stops the container with the drain time and completes the hook from the instance', () => {
    const script = fleet.userDataScript;
    expect(script).toContain('TimeoutStopSec=930\nExecStop=/usr/bin/docker stop -t 900 render-worker\n');
    expect(script).toContain('imds autoscaling/target-lifecycle-state');
    expect(script).toContain('imds spot/instance-action');
    expect(script).toContain('systemctl stop render-worker.service');
    expect(script).toContain(
      `--auto-scaling-group-name "${fullName}" --lifecycle-hook-name "${fullName}-drain"`,
    );
    expect(script).toContain('systemctl enable --now render-worker-drain.service');
  });

  it('leaves the model server (behind its load balancer) without a hook and with the default stop', () => {
    const model = build(fleetProps(environments.production, 'modelServer'));
    expect(resourcesOf(model.json, 'aws_autoscaling_lifecycle_hook')).toEqual({});
    expect(model.fleet.userDataScript).toContain('ExecStop=/usr/bin/docker stop model-server\n');
    expect(model.fleet.userDataScript).not.toContain('drain');
  });

  it('fails when the drain time is outside what a lifecycle hook can hold', () => {
    expect(failure({ drainTimeoutSeconds: 7200 })).toContain(
      'stack/fleet.drainTimeoutSeconds 7200 must be an integer from 30 to 7140',
    );
  });
});
