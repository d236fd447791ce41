import { TerraformLocal } from 'cdktf';
import type { Construct } from 'constructs';
import {
  productionConfig,
  resolveSettings,
  stagingConfig,
  type EnvironmentConfig,
  type GpuConfig,
} from '../../src/config';
import { GpuFleet, type GpuFleetProps } from '../../src/modules/ec2-gpu';
import type { ScopedPlan } from '../support/plan-scope';
import type { Json } from '../support/synth';

export const settings = resolveSettings({ context: () => undefined, env: {} });
export const environments: Record<string, EnvironmentConfig> = {
  staging: stagingConfig(settings),
  production: productionConfig(settings),
};
const FLEET_NAMES = { modelServer: 'model-server', renderWorker: 'render-worker' } as const;
export const BUCKET_ARN = 'arn:aws:s3:::ecg-video-pipeline-video-storage-1a2b3c4d';

/** A small valid fleet, without the presets, for the module's own tests. */
export const SMALL_FLEET: GpuFleetProps = {
  namePrefix: 'p-e',
  name: 'gpu',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-1'],
  instanceType: 'g4dn.xlarge',
  port: 8080,
  minSize: 1,
  maxSize: 2,
  imageUri: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/p-e-gpu:v1',
  region: 'ap-northeast-2',
  videoBucketArn: 'arn:aws:s3:::videos',
};

/** What platform-stack.ts passes for one fleet of an environment. */
export function fleetProps(cfg: EnvironmentConfig, fleet: keyof GpuConfig): GpuFleetProps {
  const f = cfg.gpu[fleet];
  const namePrefix = `${settings.project}-${cfg.name}`;
  const name = FLEET_NAMES[fleet];
  return {
    namePrefix,
    name,
    vpcId: 'vpc-0123',
    subnetIds: ['subnet-gpu-a', 'subnet-gpu-c'],
    instanceType: f.instanceType,
    port: f.port,
    minSize: f.count.min,
    desiredCapacity: f.count.desired,
    maxSize: f.count.max,
    spot: f.spot,
    fallbackInstanceTypes: f.fallbackInstanceTypes,
    onDemandBaseCapacity: f.onDemandBaseCapacity,
    schedules: f.schedules,
    scheduleTimeZone: f.scheduleTimeZone,
    drainTimeoutSeconds: f.drainTimeoutSeconds,
    rootVolumeGb: f.rootVolumeGb,
    detailedMonitoring: f.detailedMonitoring,
    amiSsmParameter: f.amiSsmParameter,
    imageUri: `123456789012.dkr.ecr.${settings.region}.amazonaws.com/${namePrefix}-${name}:v1`,
    region: settings.region,
    videoBucketArn: BUCKET_ARN,
    loadBalancer: f.loadBalanced ? { deletionProtection: cfg.name === 'production' } : undefined,
    scaling:
      f.scaling.kind === 'queue-depth'
        ? {
            kind: 'queue-depth',
            targetPerInstance: f.scaling.targetPerInstance,
            metricNamespace: f.scaling.metricNamespace,
            metricName: f.scaling.metricName,
            metricDimensions: { AutoScalingGroupName: `${namePrefix}-${name}` },
          }
        : f.scaling,
    logRetentionDays: cfg.api.logRetentionDays,
    sshAllowedCidrs: [],
  };
}

const IMAGE = '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/ecg-video-pipeline-staging-model-server:v1';

/** What the last `build` made, for `check`: the fleets and the token that stands for IMAGE. */
const built: { fleets: GpuFleet[]; imageToken: string } = { fleets: [], imageToken: '' };

/** Both staging fleets; the model server's image comes from a Terraform local. */
export function build(scope: Construct): void {
  // A reference Terraform knows at plan time, so the rendered base64encode(join(...)) is checked too.
  built.imageToken = new TerraformLocal(scope, 'image', IMAGE).asString;
  const staging = environments.staging;
  built.fleets = [
    new GpuFleet(scope, 'model-server', {
      ...fleetProps(staging, 'modelServer'),
      imageUri: built.imageToken,
    }),
    new GpuFleet(scope, 'render-worker', {
      ...fleetProps(staging, 'renderWorker'),
      secrets: {
        REDIS_URL: {
          secretArn: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:redis-AbCdEf',
          jsonKey: 'url',
        },
      },
    }),
  ];
}

/** Plans against the real AWS provider with both fleets and decodes to the same user data. */
export function check(result: ScopedPlan): void {
  expect(result.resourceTypes).toEqual({
    aws_security_group: 3,
    aws_vpc_security_group_ingress_rule: 1,
    aws_vpc_security_group_egress_rule: 3,
    aws_cloudwatch_log_group: 2,
    aws_iam_role: 2,
    aws_iam_role_policy_attachment: 6,
    aws_iam_role_policy: 3,
    aws_iam_instance_profile: 2,
    aws_launch_template: 2,
    aws_lb: 1,
    aws_lb_target_group: 1,
    aws_lb_listener: 1,
    aws_autoscaling_group: 2,
    aws_autoscaling_policy: 4,
    aws_autoscaling_lifecycle_hook: 1,
    aws_cloudwatch_metric_alarm: 1,
  });
  const planned = (result.plan.planned_values.root_module.resources as Json[]).filter(
    (r) => r.type === 'aws_launch_template',
  );
  const decoded = planned
    .map((r) => Buffer.from(r.values.user_data as string, 'base64').toString('utf8'))
    .sort();
  expect(built.fleets).toHaveLength(2);
  const expected = built.fleets.map((f) => f.userDataScript.split(built.imageToken).join(IMAGE)).sort();
  expect(decoded).toEqual(expected);
  expect(decoded.join('\n')).toContain('"AutoScalingGroupName": "${aws:AutoScalingGroupName}"');
  // Terraform's template escaping ($${) must leave the braces systemd needs inside a word.
  expect(decoded.join('\n')).toContain('--log-opt awslogs-stream=${INSTANCE_ID} ');
}
