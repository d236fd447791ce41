/**
 * How a GPU fleet scales, beyond its launch template (ec2-gpu.ts calls these): the purchase mix
 * (Spot above an on-demand base, several instance types), scheduled minimums in a time zone,
 * target tracking on GPU utilization, and the drain path that lets a worker finish its jobs
 * before Auto Scaling terminates its host (scale-in, instance refresh, Spot interruption).
 */
import type {
  AutoscalingGroup,
  AutoscalingGroupMixedInstancesPolicy,
} from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { gpuInstanceTypeProblem } from '../lib/aws/ec2';
import { suggestion } from '../lib/suggest';
import {
  fireMinutes,
  formatMinuteOfWeek,
  holdingRecurrences,
  parseWeeklyCron,
  weeklyCronProblem,
} from '../lib/cron';
import type { IssueCollector } from '../lib/validation';

/** A scheduled minimum: from each firing of `recurrence` on, the group keeps at least `minSize`. */
export interface GpuFleetSchedule {
  /** Short kebab-case name; the action is `<fleet>-<name>`. */
  readonly name: string;
  /** Weekly 5-field cron in the fleet's schedule time zone, e.g. `0 9 * * MON-FRI`. */
  readonly recurrence: string;
  readonly minSize: number;
}

/**
 * Target tracking on the CloudWatch agent's NVIDIA GPU utilization, aggregated per Auto Scaling
 * group (the agent appends and aggregates the AutoScalingGroupName dimension).
 */
export interface GpuUtilizationScaling {
  readonly kind: 'gpu-utilization';
  /** Average GPU utilization the group is kept at. */
  readonly targetPercent: number;
  /** A second target tracking policy on average CPU (scale-out if either asks). @default none */
  readonly cpuTargetPercent?: number;
}

/** Namespace and name of the agent's GPU utilization metric (CloudWatch agent, NVIDIA GPU metrics). */
export const GPU_UTILIZATION_METRIC = {
  namespace: 'CWAgent',
  metricName: 'nvidia_smi_utilization_gpu',
} as const;

/**
 * Spot allocation strategy: price-capacity-optimized, which the Auto Scaling user guide
 * recommends ("Allocation strategies for multiple instance types"): the pools least likely to
 * be interrupted, at the lowest price among them.
 */
export const SPOT_ALLOCATION_STRATEGY = 'price-capacity-optimized';

/** Seconds the termination lifecycle hook may hold a host (EC2 Auto Scaling allows 30 to 7200). */
export const DRAIN_TIMEOUT_LIMITS = { min: 30, max: 7200 } as const;

const SCHEDULE_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
/**
 * IANA time zones, as the ICU data of Node.js knows them (Auto Scaling scheduled actions take an
 * IANA name, PutScheduledUpdateGroupAction TimeZone); UTC spelled either way.
 */
const TIME_ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC'];

export interface PurchaseOptions {
  readonly spot: boolean;
  readonly instanceType: string;
  /** SSM parameter of the AMI: fallback types must suit it as the primary type does. */
  readonly amiSsmParameter: string;
  readonly fallbackInstanceTypes: readonly string[];
  readonly onDemandBaseCapacity: number;
}

/**
 * The mixed instances policy, or undefined for a single on-demand type. Spot capacity sits above
 * an on-demand base; on-demand capacity takes the types in order (`prioritized`), the primary
 * type first, so the base is priced as the primary type.
 */
export function mixedInstancesPolicy(
  p: PurchaseOptions,
  launchTemplate: { readonly id: string; readonly version: string },
): AutoscalingGroupMixedInstancesPolicy | undefined {
  if (!p.spot && p.fallbackInstanceTypes.length === 0) return undefined;
  return {
    instancesDistribution: {
      onDemandAllocationStrategy: 'prioritized',
      onDemandBaseCapacity: p.spot ? p.onDemandBaseCapacity : 0,
      onDemandPercentageAboveBaseCapacity: p.spot ? 0 : 100,
      spotAllocationStrategy: SPOT_ALLOCATION_STRATEGY,
    },
    launchTemplate: {
      launchTemplateSpecification: { launchTemplateId: launchTemplate.id, version: launchTemplate.version },
      override: [p.instanceType, ...p.fallbackInstanceTypes].map((instanceType) => ({ instanceType })),
    },
  };
}

