/** Cost lines, by service. Monitoring: CloudWatch alarms, dashboards, logs and metrics; the scheduled functions. */
import { asArray, construct, plural, quantityText, round, type Pricer } from '../pricing';

/** Alarms (target tracking's own included), dashboards, flow logs, log groups, custom metrics. */
export function priceMonitoring(p: Pricer): void {
  const { a, of, add, num, notes } = p;
  const alarms = of('aws_cloudwatch_metric_alarm');
  if (alarms.length > 0) {
    let standard = 0;
    let highResolution = 0;
    for (const [name, alarm] of alarms) {
      const queries = asArray(alarm.metric_query);
      const metrics = queries.length > 0 ? queries.filter((q) => q.metric !== undefined) : [alarm];
      for (const m of metrics) {
        const period = num(
          m.period ?? asArray(m.metric)[0]?.period ?? 60,
          `aws_cloudwatch_metric_alarm.${name}.period`,
        );
        if (period < 60) highResolution++;
        else standard++;
      }
    }
    if (standard > 0) {
      add({
        key: 'alarms-standard',
        category: 'Monitoring',
        item: 'CloudWatch alarm metrics',
        basis: `${plural(alarms.length, 'alarm')}, ${plural(standard, 'metric')} at 60 s or longer`,
        quantity: standard,
        unit: 'metric-month',
        priceKey: 'cloudwatch.alarm.standardMetric',
      });
    }
    if (highResolution > 0) {
      add({
        key: 'alarms-high-resolution',
        category: 'Monitoring',
        item: 'CloudWatch alarm metrics (high resolution)',
        basis: `${plural(highResolution, 'metric')} under 60 s`,
        quantity: highResolution,
        unit: 'metric-month',
        priceKey: 'cloudwatch.alarm.highResolutionMetric',
      });
    }
  }
  // Target tracking creates and bills its own alarm pair (high and low) per policy.
  let trackingAlarmMetrics = 0;
  let trackingPolicies = 0;
  for (const type of ['aws_autoscaling_policy', 'aws_appautoscaling_policy']) {
    for (const [, policy] of of(type)) {
      if (policy.policy_type !== 'TargetTrackingScaling') continue;
      const config = asArray(
        policy.target_tracking_configuration ?? policy.target_tracking_scaling_policy_configuration,
      )[0];
      const custom = asArray(config?.customized_metric_specification)[0];
      const mathMetrics = asArray(custom?.metrics).filter((m) => m.metric_stat !== undefined).length;
      trackingPolicies++;
      trackingAlarmMetrics += (config?.disable_scale_in === true ? 1 : 2) * Math.max(1, mathMetrics);
    }
  }
  if (trackingPolicies > 0) {
    add({
      key: 'alarms-target-tracking',
      category: 'Monitoring',
      item: 'CloudWatch alarms of target tracking',
      basis: `${plural(trackingPolicies, 'target tracking policy', 'target tracking policies')}, an alarm pair each: ${plural(trackingAlarmMetrics, 'metric')}`,
      quantity: trackingAlarmMetrics,
      unit: 'metric-month',
      priceKey: 'cloudwatch.alarm.standardMetric',
    });
  }
  const dashboards = of('aws_cloudwatch_dashboard');
  if (dashboards.length > 0) {
    add({
      key: 'dashboards',
      category: 'Monitoring',
      item: 'CloudWatch dashboards',
      basis: plural(dashboards.length, 'dashboard'),
      quantity: dashboards.length,
      unit: 'dashboard-month',
      priceKey: 'cloudwatch.dashboard.month',
    });
  }
  const allFlowLogs = of('aws_flow_log');
  const flowLogs = allFlowLogs.filter(
    ([, f]) => (f.log_destination_type ?? 'cloud-watch-logs') === 'cloud-watch-logs',
  );
  if (allFlowLogs.length > flowLogs.length) {
    notes.push('flow logs delivered to S3 or Firehose are not priced (their objects are in the S3 GB)');
  }
  if (flowLogs.length > 0) {
    add({
      key: 'flow-logs',
      category: 'Monitoring',
      item: 'VPC flow logs to CloudWatch (vended)',
      basis: `${a.flowLogGb} GB (assumption) from ${plural(flowLogs.length, 'flow log')}`,
      quantity: a.flowLogGb,
      unit: 'GB',
      priceKey: 'cloudwatch.logs.vendedIngestGb',
    });
  }
  const logGroups = of('aws_cloudwatch_log_group');
  if (logGroups.length > 0) {
    const days = logGroups.map(([name, g]) =>
      g.retention_in_days === undefined || g.retention_in_days === 0
        ? 365
        : num(g.retention_in_days, `aws_cloudwatch_log_group.${name}.retention_in_days`),
    );
    if (logGroups.some(([, g]) => !g.retention_in_days)) {
      notes.push('log groups without retention keep data forever; counted as one year');
    }
    const averageDays = days.reduce((s, d) => s + d, 0) / days.length;
    const ingested = a.logIngestionGb + (flowLogs.length > 0 ? a.flowLogGb : 0);
    add({
      key: 'log-ingestion',
      category: 'Monitoring',
      item: 'CloudWatch Logs ingestion',
      basis: `${a.logIngestionGb} GB (assumption) into ${plural(logGroups.length, 'log group')}`,
      quantity: a.logIngestionGb,
      unit: 'GB',
      priceKey: 'cloudwatch.logs.ingestGb',
    });
    add({
      key: 'log-storage',
      category: 'Monitoring',
      item: 'CloudWatch Logs storage',
      basis: `${ingested} GB a month kept ${round(averageDays)} days on average`,
      quantity: round((ingested * averageDays) / 30),
      unit: 'GB-month',
      priceKey: 'cloudwatch.logs.storageGbMonth',
    });
  }
  if (a.customMetrics > 0) {
    add({
      key: 'custom-metrics',
      category: 'Monitoring',
      item: 'CloudWatch custom metrics',
      basis: `${a.customMetrics} metrics: Container Insights, GPU agent, queue depth (assumption)`,
      quantity: a.customMetrics,
      unit: 'metric-month',
      priceKey: 'cloudwatch.metrics.customMetricMonth',
    });
  }
}

