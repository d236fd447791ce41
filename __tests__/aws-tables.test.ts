import { Token } from 'cdktf';
import { fargateSizeProblems } from '../src/lib/aws/limits';
import { gpuInstanceTypeProblem } from '../src/lib/aws/ec2';
import { rdsPostgresInstanceClassProblem, rdsPostgresVersionProblem } from '../src/lib/aws/rds';
import { elasticacheNodeTypeProblem, redisVersionProblem } from '../src/lib/aws/elasticache';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isWafCountryCode, WAF_COUNTRY_CODES } from '../src/lib/aws/countries';
import {
  amiArchitecture,
  EC2_INSTANCE_TYPES,
  GPU_FAMILIES,
  gpuInstanceInfo,
  instanceFamily,
  isEc2InstanceType,
} from '../src/lib/aws/ec2';
import {
  ELASTICACHE_NODE_TYPES,
  ELASTICACHE_PREVIOUS_GENERATION_NODE_TYPES,
  isElasticacheNodeType,
  isRedisEngineVersion,
} from '../src/lib/aws/elasticache';
import {
  elasticacheReplicationGroupIdProblems,
  elbNameProblems,
  NAME_LIMITS,
  nameLengthProblem,
} from '../src/lib/aws/names';
import {
  isRdsPostgresInstanceClass,
  isRdsPostgresVersion,
  RDS_POSTGRES_INSTANCE_CLASSES,
} from '../src/lib/aws/rds';
import { AWS_REGIONS, arnPartition, isRegion, partitionOf, REGION_PATTERN } from '../src/lib/aws/regions';
import { s3BucketNameProblems } from '../src/lib/aws/s3';
import { didYouMean, editDistance } from '../src/lib/suggest';
import {
  ec2InstanceTypesFromSdk,
  elasticacheNodeTypesFromSdk,
  regionsFromSdk,
  wafCountryCodesFromSdk,
} from '../scripts/aws-tables/sources';

const DATA = join(__dirname, '..', 'src', 'lib', 'aws', 'data');
const committed = (file: string) => JSON.parse(readFileSync(join(DATA, file), 'utf8'));

// Drift: a committed table that no longer equals the installed SDK fails here; the fix is
// `npx tsx scripts/update-aws-tables.ts` and a commit of src/lib/aws/data/.
describe('committed AWS tables equal the installed AWS SDK', () => {
  it('regions (endpoint partitions of @aws-sdk/core)', () => {
    expect(committed('regions.json').regions).toEqual(regionsFromSdk());
  });

  it('EC2 instance types (@aws-sdk/client-ec2 _InstanceType)', () => {
    expect(committed('ec2-instance-types.json').instanceTypes).toEqual(ec2InstanceTypesFromSdk());
  });

  it('WAF country codes (@aws-sdk/client-wafv2 CountryCode)', () => {
    expect(committed('waf-country-codes.json').countryCodes).toEqual(wafCountryCodesFromSdk());
  });

  it('ElastiCache node types (CacheNode text of @aws-sdk/client-elasticache)', () => {
    const { current, previous } = committed('elasticache-node-types.json');
    expect({ current, previous }).toEqual(elasticacheNodeTypesFromSdk());
  });

  it('every table states its source package and the date it was taken', () => {
    for (const file of [
      'regions.json',
      'ec2-instance-types.json',
      'waf-country-codes.json',
      'elasticache-node-types.json',
    ]) {
      const { source, package: pkg, takenOn } = committed(file);
      expect([file, typeof source, pkg, takenOn]).toEqual([
        file,
        'string',
        expect.stringMatching(/^@aws-sdk\/[a-z0-9-]+@\d+\.\d+\.\d+$/),
        expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      ]);
    }
  });
});

describe('regions', () => {
  it('knows the regions of the aws, aws-cn and aws-us-gov partitions', () => {
    expect(['ap-northeast-2', 'us-east-1', 'cn-north-1', 'us-gov-west-1'].filter(isRegion)).toHaveLength(4);
  });

  it('fails for a typo, a pseudo-region and a made-up region', () => {
    expect(['ap-northest-2', 'aws-global', 'us-east-9', 'AP-NORTHEAST-2', ''].filter(isRegion)).toEqual([]);
  });

  it('every region has the shape REGION_PATTERN describes', () => {
    expect(AWS_REGIONS.filter((r) => !REGION_PATTERN.test(r))).toEqual([]);
  });
});

