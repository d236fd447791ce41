import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate, type LaunchTemplateConfig } from '@cdktf/provider-aws/lib/launch-template';
import { Fn } from 'cdktf';
import { ec2Imdsv2 } from '../../src/policies/rules/ec2-01-imdsv2';
import { ec2LaunchTemplateHardening } from '../../src/policies/rules/ec2-02-launch-template-hardening';
import { ec2MonitoringProfile } from '../../src/policies/rules/ec2-03-monitoring-profile';
import { ecrScanOnPush } from '../../src/policies/rules/ecr-01-scan-on-push';
import { ecrImmutableTags } from '../../src/policies/rules/ecr-02-immutable-tags';
import { ecsContainerInsights } from '../../src/policies/rules/ecs-01-container-insights';
import { ecsNoPublicIp } from '../../src/policies/rules/ecs-02-no-public-ip';
import { ecsNotPrivileged } from '../../src/policies/rules/ecs-03-not-privileged';
import { ecsReadOnlyRoot } from '../../src/policies/rules/ecs-04-read-only-root';
import { ecsRolesSecretsLogs } from '../../src/policies/rules/ecs-05-roles-secrets-logs';
import { ecsAwsvpc } from '../../src/policies/rules/ecs-06-awsvpc';
import { findingsOf, fixture, resultOf, rulesOf } from './support';

describe('ECR rules', () => {
  function repository(scanOnPush: boolean, mutability: string) {
    return fixture((scope) => {
      new EcrRepository(scope, 'api', {
        name: 'api',
        imageTagMutability: mutability,
        imageScanningConfiguration: { scanOnPush },
      });
    });
  }

  it('ECG-ECR-01 and ECG-ECR-02 pass a scanned, immutable repository', () => {
    const json = repository(true, 'IMMUTABLE');
    expect(resultOf(ecrScanOnPush, json, 'production').status).toBe('pass');
    expect(resultOf(ecrImmutableTags, json, 'production').status).toBe('pass');
  });

  it('ECG-ECR-01 fails a repository that does not scan on push', () => {
    expect(findingsOf(ecrScanOnPush, repository(false, 'IMMUTABLE'))).toEqual([
      'ECG-ECR-01 aws_ecr_repository.api: image_scanning_configuration.scan_on_push is not true',
    ]);
  });

  it('ECG-ECR-02 fails mutable tags in production and allows them in staging', () => {
    const json = repository(true, 'MUTABLE');
    expect(findingsOf(ecrImmutableTags, json, 'production')).toEqual([
      'ECG-ECR-02 aws_ecr_repository.api: image_tag_mutability is "MUTABLE" (must be "IMMUTABLE" in production)',
    ]);
    expect(resultOf(ecrImmutableTags, json, 'staging').status).toBe('not-applicable');
  });
});

