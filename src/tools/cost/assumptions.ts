import { IssueCollector, throwIfIssues } from '../../lib/validation';

/**
 * Usage the synthesized JSON cannot tell: traffic, data volumes, log volume, spot discounts.
 * Everything the estimator prices from the stack itself (counts, classes, sizes) is read from
 * the JSON instead, so changing a module changes the estimate without touching this file.
 */
export interface UsageAssumptions {
  /** Hours billed per month for always-on resources (AWS's convention: 365 x 24 / 12 = 730). */
  readonly hoursPerMonth: number;
  /** Average load balancer capacity units consumed per hour, per ALB. */
  readonly albLcus: { readonly internetFacing: number; readonly internal: number };
  /**
   * GB per month through the NAT gateways: OS packages, external APIs, ECR API calls. Image
   * layers and S3 traffic use the S3 gateway endpoint and are not counted.
   */
  readonly natProcessedGb: number;
  /** GB per month ingested into CloudWatch Logs by the containers, GPU hosts, RDS, Redis and ECS Exec. */
  readonly logIngestionGb: number;
  /** GB per month of VPC flow log records delivered to CloudWatch Logs (vended logs). */
  readonly flowLogGb: number;
  /**
   * Custom CloudWatch metrics kept all month: Container Insights (roughly 40 for one cluster
   * with one service at the cluster, service and task-family dimensions), the GPU hosts' agent
   * metrics and the render backlog with its two parts (queued, in progress). EC2 detailed
   * monitoring is counted with the GPU fleets.
   */
  readonly customMetrics: number;
  /** GB per month served by CloudFront to viewers. */
  readonly cloudFrontGb: number;
  /** HTTPS requests per month to CloudFront, in millions; each runs at most one viewer-request function. */
  readonly cloudFrontRequestsMillions: number;
  /**
   * Edge group that serves the viewers when the price class includes their region (Korean
   * users: `asiaPacific`). PriceClass_100 has no Asian edges; those viewers are billed at
   * North American rates.
   */
  readonly cloudFrontViewerEdge: 'northAmerica' | 'asiaPacific';
  /** Requests per month inspected by the WAF web ACL, in millions (all CloudFront requests). */
  readonly wafRequestsMillions: number;
  /** GB-month in S3 Standard across the stack's buckets (videos, frontend, logs). */
  readonly s3StandardGb: number;
  /** GB-month in S3 Glacier Flexible Retrieval (uploads and renders moved by the lifecycle rules). */
  readonly s3GlacierGb: number;
  /** PUT, COPY, POST and LIST requests per month, in thousands. */
  readonly s3PutRequestsThousands: number;
  /** GET requests per month, in thousands (CloudFront caches most reads). */
  readonly s3GetRequestsThousands: number;
  /** GB-month of images across the ECR repositories (GPU images are several GB each). */
  readonly ecrStorageGb: number;
  /**
   * Spot discount against on-demand for GPU instances (0.6 = pay 40 %); spot prices float. 0.6 is
   * below what was observed: on 2026-05-02 Spot in ap-northeast-2 was $0.2603/h for g4dn.2xlarge
   * (72 % under its $0.925 on-demand rate), $0.2946 for g6.2xlarge and $0.4266 for g5.2xlarge
   * (AWS Spot price history as republished in aws-deepracer-community/deepracer-on-the-spot,
   * spot_info.md). The fleets may launch any of those types, so the estimate keeps a margin.
   */
  readonly gpuSpotDiscount: number;
  /** Average run time of a scheduled function (the queue-depth publisher: TLS to Redis, two AWS calls). */
  readonly functionDurationMs: number;
  /** Fargate Spot discount against on-demand (AWS advertises up to 70 %). */
  readonly fargateSpotDiscount: number;
  /** GB per month through the interface endpoints (image pulls' API calls, logs, metrics, secrets). */
  readonly endpointProcessedGb: number;
  /** New video GB per month replicated to the second region (uploads and renders). */
  readonly replicatedGb: number;
  /** GB-month the replica keeps in S3 Standard and in Glacier Flexible Retrieval (its lifecycle). */
  readonly replicaStorageGb: { readonly standard: number; readonly glacier: number };
  /** GB-month of RDS backups (snapshots and transaction logs) kept in the second region. */
  readonly rdsReplicatedBackupGb: number;
  /** GB per month RDS copies to the second region (transaction logs and snapshot changes). */
  readonly rdsReplicatedTransferGb: number;
  /**
   * Requests a month, in millions, that reach a traced service (API calls and Celery tasks);
   * the sampling rules decide how many become recorded traces.
   */
  readonly tracedRequestsMillions: number;
  /** Traces retrieved or scanned a month in the X-Ray console and API, in millions. */
  readonly traceRetrievalsMillions: number;
}

const HOURS_PER_MONTH = 730;

/** Staging: the team's own testing, little traffic. */
export const STAGING_ASSUMPTIONS: UsageAssumptions = {
  hoursPerMonth: HOURS_PER_MONTH,
  albLcus: { internetFacing: 0.2, internal: 0.1 },
  natProcessedGb: 20,
  logIngestionGb: 5,
  flowLogGb: 0,
  customMetrics: 47,
  cloudFrontGb: 50,
  cloudFrontRequestsMillions: 1,
  cloudFrontViewerEdge: 'asiaPacific',
  wafRequestsMillions: 1,
  s3StandardGb: 50,
  s3GlacierGb: 0,
  s3PutRequestsThousands: 10,
  s3GetRequestsThousands: 100,
  ecrStorageGb: 20,
  gpuSpotDiscount: 0.6,
  fargateSpotDiscount: 0.7,
  functionDurationMs: 1000,
  endpointProcessedGb: 0,
  replicatedGb: 0,
  replicaStorageGb: { standard: 0, glacier: 0 },
  rdsReplicatedBackupGb: 0,
  rdsReplicatedTransferGb: 0,
  tracedRequestsMillions: 0.5,
  traceRetrievalsMillions: 0.1,
};

