import { Lazy, Token } from 'cdktf';
import type { GpuFleetProps } from '../src/modules/ec2-gpu';
import { withDefaults } from '../src/modules/ec2-gpu-props';
import { validate } from '../src/modules/ec2-gpu-validate';
import { collectIssues, formatIssue, IssueCollector } from '../src/lib/validation';
import { SMALL_FLEET } from './variants/ec2-gpu';

/**
 * The checks of a GPU fleet's props (src/modules/ec2-gpu-validate.ts), each bad value with the
 * whole line a user reads (the prop, the value, the rule), and the edge values that pass. The
 * fleet test (ec2-gpu.test.ts) shows that GpuFleet reports these before it builds anything.
 */
const BASE: GpuFleetProps = { ...SMALL_FLEET, maxSize: 4 };

const SECRET = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:p-e/app-AbCdEf';
const DIGEST = `@sha256:${'0123456789abcdef'.repeat(4)}`;

function problems(props: Partial<GpuFleetProps> & Record<string, unknown>): string[] {
  const { issues } = collectIssues(() =>
    validate(new IssueCollector('fleet'), withDefaults({ ...BASE, ...props } as GpuFleetProps)),
  );
  return issues.map(formatIssue);
}

describe('GPU fleet props', () => {
  it('takes the base fleet as it is', () => {
    expect(problems({})).toEqual([]);
  });

  it.each<[string, Partial<GpuFleetProps> & Record<string, unknown>, string[]]>([
    [
      'names with a trailing or doubled hyphen',
      { namePrefix: 'p-e-', name: 'gpu--x' },
      [
        'fleet.namePrefix p-e- must be lowercase letters, digits and single hyphens',
        'fleet.name gpu--x must be lowercase letters, digits and single hyphens',
      ],
    ],
    [
      'a name that makes the role name 65 characters (IAM: 64 at most)',
      { name: 'g'.repeat(61) },
      [
        `fleet.name ${'g'.repeat(61)} makes p-e-${'g'.repeat(61)} longer than 64 characters (IAM role name limit)`,
      ],
    ],
    ['an empty VPC id', { vpcId: '' }, ['fleet.vpcId "" must be set']],
    ['no VPC id', { vpcId: undefined }, ['fleet.vpcId (unset) must be set']],
    ['no subnet', { subnetIds: [] }, ['fleet.subnetIds [] must list at least one subnet']],
    [
      'a negative minimum (the planned minimum follows it)',
      { minSize: -1 },
      [
        'fleet.minSize -1 must be an integer from 0 to 1000',
        'fleet.plannedMinSize -1 must be an integer from 0 to 4',
      ],
    ],
    [
      'a maximum under the minimum',
      { minSize: 3, maxSize: 2, desiredCapacity: 2 },
      [
        'fleet.plannedMinSize 3 must be an integer from 0 to 2',
        'fleet.maxSize 2 must be at least minSize (3)',
        'fleet.desiredCapacity 2 must be an integer from minSize (3) to maxSize (2)',
      ],
    ],
    [
      'a desired capacity that is not an integer',
      { desiredCapacity: 1.5 },
      ['fleet.desiredCapacity 1.5 must be an integer from minSize (1) to maxSize (4)'],
    ],
    [
      'a root volume past gp3’s 16384 GiB',
      { rootVolumeGb: 16385 },
      [
        "fleet.rootVolumeGb 16385 must be an integer from 100 to 16384: EC2 refuses a root volume smaller than the AMI's snapshot",
      ],
    ],
    [
      'an AMI parameter that is not an absolute SSM path',
      { amiSsmParameter: 'aws/service/ami' },
      ['fleet.amiSsmParameter aws/service/ami must be an SSM parameter path like /aws/service/...'],
    ],
    [
      'an AMI parameter with a space',
      { amiSsmParameter: '/custom/ami id' },
      ['fleet.amiSsmParameter /custom/ami id must be an SSM parameter path like /aws/service/...'],
    ],
    [
      'image URIs with an upper-case registry, a trailing word or a short digest',
      { imageUri: 'Registry.example.com/app:v1' },
      ['fleet.imageUri Registry.example.com/app:v1 must be an image URI like <registry>/<repository>:<tag>'],
    ],
    [
      'an image URI with something after the tag',
      { imageUri: 'registry.example.com/app:v1 latest' },
      [
        'fleet.imageUri registry.example.com/app:v1 latest must be an image URI like <registry>/<repository>:<tag>',
      ],
    ],
    [
      'an image URI with a short digest',
      { imageUri: 'registry.example.com/app@sha256:abc' },
      [
        'fleet.imageUri registry.example.com/app@sha256:abc must be an image URI like <registry>/<repository>:<tag>',
      ],
    ],
    ['a region name', { region: 'Seoul' }, ['fleet.region Seoul must be an AWS region like ap-northeast-2']],
    [
      'a bucket name for an ARN',
      { videoBucketArn: 'videos' },
      ['fleet.videoBucketArn videos must be an S3 bucket ARN'],
    ],
    [
      'a grace period past two hours',
      { healthCheckGracePeriodSeconds: 7201 },
      ['fleet.healthCheckGracePeriodSeconds 7201 must be an integer from 0 to 7200'],
    ],
    [
      'a CPU target of 0 %',
      { scaling: { kind: 'cpu', targetPercent: 0 } },
      ['fleet.scaling.targetPercent 0 must be an integer from 1 to 100'],
    ],
    [
      'requests per instance of 0',
      { scaling: { kind: 'request-count', targetPerInstance: 0 }, loadBalancer: {} },
      ['fleet.scaling.targetPerInstance 0 must be an integer from 1 to 1000000'],
    ],
    [
      'a queue metric name with a tab',
      {
        scaling: {
          kind: 'queue-depth',
          targetPerInstance: 5,
          metricNamespace: 'ECG/Render',
          metricName: 'a\tb',
        },
      },
      ['fleet.scaling.metricName "a\\tb" must be a CloudWatch metric name (the value contains a tab)'],
    ],
    [
      'a scaling kind that does not exist',
      { scaling: { kind: 'memory', targetPercent: 50 } as unknown as GpuFleetProps['scaling'] },
      ['fleet.scaling.kind memory must be one of cpu, request-count, queue-depth, gpu-utilization'],
    ],
    [
      'health-check paths without a leading slash or with a space',
      { loadBalancer: { healthCheckPath: 'health' } },
      ['fleet.loadBalancer.healthCheckPath health must be a path starting with /'],
    ],
    [
      'a health-check path with its slash later on',
      { loadBalancer: { healthCheckPath: 'health/' } },
      ['fleet.loadBalancer.healthCheckPath health/ must be a path starting with /'],
    ],
    [
      'a health-check path with a space',
      { loadBalancer: { healthCheckPath: '/health now' } },
      ['fleet.loadBalancer.healthCheckPath /health now must be a path starting with /'],
    ],
    [
      'an idle timeout of 0',
      { loadBalancer: { idleTimeoutSeconds: 0 } },
      ['fleet.loadBalancer.idleTimeoutSeconds 0 must be an integer from 1 to 4000'],
    ],
    [
      'SSH from an address without a prefix length, and from a /15',
      { sshAllowedCidrs: ['10.0.0.1', '10.0.0.0/15'] },
      [
        'fleet.sshAllowedCidrs[0] 10.0.0.1 must be an IPv4 CIDR like 10.0.0.0/24',
        'fleet.sshAllowedCidrs[1] 10.0.0.0/15 is too wide for SSH (narrower than /16 required; prefer Session Manager)',
      ],
    ],
    [
      'environment names that start with a digit or hold a hyphen, and a value of two lines',
      { environment: { '1MODE': 'a', 'LOG-LEVEL': 'b', MODE: 'a\nb' } },
      [
        'fleet.environment.1MODE 1MODE must be an environment variable name',
        'fleet.environment.LOG-LEVEL LOG-LEVEL must be an environment variable name',
        'fleet.environment.MODE "a\\nb" must be a single line (the value contains a line break)',
      ],
    ],
    [
      'secrets with a bad name, a name also in environment, a bad ARN and a bad JSON key',
      {
        environment: { DB_URL: 'x' },
        secrets: {
          'DB-PASSWORD': { secretArn: SECRET },
          DB_URL: { secretArn: 'p-e/db' },
          API_KEY: { secretArn: SECRET, jsonKey: 'api key' },
        },
      },
      [
        'fleet.secrets.DB-PASSWORD DB-PASSWORD must be an environment variable name',
        'fleet.secrets.DB_URL DB_URL is also set in environment',
        'fleet.secrets.DB_URL.secretArn p-e/db must be a Secrets Manager secret ARN',
        'fleet.secrets.API_KEY.jsonKey api key must be letters, digits, _ . or -',
      ],
    ],
  ])('fails on %s', (_, props, expected) => {
    expect(problems(props)).toEqual(expected);
  });

  it('takes the edge values: equal sizes, a desired capacity at the maximum, the largest gp3 volume', () => {
    expect(problems({ minSize: 2, maxSize: 2 })).toEqual([]);
    expect(problems({ desiredCapacity: 4 })).toEqual([]);
    expect(problems({ rootVolumeGb: 16384 })).toEqual([]);
  });

  it('takes a name that makes the role name exactly 64 characters (IAM: 64 at most)', () => {
    expect(`p-e-${'g'.repeat(60)}`).toHaveLength(64);
    expect(problems({ name: 'g'.repeat(60) })).toEqual([]);
  });

  it('takes a registry with a port, a digest, a one-character load balancer name, SSH from a /16', () => {
    expect(problems({ imageUri: 'registry.example.com:5000/team/app:v1' })).toEqual([]);
    expect(problems({ imageUri: `registry.example.com/app${DIGEST}` })).toEqual([]);
    expect(problems({ loadBalancer: { name: 'a' } })).toEqual([]);
    expect(problems({ sshAllowedCidrs: ['10.0.0.0/16'] })).toEqual([]);
  });

  it('takes environment and secret names of letters, digits and underscores, and dotted JSON keys', () => {
    expect(
      problems({
        environment: { _MODE: 'a', LOG_LEVEL2: 'b' },
        secrets: { DB_PASSWORD: { secretArn: SECRET, jsonKey: 'db.password-1' } },
      }),
    ).toEqual([]);
  });

  // Terraform expressions are checked where they are used: a list or a string from a variable
  // passes here whatever it holds.
  it('leaves Terraform expressions to Terraform', () => {
    expect(
      problems({
        subnetIds: Token.asList(Lazy.anyValue({ produce: () => '${var.subnets}' })),
        region: Lazy.stringValue({ produce: () => '${var.region}' }),
        videoBucketArn: Lazy.stringValue({ produce: () => '${var.bucket}' }),
        minSize: Token.asNumber('${var.size}'),
        environment: { MODE: Lazy.stringValue({ produce: () => '${var.mode}' }) },
      }),
    ).toEqual([]);
  });
});
