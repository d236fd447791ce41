/** Validation of the compute sections of an environment: `ecr`, `api`, `alb` and `gpu`. */
import type { EnvironmentConfig, GpuFleetConfig, ProjectSettings } from './types';
import { IssueCollector } from '../lib/validation';
import {
  CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN,
  CLOUDWATCH_METRIC_NAME_PATTERN,
  ECS_CONTAINER_NAME_PATTERN,
  fargateSizeProblems,
} from '../lib/aws/limits';
import { acmCertificateArnPattern } from '../lib/aws/arns';
import { gpuInstanceTypeProblem } from '../lib/aws/ec2';
import { GP3_MAX_GB, minimumRootVolumeGb } from '../lib/aws/ami';
import { validateScalingExtras } from '../modules/ec2-gpu-scaling';
import { checkKombuKeyLayout } from '../lib/celery-broker';
import { checkCount, checkRetention } from './validate-rules';

/** `ecr`: repository names, tag mutability, lifecycle; immutable and kept in production. */
export function validateEcr(root: IssueCollector, cfg: EnvironmentConfig): void {
  const prod = cfg.name === 'production';
  const ecr = root.at('ecr');
  ecr
    .at('repositories')
    .check(cfg.ecr.repositories.length > 0, cfg.ecr.repositories, 'must list at least one repository');
  cfg.ecr.repositories.forEach((r, i) =>
    ecr
      .at('repositories')
      .at(i)
      .matches(r, /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'must be a lowercase ECR repository name'),
  );
  if (prod) {
    ecr
      .at('imageTagMutability')
      .check(
        cfg.ecr.imageTagMutability === 'IMMUTABLE',
        cfg.ecr.imageTagMutability,
        'must be IMMUTABLE in production',
      );
    ecr.at('forceDelete').check(!cfg.ecr.forceDelete, cfg.ecr.forceDelete, 'must be false in production');
  }
}

/** `api`: the Fargate size, container, autoscaling and deployment settings. */
export function validateApi(root: IssueCollector, cfg: EnvironmentConfig): void {
  const api = root.at('api');
  const size = fargateSizeProblems(cfg.api.cpu, cfg.api.memoryMiB);
  if (size.cpu) api.at('cpu').report(cfg.api.cpu, size.cpu);
  if (size.memoryMiB) api.at('memoryMiB').report(cfg.api.memoryMiB, size.memoryMiB);
  api
    .at('containerName')
    .matches(cfg.api.containerName, ECS_CONTAINER_NAME_PATTERN, 'must be 1-255 letters, digits, _ or -');
  checkRetention(api.at('logRetentionDays'), cfg.api.logRetentionDays);
  checkCount(api.at('count'), cfg.api.count, 1000);
  const release = api.at('release');
  // CodeDeploy API reference, TimeBasedCanary: canaryInterval is the whole minutes between the two
  // shifts; 0 would leave no time for the alarms to watch the canary.
  if (cfg.api.release.canaryPercent > 0)
    release.at('canaryMinutes').intRange(cfg.api.release.canaryMinutes, 1, 2880);
}

/**
 * `alb`: target health check, TLS policy, certificate, and how CloudFront reaches it (internet-facing
 * with the origin header, or internal behind a VPC origin with an origin domain name).
 */
export function validateAlb(root: IssueCollector, cfg: EnvironmentConfig, settings: ProjectSettings): void {
  const prod = cfg.name === 'production';
  const alb = root.at('alb');
  const thc = cfg.alb.healthCheck;
  alb
    .at('healthCheck')
    .at('path')
    .matches(thc.path, /^\/\S*$/, 'must be a path starting with /');
  alb
    .at('healthCheck')
    .at('timeoutSeconds')
    .check(
      thc.timeoutSeconds < thc.intervalSeconds,
      thc.timeoutSeconds,
      `must be less than intervalSeconds (${thc.intervalSeconds})`,
    );
  alb
    .at('healthCheck')
    .at('matcher')
    .matches(thc.matcher, /^\d{3}([,-]\d{3})*$/, 'must be HTTP codes like 200 or 200-299');
  alb
    .at('sslPolicy')
    .matches(
      cfg.alb.sslPolicy,
      /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2)/,
      'must be an ELB security policy that requires TLS 1.2+',
    );
  if (cfg.alb.certificateArn !== undefined) {
    alb
      .at('certificateArn')
      .matches(
        cfg.alb.certificateArn,
        acmCertificateArnPattern(settings.region),
        `must be an ACM certificate ARN in ${settings.region}`,
      );
    if (cfg.alb.internetFacing) {
      alb
        .at('requireOriginHeader')
        .check(
          cfg.alb.requireOriginHeader,
          cfg.alb.requireOriginHeader,
          'must be true when certificateArn is set: CloudFront reaches the ALB on port 80, which otherwise redirects to HTTPS',
        );
    }
  }
  if (!cfg.alb.internetFacing && cfg.alb.certificateArn !== undefined) {
    alb
      .at('originDomainName')
      .check(
        cfg.alb.originDomainName !== undefined,
        cfg.alb.originDomainName,
        'is required with certificateArn on an internal ALB: CloudFront checks the origin certificate against the origin domain name, and no ACM certificate covers the ALB generated name',
      );
  }
  if (cfg.alb.originDomainName !== undefined) {
    alb
      .at('originDomainName')
      .matches(
        cfg.alb.originDomainName,
        /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/,
        'must be a DNS name like api-origin.example.com',
      );
    alb
      .at('originDomainName')
      .check(
        !cfg.alb.internetFacing && cfg.alb.certificateArn !== undefined,
        cfg.alb.originDomainName,
        'needs internetFacing false and certificateArn (it is the HTTPS name of the VPC origin)',
      );
  }
  if (!cfg.alb.internetFacing) {
    alb
      .at('requireOriginHeader')
      .check(
        !cfg.alb.requireOriginHeader,
        cfg.alb.requireOriginHeader,
        'must be false with internetFacing false: an internal ALB is reachable only through the CloudFront VPC origin',
      );
  }
  if (prod && cfg.alb.internetFacing) {
    alb
      .at('internetFacing')
      .check(
        cfg.overrides.allowPublicAlb !== undefined,
        cfg.alb.internetFacing,
        'must be false in production: CloudFront reaches an internal ALB through a VPC origin (set overrides.allowPublicAlb with a reason to allow it)',
      );
    alb
      .at('requireOriginHeader')
      .check(
        cfg.alb.requireOriginHeader,
        cfg.alb.requireOriginHeader,
        'must be true for an internet-facing ALB in production (it must answer CloudFront only)',
      );
  }
  if (prod) {
    alb
      .at('deletionProtection')
      .check(cfg.alb.deletionProtection, cfg.alb.deletionProtection, 'must be true in production');
  }
}