/** Production: an assumed launch load of about 10 M requests and 500 GB a month; revise with real traffic. */
export const PRODUCTION_ASSUMPTIONS: UsageAssumptions = {
  hoursPerMonth: HOURS_PER_MONTH,
  albLcus: { internetFacing: 1, internal: 0.5 },
  natProcessedGb: 100,
  logIngestionGb: 30,
  flowLogGb: 20,
  customMetrics: 47,
  cloudFrontGb: 500,
  cloudFrontRequestsMillions: 10,
  cloudFrontViewerEdge: 'asiaPacific',
  wafRequestsMillions: 10,
  s3StandardGb: 500,
  s3GlacierGb: 1000,
  s3PutRequestsThousands: 100,
  s3GetRequestsThousands: 1000,
  ecrStorageGb: 40,
  gpuSpotDiscount: 0.6,
  fargateSpotDiscount: 0.7,
  functionDurationMs: 1000,
  // Logs, metrics and API calls that the NAT gateways carried before the endpoints.
  endpointProcessedGb: 50,
  // The videos of a month (uploads and renders); the replica mirrors the source's storage.
  replicatedGb: 200,
  replicaStorageGb: { standard: 500, glacier: 1000 },
  // Seven days of snapshots and transaction logs of a 100 GB database.
  rdsReplicatedBackupGb: 150,
  rdsReplicatedTransferGb: 60,
  // Half the CloudFront requests reach the API or a worker.
  tracedRequestsMillions: 5,
  traceRetrievalsMillions: 1,
};

/** The bootstrap stack: a state bucket and an on-demand lock table, priced at a few MB of state. */
export const STATE_BACKEND_ASSUMPTIONS: UsageAssumptions = {
  ...STAGING_ASSUMPTIONS,
  albLcus: { internetFacing: 0, internal: 0 },
  natProcessedGb: 0,
  logIngestionGb: 0,
  customMetrics: 0,
  cloudFrontGb: 0,
  cloudFrontRequestsMillions: 0,
  wafRequestsMillions: 0,
  s3StandardGb: 1,
  s3PutRequestsThousands: 1,
  s3GetRequestsThousands: 1,
  ecrStorageGb: 0,
};

/** Assumptions by stack id (the platform stacks are named after their environment). */
export const USAGE_ASSUMPTIONS: Readonly<Record<string, UsageAssumptions>> = {
  staging: STAGING_ASSUMPTIONS,
  production: PRODUCTION_ASSUMPTIONS,
  'state-backend': STATE_BACKEND_ASSUMPTIONS,
};

/** The assumptions of a stack id; throws for a stack nobody has described the usage of. */
export function assumptionsFor(stack: string): UsageAssumptions {
  const found = USAGE_ASSUMPTIONS[stack];
  if (!found) {
    throw new Error(
      `no usage assumptions for stack ${stack} (known: ${Object.keys(USAGE_ASSUMPTIONS).join(', ')}); ` +
        'add them to src/tools/cost/assumptions.ts',
    );
  }
  return validateAssumptions(found, `assumptions.${stack}`);
}

/** Checks every field at once and throws a ConfigError naming each bad one. */
export function validateAssumptions(a: UsageAssumptions, path: string): UsageAssumptions {
  const v = new IssueCollector(path);
  const nonNegative = (field: string, value: number) =>
    v.at(field).check(Number.isFinite(value) && value >= 0, value, 'must be a non-negative number');
  v.at('hoursPerMonth').check(
    Number.isFinite(a.hoursPerMonth) && a.hoursPerMonth > 0 && a.hoursPerMonth <= 744,
    a.hoursPerMonth,
    'must be more than 0 and at most 744 (31 days)',
  );
  nonNegative('albLcus.internetFacing', a.albLcus.internetFacing);
  nonNegative('albLcus.internal', a.albLcus.internal);
  for (const field of [
    'natProcessedGb',
    'logIngestionGb',
    'flowLogGb',
    'customMetrics',
    'cloudFrontGb',
    'cloudFrontRequestsMillions',
    'wafRequestsMillions',
    's3StandardGb',
    's3GlacierGb',
    's3PutRequestsThousands',
    's3GetRequestsThousands',
    'ecrStorageGb',
    'functionDurationMs',
    'endpointProcessedGb',
    'replicatedGb',
    'rdsReplicatedBackupGb',
    'rdsReplicatedTransferGb',
    'tracedRequestsMillions',
    'traceRetrievalsMillions',
  ] as const) {
    nonNegative(field, a[field]);
  }
  nonNegative('replicaStorageGb.standard', a.replicaStorageGb.standard);
  nonNegative('replicaStorageGb.glacier', a.replicaStorageGb.glacier);
  v.at('cloudFrontViewerEdge').oneOf(a.cloudFrontViewerEdge, ['northAmerica', 'asiaPacific']);
  for (const field of ['gpuSpotDiscount', 'fargateSpotDiscount'] as const) {
    v.at(field).check(
      Number.isFinite(a[field]) && a[field] >= 0 && a[field] < 1,
      a[field],
      'must be a fraction from 0 up to (not including) 1',
    );
  }
  throwIfIssues(v.issues);
  return a;
}