/** Target tracking on GPU utilization (construct id `scaling`) and optionally CPU (`cpu-scaling`). */
export function addGpuUtilizationScaling(
  scope: Construct,
  group: AutoscalingGroup,
  fullName: string,
  s: GpuUtilizationScaling,
): AutoscalingPolicy {
  const gpu = new AutoscalingPolicy(scope, 'scaling', {
    name: `${fullName}-gpu-utilization`,
    autoscalingGroupName: group.name,
    policyType: 'TargetTrackingScaling',
    targetTrackingConfiguration: {
      targetValue: s.targetPercent,
      customizedMetricSpecification: {
        metricName: GPU_UTILIZATION_METRIC.metricName,
        namespace: GPU_UTILIZATION_METRIC.namespace,
        statistic: 'Average',
        // No unit: a query that names one reads only data points put with that unit, and CloudWatch
        // recommends leaving it out (PutMetricAlarm Unit, GetMetricStatistics Unit); the agent's
        // nvidia_smi_* carried none (None) until the user data declared Percent.
        metricDimension: [{ name: 'AutoScalingGroupName', value: group.name }],
      },
    },
  });
  if (s.cpuTargetPercent !== undefined) {
    new AutoscalingPolicy(scope, 'cpu-scaling', {
      name: `${fullName}-cpu`,
      autoscalingGroupName: group.name,
      policyType: 'TargetTrackingScaling',
      targetTrackingConfiguration: {
        targetValue: s.cpuTargetPercent,
        predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
      },
    });
  }
  return gpu;
}

/** Minutes between two runs of a schedule's minimum while it holds (level-triggered schedules). */
export const SCHEDULE_HOLD_MINUTES = 5;

/** Scheduled actions an Auto Scaling group may have (EC2 Auto Scaling quotas). */
export const MAX_SCHEDULED_ACTIONS = 125;

/**
 * The scheduled actions of the schedules: each sets only the minimum (max_size and
 * desired_capacity are -1, which the provider leaves out of the action; left unset, it would
 * send 0). Raising the minimum above the group's size raises the desired capacity to it
 * (UpdateAutoScalingGroup); lowering it lets the scaling policies shrink the group, draining
 * each host. Level-triggered: a schedule's minimum is set at its own times and again every
 * SCHEDULE_HOLD_MINUTES while it holds, so a group that could not take it when it fired (held
 * at zero until its image exists) reaches it within minutes instead of at the next schedule.
 * The first action of a schedule keeps the id `schedule-<name>`; a schedule whose hold needs
 * more expressions gets `schedule-<name>-2`, ... `count` (a Terraform number) leaves them all
 * out while the group may not run (a scheduled minimum above the maximum fails).
 */
export function addSchedules(
  scope: Construct,
  group: AutoscalingGroup,
  fullName: string,
  schedules: readonly GpuFleetSchedule[],
  timeZone: string,
  count?: number,
): AutoscalingSchedule[] {
  const holds = holdingRecurrences(
    schedules.map((s) => s.recurrence),
    SCHEDULE_HOLD_MINUTES,
  );
  return schedules.flatMap((s, i) =>
    holds[i].map((recurrence, j) => {
      const suffix = j === 0 ? '' : `-${j + 1}`;
      return new AutoscalingSchedule(scope, `schedule-${s.name}${suffix}`, {
        count,
        autoscalingGroupName: group.name,
        scheduledActionName: `${fullName}-${s.name}${suffix}`,
        recurrence,
        timeZone,
        minSize: s.minSize,
        maxSize: -1,
        desiredCapacity: -1,
      });
    }),
  );
}

/**
 * How many of each scheduled action exist: all of them (undefined, no count) for a literal
 * maximum; for a maximum that is a Terraform expression (0 until the image exists), none while
 * it is 0, since Auto Scaling fails a scheduled minimum above the group's maximum.
 */
export function scheduleCount(maxSize: number): number | undefined {
  if (!Token.isUnresolved(maxSize)) return undefined;
  return Token.asNumber(Fn.min([maxSize, 1]));
}

/**
 * The lowest minimum a running group is planned to have: the schedules own the minimum once
 * they exist (they hold it from the first run on), else the configured minimum does.
 */
