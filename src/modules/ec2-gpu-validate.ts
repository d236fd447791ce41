/**
 * Validation of a GPU fleet's props (split from ec2-gpu.ts): every problem at once, each naming
 * its prop, the value and the rule.
 */
import { Address4 } from 'ip-address';
import { Token } from 'cdktf';
import { type IssueCollector, throwIfIssues } from '../lib/validation';
import {
  CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN,
  CLOUDWATCH_METRIC_NAME_PATTERN,
  LOG_RETENTION_DAYS,
} from '../lib/aws/limits';
import { BUCKET_ARN_PATTERN, SECRET_ARN_PATTERN } from '../lib/aws/arns';
import { REGION_PATTERN } from '../lib/aws/regions';
import { gpuInstanceTypeProblem } from '../lib/aws/ec2';
import { GP3_MAX_GB, minimumRootVolumeGb } from '../lib/aws/ami';
import { literal, type ResolvedProps } from './ec2-gpu-props';
import { MAX_GROUP_SIZE, validateScalingExtras } from './ec2-gpu-scaling';

const NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const SSM_PARAMETER_PATTERN = /^\/[A-Za-z0-9_./-]+$/;
const IMAGE_PATTERN = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_.-]{1,128}|@sha256:[a-f0-9]{64})$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const JSON_KEY_PATTERN = /^[A-Za-z0-9_.-]+$/;
const LB_NAME_PATTERN = /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/** Reports every problem of the (defaulted) props and throws them together. */
export function validate(v: IssueCollector, p: ResolvedProps): void {
  v.at('namePrefix').matches(
    p.namePrefix,
    NAME_PATTERN,
    'must be lowercase letters, digits and single hyphens',
  );
  v.at('name').matches(p.name, NAME_PATTERN, 'must be lowercase letters, digits and single hyphens');
  v.at('name').check(
    `${p.namePrefix}-${p.name}`.length <= 64,
    p.name,
    `makes ${p.namePrefix}-${p.name} longer than 64 characters (IAM role name limit)`,
  );
  v.at('vpcId').check(typeof p.vpcId === 'string' && p.vpcId !== '', p.vpcId, 'must be set');
  // Stryker disable next-line ConditionalExpression: equivalent, cdktf encodes a list expression as one element, which the check passes
  if (literal(p.subnetIds)) {
    v.at('subnetIds').check(p.subnetIds.length > 0, p.subnetIds, 'must list at least one subnet');
  }
  const instanceType = gpuInstanceTypeProblem(p.instanceType, p.amiSsmParameter);
  if (instanceType) v.at('instanceType').report(p.instanceType, instanceType);
  v.at('port').intRange(p.port, 1, 65535);
  // Sizes may be Terraform expressions (a fleet held at zero until its image exists): checked when literal.
  const sizes = [p.minSize, p.maxSize, p.desiredCapacity];
  if (literal(p.minSize)) v.at('minSize').intRange(p.minSize, 0, MAX_GROUP_SIZE);
  v.at('plannedMinSize').intRange(p.plannedMinSize, 0, literal(p.maxSize) ? p.maxSize : MAX_GROUP_SIZE);
  if (literal(p.maxSize)) v.at('maxSize').intRange(p.maxSize, 1, MAX_GROUP_SIZE);
  if (literal(p.minSize) && literal(p.maxSize)) {
    v.at('maxSize').check(p.maxSize >= p.minSize, p.maxSize, `must be at least minSize (${p.minSize})`);
  }
  if (sizes.every(literal)) {
    v.at('desiredCapacity').check(
      Number.isInteger(p.desiredCapacity) && p.desiredCapacity >= p.minSize && p.desiredCapacity <= p.maxSize,
      p.desiredCapacity,
      `must be an integer from minSize (${p.minSize}) to maxSize (${p.maxSize})`,
    );
  }
  const minRoot = minimumRootVolumeGb(p.amiSsmParameter);
  v.at('rootVolumeGb').check(
    Number.isInteger(p.rootVolumeGb) && p.rootVolumeGb >= minRoot && p.rootVolumeGb <= GP3_MAX_GB,
    p.rootVolumeGb,
    `must be an integer from ${minRoot} to ${GP3_MAX_GB}: EC2 refuses a root volume smaller than the AMI's snapshot`,
  );
  v.at('amiSsmParameter').matches(
    p.amiSsmParameter,
    SSM_PARAMETER_PATTERN,
    'must be an SSM parameter path like /aws/service/...',
  );
  if (literal(p.imageUri)) {
    v.at('imageUri').matches(
      p.imageUri,
      IMAGE_PATTERN,
      'must be an image URI like <registry>/<repository>:<tag>',
    );
  }
  if (literal(p.region))
    v.at('region').matches(p.region, REGION_PATTERN, 'must be an AWS region like ap-northeast-2');
  if (literal(p.videoBucketArn)) {
    v.at('videoBucketArn').matches(p.videoBucketArn, BUCKET_ARN_PATTERN, 'must be an S3 bucket ARN');
  }
  v.at('logRetentionDays').oneOf(
    p.logRetentionDays,
    LOG_RETENTION_DAYS,
    'one of CloudWatch Logs retention values',
  );
  v.at('healthCheckGracePeriodSeconds').intRange(p.healthCheckGracePeriodSeconds, 0, 7200);

  const s = v.at('scaling');
  if (p.scaling.kind === 'cpu') {
    s.at('targetPercent').intRange(p.scaling.targetPercent, 1, 100);
  } else if (p.scaling.kind === 'request-count') {
    s.at('targetPerInstance').intRange(p.scaling.targetPerInstance, 1, 1000000);
    s.at('kind').check(p.loadBalancer !== undefined, p.scaling.kind, 'needs loadBalancer');
  } else if (p.scaling.kind === 'queue-depth') {
    s.at('targetPerInstance').intRange(p.scaling.targetPerInstance, 1, 1000000);
    s.at('metricNamespace').matches(
      p.scaling.metricNamespace,
      CLOUDWATCH_CUSTOM_NAMESPACE_PATTERN,
      'must be a custom CloudWatch namespace (not AWS/...)',
    );
    s.at('metricName').matches(
      p.scaling.metricName,
      CLOUDWATCH_METRIC_NAME_PATTERN,
      'must be a CloudWatch metric name',
    );
  } else if (p.scaling.kind === 'gpu-utilization') {
    s.at('targetPercent').intRange(p.scaling.targetPercent, 1, 100);
    if (p.scaling.cpuTargetPercent !== undefined)
      s.at('cpuTargetPercent').intRange(p.scaling.cpuTargetPercent, 1, 100);
  } else {
    s.at('kind').oneOf((p.scaling as { kind: string }).kind, [
      'cpu',
      'request-count',
      'queue-depth',
      'gpu-utilization',
    ]);
  }
  validateScalingExtras(v, p);

  if (p.loadBalancer) {
    const lb = v.at('loadBalancer');
    const path = p.loadBalancer.healthCheckPath;
    if (path !== undefined)
      lb.at('healthCheckPath').matches(path, /^\/\S*$/, 'must be a path starting with /');
    const name = p.loadBalancer.name;
    if (name !== undefined) {
      lb.at('name').matches(
        name,
        LB_NAME_PATTERN,
        'must be at most 32 letters, digits or hyphens, not starting with internal- or ending with -',
      );
    }
    const idle = p.loadBalancer.idleTimeoutSeconds;
    if (idle !== undefined) lb.at('idleTimeoutSeconds').intRange(idle, 1, 4000);
  }

  if (!Token.isUnresolved(p.sshAllowedCidrs))
    p.sshAllowedCidrs.forEach((cidr, i) => {
      const c = v.at('sshAllowedCidrs').at(i);
      if (!Address4.isValid(cidr) || !cidr.includes('/')) {
        c.report(cidr, 'must be an IPv4 CIDR like 10.0.0.0/24');
      } else if (new Address4(cidr).subnetMask < 16) {
        c.report(cidr, 'is too wide for SSH (narrower than /16 required; prefer Session Manager)');
      }
    });

  for (const [key, value] of Object.entries(p.environment)) {
    const e = v.at('environment').at(key);
    e.check(ENV_NAME_PATTERN.test(key), key, 'must be an environment variable name');
    // Stryker disable next-line ConditionalExpression: equivalent, a token marker never holds a line break
    if (literal(value)) e.check(!/[\r\n]/.test(value), value, 'must be a single line');
  }
  for (const [key, secret] of Object.entries(p.secrets)) {
    const e = v.at('secrets').at(key);
    e.check(ENV_NAME_PATTERN.test(key), key, 'must be an environment variable name');
    e.check(!(key in p.environment), key, 'is also set in environment');
    if (literal(secret.secretArn)) {
      e.at('secretArn').matches(secret.secretArn, SECRET_ARN_PATTERN, 'must be a Secrets Manager secret ARN');
    }
    if (secret.jsonKey !== undefined) {
      e.at('jsonKey').matches(secret.jsonKey, JSON_KEY_PATTERN, 'must be letters, digits, _ . or -');
    }
  }
  throwIfIssues(v.issues);
}