/** `gpu`: both fleets. */
export function validateGpu(root: IssueCollector, cfg: EnvironmentConfig): void {
  validateGpuFleet(root.at('gpu').at('modelServer'), cfg.gpu.modelServer);
  validateGpuFleet(root.at('gpu').at('renderWorker'), cfg.gpu.renderWorker);
}

function validateGpuFleet(v: IssueCollector, fleet: GpuFleetConfig): void {
  const problem = gpuInstanceTypeProblem(fleet.instanceType, fleet.amiSsmParameter);
  if (problem) v.at('instanceType').report(fleet.instanceType, problem);
  checkCount(v.at('count'), fleet.count, 100);
  checkRetention(v.at('logRetentionDays'), fleet.logRetentionDays);
  // EC2 refuses a root volume smaller than the AMI's snapshot (InvalidBlockDeviceMapping at launch).
  const minRoot = minimumRootVolumeGb(fleet.amiSsmParameter);
  v.at('rootVolumeGb').check(
    Number.isInteger(fleet.rootVolumeGb) && fleet.rootVolumeGb >= minRoot && fleet.rootVolumeGb <= GP3_MAX_GB,
    fleet.rootVolumeGb,
    `must be an integer from ${minRoot} to ${GP3_MAX_GB}: EC2 refuses a root volume smaller than the AMI's snapshot`,
  );
  v.at('amiSsmParameter').matches(
    fleet.amiSsmParameter,
    /^\/aws\/service\/[A-Za-z0-9_./-]+$/,
    'must be an SSM public parameter path under /aws/service/',
  );
  fleet.fallbackInstanceTypes.forEach((t, i) =>
    v
      .at('fallbackInstanceTypes')
      .at(i)
      .matches(t, /^(g|p)\d/, 'must be a GPU instance family (g* or p*)'),
  );
  // Purchase mix, schedules (weekly cron, sizes within count.max, no two at one time), drain.
  validateScalingExtras(v, {
    ...fleet,
    minSize: fleet.count.min,
    maxSize: fleet.count.max,
  });
  if (fleet.scaling.kind === 'cpu') {
    v.at('scaling').at('targetPercent').intRange(fleet.scaling.targetPercent, 1, 100);
  } else if (fleet.scaling.kind === 'gpu-utilization') {
    v.at('scaling').at('targetPercent').intRange(fleet.scaling.targetPercent, 1, 100);
    if (fleet.scaling.cpuTargetPercent !== undefined) {
      v.at('scaling').at('cpuTargetPercent').intRange(fleet.scaling.cpuTargetPercent, 1, 100);
    }
  } else {
    const queues = fleet.scaling.queues;
    v.at('scaling')
      .at('queues')
      .check(queues.length > 0, queues, 'must list at least one Celery queue');
    queues.forEach((q, i) =>
      v
        .at('scaling')
        .at('queues')
        .at(i)
        .matches(q, /^[A-Za-z0-9_.:@-]{1,200}$/, 'must be a Celery queue name (no spaces or commas)'),
    );
    checkKombuKeyLayout(
      v.at('scaling').at('brokerTransportOptions'),
      fleet.scaling.brokerTransportOptions,
      queues,
    );
    v.at('scaling').at('targetPerInstance').intRange(fleet.scaling.targetPerInstance, 1, 100000);
    v.at('scaling')
      .at('metricName')
      .matches(fleet.scaling.metricName, CLOUDWATCH_METRIC_NAME_PATTERN, 'must be a CloudWatch metric name');
    v.at('scaling')
      .at('metricNamespace')
      .matches(
        fleet.scaling.metricNamespace,
        CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN,
        'must be a custom CloudWatch namespace (not AWS/...)',
      );
  }
}