describe('EC2 instance types and GPU families', () => {
  it('knows real instance types and fails for a made-up size', () => {
    expect(isEc2InstanceType('g4dn.xlarge')).toBe(true);
    expect(isEc2InstanceType('m7i.large')).toBe(true);
    expect(isEc2InstanceType('g4dn.huge')).toBe(false);
    expect(isEc2InstanceType('g4dn')).toBe(false);
  });

  it('lists every g*, gr* and p* family EC2 has, and only those', () => {
    const gpuLike = new Set(EC2_INSTANCE_TYPES.map(instanceFamily).filter((f) => /^(g|gr|p)\d/.test(f)));
    expect(Object.keys(GPU_FAMILIES).sort()).toEqual([...gpuLike].sort());
  });

  it('g5g is Arm (Graviton2) with an NVIDIA T4G; g4ad is x86_64 with an AMD GPU', () => {
    expect(gpuInstanceInfo('g5g.xlarge')).toEqual({
      family: 'g5g',
      arch: 'arm64',
      gpuVendor: 'nvidia',
      gpuModel: 'T4G',
      gpus: 1,
      gpuMemoryGiB: 16,
    });
    expect(gpuInstanceInfo('g4ad.xlarge')).toMatchObject({ arch: 'x86_64', gpuVendor: 'amd' });
    expect(gpuInstanceInfo('p6e-gb200.36xlarge')).toMatchObject({ arch: 'arm64', gpuVendor: 'nvidia' });
  });

  it('counts GPUs where the AWS Batch table lists the type (g4dn.12xlarge: 4 x 16 GiB)', () => {
    expect(gpuInstanceInfo('g4dn.12xlarge')).toMatchObject({ gpus: 4, gpuMemoryGiB: 64 });
    expect(gpuInstanceInfo('g4dn.xlarge')).toMatchObject({ gpus: 1, gpuMemoryGiB: 16 });
    expect(gpuInstanceInfo('g6e.xlarge')).not.toHaveProperty('gpus');
  });

  it('has no GPU facts for a made-up type or a CPU-only type', () => {
    expect(gpuInstanceInfo('g4dn.huge')).toBeUndefined();
    expect(gpuInstanceInfo('g99.xlarge')).toBeUndefined();
    expect(gpuInstanceInfo('m7i.large')).toBeUndefined();
    expect(gpuInstanceInfo('c7g.large')).toBeUndefined();
  });

  it('reads the architecture of a Deep Learning AMI SSM parameter', () => {
    const dlami = (arch: string) =>
      `/aws/service/deeplearning/ami/${arch}/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id`;
    expect(amiArchitecture(dlami('x86_64'))).toBe('x86_64');
    expect(amiArchitecture(dlami('arm64'))).toBe('arm64');
    expect(amiArchitecture(dlami('aarch64'))).toBeUndefined();
    expect(
      amiArchitecture('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'),
    ).toBeUndefined();
    expect(amiArchitecture('ami-0123456789abcdef0')).toBeUndefined();
  });

  it('tells the g5g + x86_64 DLAMI mismatch from a matching pair', () => {
    const fits = (type: string, ssm: string) => gpuInstanceInfo(type)?.arch === amiArchitecture(ssm);
    const x86 = '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';
    expect(fits('g4dn.xlarge', x86)).toBe(true);
    expect(fits('g5g.xlarge', x86)).toBe(false);
  });
});