export function lowestMinimum(plannedMinSize: number, schedules: readonly GpuFleetSchedule[]): number {
  return schedules.length > 0 ? Math.min(...schedules.map((s) => s.minSize)) : plannedMinSize;
}

/**
 * A termination lifecycle hook that holds a terminating host up to `timeoutSeconds` while the
 * drain watcher on it stops the service (the worker finishes its jobs on SIGTERM), then lets the
 * termination continue; and the instance role's right to complete it on this group only.
 */
export function addDrainHook(
  scope: Construct,
  group: AutoscalingGroup,
  role: IamRole,
  fullName: string,
  timeoutSeconds: number,
): AutoscalingLifecycleHook {
  const hook = new AutoscalingLifecycleHook(scope, 'drain-hook', {
    name: drainHookName(fullName),
    autoscalingGroupName: group.name,
    lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    // Room for the service's stop timeout plus the watcher's poll and the API call.
    heartbeatTimeout: Math.min(timeoutSeconds + 60, DRAIN_TIMEOUT_LIMITS.max),
    defaultResult: 'CONTINUE',
  });
  new IamRolePolicy(scope, 'drain-access', {
    name: 'drain-lifecycle',
    role: role.id,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CompleteOwnDrain',
          Effect: 'Allow',
          Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
          Resource: group.arn,
        },
      ],
    }),
  });
  return hook;
}

export function drainHookName(fullName: string): string {
  return `${fullName}-drain`;
}

/**
 * User data that installs the drain watcher: a service polling the instance metadata every 5 s
 * for `autoscaling/target-lifecycle-state` = Terminated (scale-in, refresh, rebalancing) or a
 * Spot `instance-action` notice (two minutes). It then stops the fleet's service (`docker stop`
 * gives the container SIGTERM and `stopSeconds` to finish) and completes the lifecycle action.
 * Plain text: every value in it is known at synth, or a shell variable.
 */
export function drainWatcherScript(o: {
  readonly service: string;
  readonly groupName: string;
  readonly hookName: string;
  readonly region: string;
}): string {
  return `
# Drain before termination: the worker gets SIGTERM and time to finish (README, Spot interruptions).
cat > /usr/local/bin/${o.service}-drain-watch <<'EOF'
#!/bin/bash
set -uo pipefail
imds() {
  local token
  token="$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')" || return 1
  curl -sf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
state=""
notice=""
until [ "$state" = "Terminated" ] || [ -n "$notice" ]; do
  sleep 5
  state="$(imds autoscaling/target-lifecycle-state || true)"
  notice="$(imds spot/instance-action || true)"
done
echo "draining ${o.service}: target lifecycle state '$state', spot notice '$notice'"
systemctl stop ${o.service}.service
# A Spot notice may come before Auto Scaling starts the termination: wait for it (10 minutes at most).
for _ in $(seq 120); do
  [ "$state" = "Terminated" ] && break
  sleep 5
  state="$(imds autoscaling/target-lifecycle-state || true)"
done
if [ "$state" = "Terminated" ]; then
  aws autoscaling complete-lifecycle-action --region "${o.region}" \\
    --auto-scaling-group-name "${o.groupName}" --lifecycle-hook-name "${o.hookName}" \\
    --instance-id "$(imds instance-id)" --lifecycle-action-result CONTINUE
fi
EOF
chmod 0755 /usr/local/bin/${o.service}-drain-watch
cat > /etc/systemd/system/${o.service}-drain.service <<'EOF'
[Unit]
Description=Drain ${o.service} before Auto Scaling terminates this host
After=${o.service}.service

[Service]
ExecStart=/usr/local/bin/${o.service}-drain-watch
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --now ${o.service}-drain.service
`;
}

export interface ScalingExtrasProps {
  readonly spot: boolean;
  readonly instanceType: string;
  /** SSM parameter of the AMI: fallback types must suit it as the primary type does. */
  readonly amiSsmParameter: string;
  readonly fallbackInstanceTypes: readonly string[];
  readonly onDemandBaseCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly schedules: readonly GpuFleetSchedule[];
  readonly scheduleTimeZone: string;
  readonly drainTimeoutSeconds: number;
}