/** Scheduled functions: requests, compute time, the schedule's invocations and the metric puts. */
export function priceScheduledFunctions(p: Pricer): void {
  const { a, H, of, add, str, num, notes, stack } = p;
  const scheduled = of('aws_scheduler_schedule');
  for (const [name, fn] of of('aws_lambda_function')) {
    const where = `aws_lambda_function.${name}`;
    const id = construct(name);
    const schedule = scheduled.find(
      ([, s]) => asArray(s.target)[0]?.arn === `\${aws_lambda_function.${name}.arn}`,
    );
    if (!schedule) {
      notes.push(`${where}: invoked on demand, not on a schedule; its requests are not priced`);
      continue;
    }
    const expression = str(schedule[1].schedule_expression, `aws_scheduler_schedule.${schedule[0]}`);
    const rate = /^rate\((\d+) minutes?\)$/.exec(expression);
    if (!rate)
      throw new Error(`${stack}: cannot price ${where}: schedule ${expression} is not rate(N minutes)`);
    const runs = (H * 60) / Number(rate[1]);
    const memoryGb = num(fn.memory_size ?? 128, `${where}.memory_size`) / 1024;
    const arm = (Array.isArray(fn.architectures) ? fn.architectures : []).includes('arm64');
    add({
      key: `function-requests:${id}`,
      category: 'Monitoring',
      item: `${id} function requests`,
      basis: `${expression}: ${quantityText(runs)} runs`,
      quantity: runs / 1e6,
      unit: '1M requests',
      priceKey: 'lambda.requests.million',
    });
    add({
      key: `function-duration:${id}`,
      category: 'Monitoring',
      item: `${id} function compute (${arm ? 'arm64' : 'x86_64'})`,
      basis: `${quantityText(runs)} runs x ${a.functionDurationMs} ms (assumption) x ${memoryGb} GB`,
      quantity: round((runs * a.functionDurationMs * memoryGb) / 1000),
      unit: 'GB-s',
      priceKey: arm ? 'lambda.arm.gbSecond' : 'lambda.x86.gbSecond',
    });
    add({
      key: `schedule-invocations:${id}`,
      category: 'Monitoring',
      item: `${id} EventBridge Scheduler invocations`,
      basis: `${quantityText(runs)} invocations`,
      quantity: runs / 1e6,
      unit: '1M invocations',
      priceKey: 'scheduler.invocations.million',
    });
    add({
      key: `metric-puts:${id}`,
      category: 'Monitoring',
      item: `${id} PutMetricData requests`,
      basis: `one request per run`,
      quantity: runs / 1000,
      unit: '1k requests',
      priceKey: 'cloudwatch.api.thousandRequests',
    });
  }
}