describe('RDS for PostgreSQL', () => {
  it('accepts the classes the project uses and the other current families', () => {
    const used = [
      'db.t4g.micro',
      'db.t4g.medium',
      'db.t3.small',
      'db.m7g.large',
      'db.r6g.2xlarge',
      'db.x2g.large',
    ];
    expect(used.filter((c) => !isRdsPostgresInstanceClass(c))).toEqual([]);
  });

  it('fails for made-up sizes, retired families and sizes RDS does not sell', () => {
    const bad = [
      'db.t4g.huge',
      'db.t2.micro',
      'db.m4.large',
      'db.t4g.nano',
      'db.m6g.medium',
      'db.r6i.metal',
      't4g.micro',
      'db.x2gd.large',
    ];
    expect(bad.filter(isRdsPostgresInstanceClass)).toEqual([]);
  });

  it('derives every class from an EC2 instance type of the same hardware', () => {
    const hardware = (c: string) => c.replace(/^db\./, '').replace(/^x2g\./, 'x2gd.');
    expect(RDS_POSTGRES_INSTANCE_CLASSES.filter((c) => !isEc2InstanceType(hardware(c)))).toEqual([]);
  });

  it('accepts PostgreSQL 15 alone (RDS picks the minor) or a minor RDS offers', () => {
    expect(['15', '15.13', '15.15'].filter((v) => !isRdsPostgresVersion(v))).toEqual([]);
  });

  it('fails for 15.99, an unlisted major, a patch level and junk', () => {
    expect(
      ['15.99', '15.1', '14', '99', '15.15.1', '15.', '', 'constructor', '15.x'].filter(isRdsPostgresVersion),
    ).toEqual([]);
  });
});

describe('ElastiCache', () => {
  it('accepts current node types, data tiering included', () => {
    expect(
      ['cache.t4g.micro', 'cache.t4g.small', 'cache.r7g.large', 'cache.r6gd.xlarge'].filter(
        (t) => !isElasticacheNodeType(t),
      ),
    ).toEqual([]);
  });

  it('fails for made-up sizes and node types new clusters cannot use (T2, previous generation)', () => {
    expect(
      ['cache.t4g.huge', 'cache.t2.micro', 'cache.m1.small', 'cache.r3.large', 't4g.micro'].filter(
        isElasticacheNodeType,
      ),
    ).toEqual([]);
    expect(ELASTICACHE_PREVIOUS_GENERATION_NODE_TYPES).toContain('cache.t2.micro');
    expect(
      ELASTICACHE_NODE_TYPES.filter((t) => ELASTICACHE_PREVIOUS_GENERATION_NODE_TYPES.includes(t)),
    ).toEqual([]);
  });

  it('accepts the Redis OSS versions ElastiCache offers and fails for 7.9, 7.x and deprecated patches', () => {
    expect(['7.1', '7.0', '6.2', '6.x', '5.0.6'].filter((v) => !isRedisEngineVersion(v))).toEqual([]);
    expect(['7.9', '7.x', '7', '5.0.5', '3.2.10', '8.0', ''].filter(isRedisEngineVersion)).toEqual([]);
  });
});

