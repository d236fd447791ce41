/**
 * Metrics AWS services publish by themselves, as their documentation states them (checked on the
 * date below): namespace, metric name, one dimension set the service publishes it with, and the
 * unit where the page gives one. The metric-contracts test reads a consumer's metric against this
 * table; a metric or dimension set missing here is one no service publishes, as far as the docs say.
 */

/** When the rows below were checked against the pages in NAMESPACE_DOCS. */
export const AWS_METRICS_CHECKED = '2026-12-06';

/** The documentation page of each namespace's metrics and dimensions. */
export const NAMESPACE_DOCS: Readonly<Record<string, string>> = {
  'AWS/ApplicationELB':
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
  'AWS/AutoScaling': 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html',
  'AWS/EC2': 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html',
  'AWS/ECS': 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html',
  'AWS/ElastiCache': 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html',
  'AWS/Lambda': 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
  'AWS/RDS': 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html',
  // Published in us-east-1 only, whatever the region of the checked endpoint.
  'AWS/Route53': 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-cloudwatch.html',
};

export interface ServiceMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** One dimension set, by name (order free). */
  readonly dimensions: readonly string[];
  /** The unit the page states; absent where it states none. */
  readonly unit?: string;
  /**
   * AWS/AutoScaling group metrics exist only for groups that collect them (`enabled_metrics`,
   * EnableMetricsCollection).
   */
  readonly collectedByGroup?: true;
}

// The ALB page gives dimensions and statistics but no unit.
const alb = (metricName: string, ...sets: string[][]): ServiceMetric[] =>
  sets.map((dimensions) => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions }));
const LB = ['LoadBalancer'];
const TG_LB = ['TargetGroup', 'LoadBalancer'];

export const SERVICE_METRICS: readonly ServiceMetric[] = [
  // Route 53 health checks: "you must supply the HealthCheckId dimension"; 1 healthy, 0 not.
  { namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', dimensions: ['HealthCheckId'] },
  ...alb('RequestCount', LB, TG_LB),
  ...alb('HTTPCode_Target_5XX_Count', LB, TG_LB),
  ...alb('TargetResponseTime', LB, TG_LB),
  ...alb('HealthyHostCount', TG_LB),
  ...alb('UnHealthyHostCount', TG_LB),
  ...alb('RequestCountPerTarget', ['TargetGroup'], TG_LB),
  ...[
    'GroupDesiredCapacity',
    'GroupInServiceInstances',
    'GroupMinSize',
    'GroupMaxSize',
    'GroupPendingInstances',
    'GroupTotalInstances',
  ].map((metricName): ServiceMetric => ({
    namespace: 'AWS/AutoScaling',
    metricName,
    dimensions: ['AutoScalingGroupName'],
    collectedByGroup: true,
  })),
  {
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    dimensions: ['AutoScalingGroupName'],
    unit: 'Percent',
  },
  {
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    dimensions: ['ClusterName', 'ServiceName'],
    unit: 'Percent',
  },
  {
    namespace: 'AWS/ECS',
    metricName: 'MemoryUtilization',
    dimensions: ['ClusterName', 'ServiceName'],
    unit: 'Percent',
  },
  {
    namespace: 'AWS/ElastiCache',
    metricName: 'EngineCPUUtilization',
    dimensions: ['CacheClusterId'],
    unit: 'Percent',
  },
  {
    namespace: 'AWS/ElastiCache',
    metricName: 'DatabaseMemoryUsagePercentage',
    dimensions: ['CacheClusterId'],
    unit: 'Percent',
  },
  { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: ['FunctionName'] },
  {
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    dimensions: ['DBInstanceIdentifier'],
    unit: 'Percent',
  },
  {
    namespace: 'AWS/RDS',
    metricName: 'FreeStorageSpace',
    dimensions: ['DBInstanceIdentifier'],
    unit: 'Bytes',
  },
  {
    namespace: 'AWS/RDS',
    metricName: 'DatabaseConnections',
    dimensions: ['DBInstanceIdentifier'],
    unit: 'Count',
  },
];

/**
 * Where a dimension's value comes from in this stack: a reference to `attribute` of a resource of
 * `type` (or that attribute's literal value). The ALB pages define LoadBalancer and TargetGroup as
 * the final portion of the ARN (`app/...`, `targetgroup/...`): the provider's `arn_suffix`.
 */
export const DIMENSION_SOURCES: Readonly<
  Record<string, { readonly type: string; readonly attribute: string }>
> = {
  LoadBalancer: { type: 'aws_lb', attribute: 'arn_suffix' },
  TargetGroup: { type: 'aws_lb_target_group', attribute: 'arn_suffix' },
  AutoScalingGroupName: { type: 'aws_autoscaling_group', attribute: 'name' },
  ClusterName: { type: 'aws_ecs_cluster', attribute: 'name' },
  ServiceName: { type: 'aws_ecs_service', attribute: 'name' },
  DBInstanceIdentifier: { type: 'aws_db_instance', attribute: 'identifier' },
  FunctionName: { type: 'aws_lambda_function', attribute: 'function_name' },
  // A replication group's member clusters are `<group id>-001`, `-002`, ... (one per cache cluster).
  CacheClusterId: { type: 'aws_elasticache_replication_group', attribute: 'id' },
  HealthCheckId: { type: 'aws_route53_health_check', attribute: 'id' },
};

/**
 * The metric behind each predefined metric type of a target tracking policy (EC2 Auto Scaling and
 * Application Auto Scaling API references, PredefinedMetricSpecification), with the dimension the
 * policy's own target supplies.
 */
export const PREDEFINED_METRICS: Readonly<
  Record<string, { readonly namespace: string; readonly metricName: string; readonly doc: string }>
> = {
  ASGAverageCPUUtilization: {
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    doc: 'https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredefinedMetricSpecification.html',
  },
  ALBRequestCountPerTarget: {
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCountPerTarget',
    doc: 'https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredefinedMetricSpecification.html',
  },
  ECSServiceAverageCPUUtilization: {
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    doc: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html',
  },
  ECSServiceAverageMemoryUtilization: {
    namespace: 'AWS/ECS',
    metricName: 'MemoryUtilization',
    doc: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html',
  },
};