const API_CONTAINER = {
  name: 'api',
  image: 'api:1',
  readonlyRootFilesystem: true,
  environment: [
    { name: 'S3_BUCKET_NAME', value: 'videos' },
    { name: 'DB_PASSWORD_SECRET_ARN', value: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:db' },
  ],
  secrets: [
    { name: 'SECRET_KEY', valueFrom: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:key' },
  ],
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/api' } },
};

function ecs(
  container: Record<string, unknown> = API_CONTAINER,
  taskRole = 'arn:aws:iam::123456789012:role/task',
  encode = JSON.stringify,
) {
  return fixture((scope) => {
    new EcsCluster(scope, 'cluster', {
      name: 'c',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    new EcsTaskDefinition(scope, 'api', {
      family: 'api',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      executionRoleArn: 'arn:aws:iam::123456789012:role/execution',
      taskRoleArn: taskRole,
      containerDefinitions: encode([container]),
    });
    new EcsService(scope, 'service', {
      name: 'api',
      taskDefinition: 'api',
      networkConfiguration: { subnets: ['subnet-1'], assignPublicIp: false },
    });
  });
}

describe('ECS rules', () => {
  const compliant = ecs();
  const ECS_RULES = rulesOf('ECG-ECS');

  it.each(ECS_RULES.map((r) => [r.id, r]))('%s passes a hardened Fargate service', (_id, rule) => {
    expect(resultOf(rule, compliant, 'production')).toMatchObject({ status: 'pass', findings: [] });
  });

  it('reads container definitions written with Fn.jsonencode', () => {
    const json = ecs(API_CONTAINER, 'arn:aws:iam::123456789012:role/task', (v) => Fn.jsonencode(v));
    for (const rule of ECS_RULES) expect(findingsOf(rule, json)).toEqual([]);
  });

  it('reads container definitions whose image is an interpolation with quotes inside', () => {
    const image =
      '${coalesce(var.api_image, "${aws_ecr_repository.api.repository_url}:${var.api_image_tag}")}';
    const json = ecs(API_CONTAINER, 'arn:aws:iam::123456789012:role/task', (v) =>
      JSON.stringify(v).replace('"image":"api:1"', `"image":"${image}"`),
    );
    expect(
      JSON.parse(JSON.stringify(json)).resource.aws_ecs_task_definition.api.container_definitions,
    ).toContain(image);
    for (const rule of ECS_RULES) expect(findingsOf(rule, json)).toEqual([]);
  });

  it('ECG-ECS-01 fails a cluster without Container Insights', () => {
    const json = fixture((scope) => {
      new EcsCluster(scope, 'cluster', {
        name: 'c',
        setting: [{ name: 'containerInsights', value: 'disabled' }],
      });
    });
    expect(findingsOf(ecsContainerInsights, json)).toEqual([
      'ECG-ECS-01 aws_ecs_cluster.cluster: setting containerInsights is "disabled" (must be "enabled" or "enhanced")',
    ]);
  });

  it('ECG-ECS-02 fails a service that assigns public IPs', () => {
    const json = fixture((scope) => {
      new EcsService(scope, 'service', {
        name: 'api',
        networkConfiguration: { subnets: ['subnet-1'], assignPublicIp: true },
      });
    });
    expect(findingsOf(ecsNoPublicIp, json)).toEqual([
      'ECG-ECS-02 aws_ecs_service.service: network_configuration.assign_public_ip is true (must be false)',
    ]);
  });

  it('ECG-ECS-03 fails a privileged container', () => {
    expect(findingsOf(ecsNotPrivileged, ecs({ ...API_CONTAINER, privileged: true }))).toEqual([
      'ECG-ECS-03 aws_ecs_task_definition.api: container api is privileged',
    ]);
  });

  it('ECG-ECS-03 fails container definitions it cannot read', () => {
    expect(
      findingsOf(
        ecsNotPrivileged,
        ecs(API_CONTAINER, 'x', () => '${file("containers.json")}'),
      ),
    ).toEqual(['ECG-ECS-03 aws_ecs_task_definition.api: has container_definitions that cannot be parsed']);
  });

  it('ECG-ECS-04 fails a writable root filesystem', () => {
    expect(findingsOf(ecsReadOnlyRoot, ecs({ ...API_CONTAINER, readonlyRootFilesystem: false }))).toEqual([
      'ECG-ECS-04 aws_ecs_task_definition.api: container api does not set readonlyRootFilesystem: true',
    ]);
  });

  it('ECG-ECS-05 fails a shared role, plaintext secrets and a container without logging', () => {
    const container = {
      name: 'api',
      image: 'api:1',
      environment: [
        { name: 'SECRET_KEY', value: 'not-so-secret-value' },
        { name: 'REDIS_URL', value: 'rediss://:token123@cache:6379' },
        { name: 'S3_BUCKET_NAME', value: 'videos' },
      ],
    };
    expect(
      findingsOf(ecsRolesSecretsLogs, ecs(container, 'arn:aws:iam::123456789012:role/execution')),
    ).toEqual([
      'ECG-ECS-05 aws_ecs_task_definition.api: execution_role_arn and task_role_arn are the same role',
      'ECG-ECS-05 aws_ecs_task_definition.api: container api passes SECRET_KEY as a plain environment variable (use secrets)',
      'ECG-ECS-05 aws_ecs_task_definition.api: container api passes REDIS_URL as a plain environment variable (use secrets)',
      'ECG-ECS-05 aws_ecs_task_definition.api: container api has no logConfiguration',
    ]);
  });

  it('ECG-ECS-06 fails a task definition outside awsvpc', () => {
    const json = fixture((scope) => {
      new EcsTaskDefinition(scope, 'api', {
        family: 'api',
        networkMode: 'bridge',
        containerDefinitions: '[]',
      });
    });
    expect(findingsOf(ecsAwsvpc, json)).toEqual([
      'ECG-ECS-06 aws_ecs_task_definition.api: network_mode is "bridge" (must be "awsvpc")',
    ]);
  });
});

const HARDENED: LaunchTemplateConfig = {
  name: 'model',
  imageId:
    'resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id',
  instanceType: 'g4dn.xlarge',
  ebsOptimized: 'true',
  iamInstanceProfile: { arn: 'arn:aws:iam::123456789012:instance-profile/model' },
  metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
  monitoring: { enabled: true },
  blockDeviceMappings: [
    { deviceName: '/dev/sda1', ebs: { encrypted: 'true', volumeSize: 50, volumeType: 'gp3' } },
  ],
  networkInterfaces: [{ associatePublicIpAddress: 'false', securityGroups: ['sg-1'] }],
  userData: Fn.base64encode(
    Fn.rawString(
      [
        '#!/bin/bash',
        'TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")',
        'REDIS_PASSWORD=$(aws secretsmanager get-secret-value --secret-id redis --query SecretString --output text)',
        'docker run --gpus all model:1',
      ].join('\n'),
    ),
  ),
};

function launchTemplate(overrides: Partial<LaunchTemplateConfig> = {}) {
  return fixture((scope) => {
    new LaunchTemplate(scope, 'model', { ...HARDENED, ...overrides });
  });
}

describe('EC2 rules', () => {
  const compliant = launchTemplate();

  it.each([ec2Imdsv2, ec2LaunchTemplateHardening, ec2MonitoringProfile].map((r) => [r.id, r]))(
    '%s passes a hardened GPU launch template',
    (_id, rule) => {
      expect(resultOf(rule, compliant, 'production')).toMatchObject({ status: 'pass', findings: [] });
    },
  );

  it('ECG-EC2-01 fails IMDSv1 on launch templates and instances', () => {
    const json = fixture((scope) => {
      new LaunchTemplate(scope, 'model', { ...HARDENED, metadataOptions: { httpTokens: 'optional' } });
      new Instance(scope, 'bastion', { ami: 'ami-1', instanceType: 't3.micro' });
    });
    expect(findingsOf(ec2Imdsv2, json)).toEqual([
      'ECG-EC2-01 aws_instance.bastion: metadata_options.http_tokens is (unset) (must be "required")',
      'ECG-EC2-01 aws_launch_template.model: metadata_options.http_tokens is "optional" (must be "required")',
    ]);
  });

  it('ECG-EC2-02 fails unencrypted volumes, public IPs and credentials in user data', () => {
    const json = launchTemplate({
      blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { encrypted: 'false', volumeSize: 50 } }],
      networkInterfaces: [{ associatePublicIpAddress: 'true' }],
      userData: Fn.base64encode(
        Fn.join('', [
          Fn.rawString('#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\nBUCKET='),
          '${aws_s3_bucket.videos.bucket}',
          Fn.rawString('\nDB_PASSWORD="SuperSecret123"\n'),
        ]),
      ),
    });
    expect(findingsOf(ec2LaunchTemplateHardening, json)).toEqual([
      'ECG-EC2-02 aws_launch_template.model: block device /dev/sda1 is not encrypted',
      'ECG-EC2-02 aws_launch_template.model: a network interface sets associate_public_ip_address = true',
      'ECG-EC2-02 aws_launch_template.model: user_data contains an AWS access key id',
      'ECG-EC2-02 aws_launch_template.model: user_data contains a literal password, secret or token',
    ]);
  });

  it('ECG-EC2-02 fails a template without block devices and reads base64 literals', () => {
    const json = launchTemplate({
      blockDeviceMappings: undefined,
      userData: Buffer.from('-----BEGIN RSA PRIVATE KEY-----\n').toString('base64'),
    });
    expect(findingsOf(ec2LaunchTemplateHardening, json)).toEqual([
      'ECG-EC2-02 aws_launch_template.model: declares no EBS block device (the root volume would follow the AMI unencrypted)',
      'ECG-EC2-02 aws_launch_template.model: user_data contains a private key',
    ]);
  });

  it('ECG-EC2-03 fails no detailed monitoring (production only), no EBS optimization, no instance profile', () => {
    const json = launchTemplate({
      monitoring: { enabled: false },
      ebsOptimized: undefined,
      iamInstanceProfile: undefined,
    });
    expect(findingsOf(ec2MonitoringProfile, json, 'production')).toEqual([
      'ECG-EC2-03 aws_launch_template.model: monitoring.enabled is not true (detailed monitoring required in production)',
      'ECG-EC2-03 aws_launch_template.model: ebs_optimized is (unset) (must be "true")',
      'ECG-EC2-03 aws_launch_template.model: has no iam_instance_profile',
    ]);
    expect(findingsOf(ec2MonitoringProfile, json, 'staging')).toEqual([
      'ECG-EC2-03 aws_launch_template.model: ebs_optimized is (unset) (must be "true")',
      'ECG-EC2-03 aws_launch_template.model: has no iam_instance_profile',
    ]);
  });
});