/** Largest Auto Scaling group the fleets allow (the bound of literal sizes too). */
export const MAX_GROUP_SIZE = 1000;

/** Checks the purchase mix, the schedules and the drain timeout; reports into `v`. */
export function validateScalingExtras(v: IssueCollector, p: ScalingExtrasProps): void {
  p.fallbackInstanceTypes.forEach((t, i) => {
    const problem = gpuInstanceTypeProblem(t, p.amiSsmParameter);
    if (problem) v.at('fallbackInstanceTypes').at(i).report(t, problem);
  });
  const types = [p.instanceType, ...p.fallbackInstanceTypes];
  v.at('fallbackInstanceTypes').check(
    new Set(types).size === types.length,
    p.fallbackInstanceTypes,
    'repeats an instance type (the primary type is always first)',
  );
  // A size that waits for its image tag is a Terraform expression: bound by the largest group instead.
  const maxSize = Token.isUnresolved(p.maxSize) ? MAX_GROUP_SIZE : p.maxSize;
  v.at('onDemandBaseCapacity').intRange(p.onDemandBaseCapacity, 0, maxSize);
  if (!p.spot) {
    v.at('onDemandBaseCapacity').check(
      p.onDemandBaseCapacity === 0,
      p.onDemandBaseCapacity,
      'only applies with spot (without spot every instance is on demand)',
    );
  }
  if (p.schedules.length > 0) {
    v.at('scheduleTimeZone').check(
      TIME_ZONES.includes(p.scheduleTimeZone),
      p.scheduleTimeZone,
      `must be an IANA time zone like Asia/Seoul${suggestion(p.scheduleTimeZone, TIME_ZONES)}`,
    );
  }
  const fired = new Map<number, string>();
  const names = new Set<string>();
  p.schedules.forEach((s, i) => {
    const at = v.at('schedules').at(i);
    at.at('name').matches(
      s.name,
      SCHEDULE_NAME_PATTERN,
      'must be lowercase letters, digits and single hyphens',
    );
    at.at('name').check(!names.has(s.name), s.name, 'is used by another schedule');
    names.add(s.name);
    at.at('minSize').intRange(s.minSize, 0, maxSize);
    const problem = weeklyCronProblem(s.recurrence);
    if (problem) {
      at.at('recurrence').report(s.recurrence, problem);
      return;
    }
    for (const minute of fireMinutes(parseWeeklyCron(s.recurrence))) {
      const other = fired.get(minute);
      if (other !== undefined) {
        at.at('recurrence').report(
          s.recurrence,
          `fires at ${formatMinuteOfWeek(minute)} like schedule ${other}`,
        );
        return;
      }
      fired.set(minute, s.name);
    }
  });
  const distinct = new Set(p.schedules.map((s) => s.name)).size === p.schedules.length;
  if (distinct && p.schedules.every((s) => weeklyCronProblem(s.recurrence) === undefined)) {
    const holds = holdingRecurrences(
      p.schedules.map((s) => s.recurrence),
      SCHEDULE_HOLD_MINUTES,
    );
    const actions = holds.flatMap((h, i) =>
      h.map((_, j) => (j === 0 ? p.schedules[i].name : `${p.schedules[i].name}-${j + 1}`)),
    );
    v.at('schedules').check(
      actions.length <= MAX_SCHEDULED_ACTIONS,
      `${p.schedules.length} schedules`,
      `take ${actions.length} scheduled actions to hold their minimums (every ${SCHEDULE_HOLD_MINUTES} minutes), and EC2 Auto Scaling allows ${MAX_SCHEDULED_ACTIONS} per group: use fewer distinct times`,
    );
    p.schedules.forEach((s, i) => {
      const taken = actions.filter((a) => a === s.name).length > 1;
      v.at('schedules')
        .at(i)
        .at('name')
        .check(
          !taken,
          s.name,
          'is also the name of a further action of another schedule (<name>-2, <name>-3, ...)',
        );
    });
  }
  if (p.drainTimeoutSeconds !== 0) {
    v.at('drainTimeoutSeconds').intRange(
      p.drainTimeoutSeconds,
      DRAIN_TIMEOUT_LIMITS.min,
      DRAIN_TIMEOUT_LIMITS.max - 60,
    );
  }
}