describe('WAF geo match country codes', () => {
  it('accepts ISO 3166-1 alpha-2 codes such as KR, US, JP', () => {
    expect(['KR', 'US', 'JP'].filter((c) => !isWafCountryCode(c))).toEqual([]);
  });

  it('fails for XX, lower case and alpha-3 codes', () => {
    expect(['XX', 'kr', 'KOR', ''].filter(isWafCountryCode)).toEqual([]);
    expect(WAF_COUNTRY_CODES.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
  });
});

describe('S3 general purpose bucket naming rules', () => {
  it('accepts valid names', () => {
    expect(
      ['ecg-tfstate-123456789012', 'abc', 'my.bucket-1', 'a'.repeat(63)].map(s3BucketNameProblems),
    ).toEqual([[], [], [], []]);
  });

  it('reports two adjacent periods (ecg..tfstate) and an IP-address-shaped name (192.168.1.10)', () => {
    expect(s3BucketNameProblems('ecg..tfstate')).toEqual(['must not contain two adjacent periods']);
    expect(s3BucketNameProblems('192.168.1.10')).toEqual([
      'must not be formatted as an IP address (like 192.168.5.4)',
    ]);
  });

  it('reports length, characters and the first and last character', () => {
    expect(s3BucketNameProblems('ab')).toEqual(['must be 3 to 63 characters long (it has 2)']);
    expect(s3BucketNameProblems('a'.repeat(64))).toEqual(['must be 3 to 63 characters long (it has 64)']);
    expect(s3BucketNameProblems('Ecg_State')).toEqual([
      'may contain only lowercase letters, digits, dots (.) and hyphens (-)',
      'must begin and end with a lowercase letter or a digit',
    ]);
    expect(s3BucketNameProblems('-ecg-state.')).toEqual([
      'must begin and end with a lowercase letter or a digit',
    ]);
    expect(s3BucketNameProblems('')).toHaveLength(1);
  });

  it('reports every reserved prefix and suffix', () => {
    const names = [
      'xn--ecg',
      'sthree-ecg',
      'sthree-configurator-ecg',
      'amzn-s3-demo-ecg',
      'ecg-s3alias',
      'ecg--ol-s3',
      'ecg.mrap',
      'ecg--x-s3',
      'ecg--table-s3',
    ];
    expect(names.filter((n) => s3BucketNameProblems(n).length !== 1)).toEqual([]);
  });
});

describe('AWS name limits', () => {
  it('a 24-character project name breaks the ElastiCache replication group id (40) of its production stack', () => {
    const project = 'a'.repeat(24);
    expect(nameLengthProblem('elasticacheReplicationGroupId', `${project}-production-redis`)).toBe(
      'is 41 characters; AWS allows at most 40 for this name',
    );
    expect(
      nameLengthProblem('elasticacheReplicationGroupId', `${'a'.repeat(23)}-production-redis`),
    ).toBeUndefined();
  });

  it("name_prefix limits leave room for the provider's 26-character unique suffix", () => {
    expect(NAME_LIMITS.iamRole - NAME_LIMITS.iamRoleNamePrefix).toBe(26);
    expect(NAME_LIMITS.iamInstanceProfile - NAME_LIMITS.iamInstanceProfileNamePrefix).toBe(26);
    expect(NAME_LIMITS.targetGroup - NAME_LIMITS.targetGroupNamePrefix).toBe(26);
  });

  it('ElastiCache replication group id: letter first, no trailing or double hyphen, letters digits hyphens', () => {
    expect(elasticacheReplicationGroupIdProblems('ecg-production-redis')).toEqual([]);
    expect(elasticacheReplicationGroupIdProblems('1ecg-redis')).toEqual(['must start with a letter']);
    expect(elasticacheReplicationGroupIdProblems('ecg-redis-')).toEqual(['must not end with a hyphen']);
    expect(elasticacheReplicationGroupIdProblems('ecg--redis')).toEqual([
      'must not contain two consecutive hyphens',
    ]);
    expect(elasticacheReplicationGroupIdProblems('ecg_redis')).toEqual([
      'may contain only letters, digits and hyphens',
    ]);
    expect(elasticacheReplicationGroupIdProblems('a'.repeat(41))).toEqual([
      'must be 1 to 40 characters long (it has 41)',
    ]);
  });

  it('ALB and target group names: 32 characters, no edge hyphen, no internal- load balancer', () => {
    expect(elbNameProblems('ecg-production-alb', 'loadBalancer')).toEqual([]);
    expect(elbNameProblems('internal-ecg', 'loadBalancer')).toEqual(['must not begin with internal-']);
    expect(elbNameProblems('internal-ecg', 'targetGroup')).toEqual([]);
    expect(elbNameProblems('ecg-api-', 'targetGroup')).toEqual(['must not begin or end with a hyphen']);
    expect(elbNameProblems('a'.repeat(33), 'targetGroup')).toEqual([
      'must be 1 to 32 characters long (it has 33)',
    ]);
    expect(elbNameProblems('ecg.api', 'targetGroup')).toEqual([
      'may contain only letters, digits and hyphens',
    ]);
  });
});

describe('didYouMean', () => {
  it('suggests the closest candidate for the typos users make', () => {
    expect(didYouMean('stagign', ['state-backend', 'staging', 'production'])).toBe('staging');
    expect(didYouMean('statebucket', ['stateBucket', 'stateRegion', 'projectName'])).toBe('stateBucket');
    expect(didYouMean('api_imagetag', ['api_image_tag', 'worker_image_tag', 'ssh_allowed_cidrs'])).toBe(
      'api_image_tag',
    );
    expect(didYouMean('ap-northest-2', AWS_REGIONS)).toBe('ap-northeast-2');
  });

  it('suggests nothing for an unrelated value, an exact match or a tie', () => {
    expect(didYouMean('zzzz', ['staging', 'production'])).toBeUndefined();
    expect(didYouMean('dev', ['staging', 'production'])).toBeUndefined();
    expect(didYouMean('sta', ['state-backend', 'staging'])).toBeUndefined();
    expect(didYouMean('staging', ['staging', 'production'])).toBeUndefined();
    expect(didYouMean('us-east-3', ['us-east-1', 'us-east-2'])).toBeUndefined();
    expect(didYouMean('', ['staging'])).toBeUndefined();
  });

  it('takes the only candidate a value of 3 or more characters abbreviates', () => {
    expect(didYouMean('prod', ['staging', 'production'])).toBe('production');
    expect(didYouMean('pr', ['staging', 'production'])).toBeUndefined();
  });

  it('counts a swap of two adjacent letters as one edit', () => {
    expect(editDistance('stagign', 'staging')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

// One definition per rule, used by the config and by the module it protects; one test each.
describe('shared rules (config and modules both use them)', () => {
  it('fargateSizeProblems: the CPU must be a Fargate value, the memory one it allows', () => {
    expect(fargateSizeProblems(512, 1024)).toEqual({});
    expect(fargateSizeProblems(300, 1024).cpu).toMatch(/^must be a Fargate CPU value: 256, 512/);
    expect(fargateSizeProblems(512, 512)).toEqual({
      memoryMiB: 'is not a Fargate memory size allowed with cpu 512',
    });
  });

  it('gpuInstanceTypeProblem: exists, NVIDIA, the AMI architecture', () => {
    const x86 = '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';
    expect(gpuInstanceTypeProblem('g4dn.xlarge', x86)).toBeUndefined();
    expect(gpuInstanceTypeProblem('g4dn.huge', x86)).toMatch(/^is not an EC2 instance type/);
    expect(gpuInstanceTypeProblem('m5.xlarge', x86)).toMatch(/^has no GPU/);
    expect(gpuInstanceTypeProblem('g4ad.xlarge', x86)).toMatch(/NVIDIA GPUs$/);
    expect(gpuInstanceTypeProblem('g5g.xlarge', x86)).toMatch(/^is arm64, but the AMI/);
  });

  it('rdsPostgres*Problem and the ElastiCache rules name what AWS offers', () => {
    expect(rdsPostgresVersionProblem('15')).toBeUndefined();
    expect(rdsPostgresVersionProblem('15.99')).toMatch(/^is not a PostgreSQL version RDS offers: 15/);
    expect(rdsPostgresInstanceClassProblem('db.t4g.micro')).toBeUndefined();
    expect(rdsPostgresInstanceClassProblem('db.t4g.huge')).toMatch(
      /^is not an instance class RDS for PostgreSQL offers/,
    );
    expect(elasticacheNodeTypeProblem('cache.t4g.micro')).toBeUndefined();
    expect(elasticacheNodeTypeProblem('cache.t4g.huge')).toMatch(/^is not a current ElastiCache node type/);
    expect(redisVersionProblem('7.1', '7')).toBeUndefined();
    expect(redisVersionProblem('6.2', '7')).toBe('must be a Redis 7 version ElastiCache offers: 7.0, 7.1');
    expect(redisVersionProblem('7.9', '7')).toBe('must be a Redis 7 version ElastiCache offers: 7.0, 7.1');
  });
});

describe('arnPartition (the ARN partition the modules write)', () => {
  it('agrees with the region table on every region, and names the three partitions', () => {
    for (const region of AWS_REGIONS) expect(arnPartition(region), region).toBe(partitionOf(region));
    expect(arnPartition('cn-northwest-1')).toBe('aws-cn');
    expect(arnPartition('us-gov-east-1')).toBe('aws-us-gov');
    expect(arnPartition('ap-northeast-2')).toBe('aws');
  });

  it('gives aws for a Terraform expression and for a region newer than the table', () => {
    expect(arnPartition(Token.asString({ Ref: 'region' }))).toBe('aws');
    expect(arnPartition('us-gov-central-9')).toBe('aws-us-gov');
  });
});
