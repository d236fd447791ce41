/**
 * Metric consumers of a synthesized stack (alarms, scaling policies, the dashboard) and the
 * producers that must put each metric (AWS services, the CloudWatch agent on the GPU hosts, the
 * queue-depth publisher), matched on namespace, name, dimensions and unit.
 */
import { DIMENSION_SOURCES, PREDEFINED_METRICS, SERVICE_METRICS } from './aws-service-metrics';
import { agentMetrics, loadedAgentConfigs, userDataText } from './cloudwatch-agent-rules';
import { resourcesOf, type Json } from './synth';

/** A metric as a consumer reads it. */
export interface ConsumedMetric {
  /** `<resource type>.<name>` and where in it. */
  readonly where: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Set only when the consumer names a unit: then only data points put with it count. */
  readonly unit?: string;
}

/** A metric one producer in the stack puts, with one exact dimension set. */
export interface ProducedMetric {
  readonly source: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension values; `*` for a value only the host knows (its instance id, GPU index). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly unit: string;
}

const toRecord = (list: Json[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map((d) => [d.name, d.value]));

function fromStat(where: string, m: Json, unit?: string): ConsumedMetric {
  return {
    where,
    namespace: m.namespace,
    metricName: m.metric_name,
    dimensions: Array.isArray(m.dimensions) ? toRecord(m.dimensions) : (m.dimensions ?? {}),
    ...(unit ? { unit } : {}),
  };
}

/** Every metric the stack's alarms, scaling policies and dashboard read. */
export function consumedMetrics(json: Json): ConsumedMetric[] {
  const out: ConsumedMetric[] = [];
  for (const [name, a] of Object.entries(resourcesOf(json, 'aws_cloudwatch_metric_alarm'))) {
    const where = `aws_cloudwatch_metric_alarm.${name}`;
    if (a.metric_name) out.push(fromStat(where, a, a.unit));
    for (const q of a.metric_query ?? []) {
      if (q.metric) out.push(fromStat(`${where} metric_query ${q.id}`, q.metric, q.metric.unit));
      else if (!q.expression)
        throw new Error(`${where} metric_query ${q.id} reads neither a metric nor an expression`);
    }
  }
  for (const [name, p] of Object.entries(resourcesOf(json, 'aws_autoscaling_policy'))) {
    const where = `aws_autoscaling_policy.${name}`;
    const group = p.autoscaling_group_name as string;
    const t = p.target_tracking_configuration;
    if (!t) {
      if (p.policy_type !== 'StepScaling' && p.policy_type !== 'SimpleScaling')
        throw new Error(`${where}: unknown policy`);
      continue; // run by an alarm, which is a consumer of its own
    }
    out.push(
      ...trackedMetrics(where, t, (type, resourceLabel): Record<string, string> =>
        // RequestCountPerTarget is per target group: the part of the label after the load balancer's.
        type === 'ALBRequestCountPerTarget'
          ? { TargetGroup: resourceLabel.slice(resourceLabel.indexOf('/${aws_lb_target_group.') + 1) }
          : { AutoScalingGroupName: group },
      ),
    );
  }
  for (const [name, p] of Object.entries(resourcesOf(json, 'aws_appautoscaling_policy'))) {
    const where = `aws_appautoscaling_policy.${name}`;
    const t = p.target_tracking_scaling_policy_configuration;
    if (!t) continue;
    const namespace = resolved(json, p.service_namespace);
    if (namespace !== 'ecs') throw new Error(`${where}: predefined metrics of ${namespace} are not mapped`);
    const [, cluster, service] = /^service\/(.+)\/([^/]+)$/.exec(resolved(json, p.resource_id)) ?? [];
    out.push(...trackedMetrics(where, t, () => ({ ClusterName: cluster, ServiceName: service })));
  }
  for (const [name, d] of Object.entries(resourcesOf(json, 'aws_cloudwatch_dashboard'))) {
    const body = JSON.parse(d.dashboard_body) as Json;
    (body.widgets as Json[]).forEach((w, i) => {
      ((w.properties?.metrics ?? []) as unknown[][]).forEach((row, j) => {
        const parts = row.filter((p): p is string => typeof p === 'string');
        if (parts.length === 0) return; // an expression row
        if (parts.some((p) => p === '.' || p === '..'))
          throw new Error('dashboard shorthand rows are not read here');
        const [namespace, metricName, ...pairs] = parts;
        const dimensions: Record<string, string> = {};
        for (let k = 0; k < pairs.length; k += 2) dimensions[pairs[k]] = pairs[k + 1];
        out.push({
          where: `aws_cloudwatch_dashboard.${name} widget ${i} metric ${j}`,
          namespace,
          metricName,
          dimensions,
        });
      });
    });
  }
  return out;
}

function trackedMetrics(
  where: string,
  t: Json,
  predefinedDimensions: (type: string, resourceLabel: string) => Record<string, string>,
): ConsumedMetric[] {
  const predefined = t.predefined_metric_specification;
  if (predefined) {
    const metric = PREDEFINED_METRICS[predefined.predefined_metric_type];
    if (!metric)
      throw new Error(`${where}: predefined metric ${predefined.predefined_metric_type} is not in the table`);
    return [
      {
        where: `${where} ${predefined.predefined_metric_type}`,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: predefinedDimensions(predefined.predefined_metric_type, predefined.resource_label ?? ''),
      },
    ];
  }
  const c = t.customized_metric_specification;
  if (!c) throw new Error(`${where}: neither a predefined nor a customized metric`);
  if (c.metrics) {
    return (c.metrics as Json[])
      .filter((q) => q.metric_stat)
      .map((q) => fromStat(`${where} metrics ${q.id}`, q.metric_stat.metric, q.metric_stat.unit));
  }
  return [fromStat(where, { ...c, dimensions: c.metric_dimension ?? c.dimensions }, c.unit)];
}

/** `${type.name.attribute}` → [type, name, attribute]. */
const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}$/;

/** A whole-value reference to an attribute the stack sets (a scaling target's resource id), followed. */
function resolved(json: Json, value: string): string {
  const [, type, name, attribute] = REFERENCE.exec(value) ?? [];
  const target = type ? resourcesOf(json, type)[name]?.[attribute] : undefined;
  return typeof target === 'string' ? resolved(json, target) : value;
}

/** Metrics the CloudWatch agent on each GPU group's hosts puts, by the agent's rules. */
export function agentProducts(json: Json): ProducedMetric[] {
  const templates = resourcesOf(json, 'aws_launch_template');
  return Object.entries(resourcesOf(json, 'aws_autoscaling_group')).flatMap(([groupName, group]) => {
    const spec =
      group.launch_template ?? group.mixed_instances_policy?.launch_template?.launch_template_specification;
    const id: string = spec?.id ?? spec?.launch_template_id;
    const [, , templateName] = REFERENCE.exec(id ?? '') ?? [];
    const template = templates[templateName];
    if (!template?.user_data) return [];
    // The agent resolves ${aws:AutoScalingGroupName} from the instance's aws:autoscaling:groupName
    // tag (plugins/processors/ec2tagger): the group that launched it.
    const groupRef = `\${aws_autoscaling_group.${groupName}.name}`;
    return loadedAgentConfigs(userDataText(template.user_data)).flatMap((config) =>
      agentMetrics(config).flatMap((m) =>
        m.dimensionSets.map((set) => ({
          source: `CloudWatch agent of aws_autoscaling_group.${groupName}`,
          namespace: m.namespace,
          metricName: m.metricName,
          unit: m.unit,
          dimensions: Object.fromEntries(set.map((k) => [k, k === 'AutoScalingGroupName' ? groupRef : '*'])),
        })),
      ),
    );
  });
}

/** Why no producer puts `c`, or undefined when one does. */
export function unmatched(
  c: ConsumedMetric,
  json: Json,
  produced: readonly ProducedMetric[],
): string | undefined {
  const names = Object.keys(c.dimensions).sort().join(',');
  const sameMetric = produced.filter((p) => p.namespace === c.namespace && p.metricName === c.metricName);
  if (sameMetric.length > 0) {
    const exact = sameMetric.filter(
      (p) =>
        Object.keys(p.dimensions).sort().join(',') === names &&
        Object.entries(c.dimensions).every(([k, v]) => p.dimensions[k] === v),
    );
    if (exact.length === 0) {
      return `${c.namespace} ${c.metricName} ${JSON.stringify(c.dimensions)}: put only with ${sameMetric.map((p) => JSON.stringify(p.dimensions)).join(' or ')} (${sameMetric[0].source})`;
    }
    if (c.unit !== undefined && !exact.some((p) => p.unit === c.unit)) {
      return `${c.namespace} ${c.metricName} unit ${c.unit}: put with unit ${exact.map((p) => p.unit).join(', ')} (${exact[0].source}); a query naming a unit reads only data put with it`;
    }
    return undefined;
  }
  const rows = SERVICE_METRICS.filter((m) => m.namespace === c.namespace && m.metricName === c.metricName);
  if (rows.length === 0) return `${c.namespace} ${c.metricName}: no producer in the stack or the AWS table`;
  const row = rows.find((m) => [...m.dimensions].sort().join(',') === names);
  if (!row)
    return `${c.namespace} ${c.metricName}: AWS publishes it with ${rows.map((m) => `[${m.dimensions.join(', ')}]`).join(' or ')}, not [${names}]`;
  if (c.unit !== undefined && row.unit !== c.unit)
    return `${c.namespace} ${c.metricName} unit ${c.unit}: the documented unit is ${row.unit ?? 'not stated'}`;
  for (const [dimension, value] of Object.entries(c.dimensions)) {
    const problem = dimensionProblem(json, dimension, value);
    if (problem) return `${c.namespace} ${c.metricName} ${dimension}: ${problem}`;
  }
  if (row.collectedByGroup) {
    const [, , group] = REFERENCE.exec(c.dimensions.AutoScalingGroupName) ?? [];
    const enabled: string[] = resourcesOf(json, 'aws_autoscaling_group')[group]?.enabled_metrics ?? [];
    if (!enabled.includes(c.metricName))
      return `${c.metricName}: the group does not collect it (enabled_metrics)`;
  }
  return undefined;
}

/** Why `value` is not the dimension's source in this stack (a reference to it, or its literal value). */
function dimensionProblem(json: Json, dimension: string, value: string): string | undefined {
  const source = DIMENSION_SOURCES[dimension];
  if (!source) return 'no known source for this dimension';
  const member = /^(\$\{[^}]+\})-(\d{3})$/.exec(value);
  const reference = REFERENCE.exec(member ? member[1] : value);
  const resources = resourcesOf(json, source.type);
  if (reference) {
    const [, type, name, attribute] = reference;
    if (type !== source.type || attribute !== source.attribute)
      return `${value} is not ${source.type}.${source.attribute}`;
    if (!resources[name]) return `${value} names no resource of the stack`;
    if (member && Number(member[2]) > Number(resources[name].num_cache_clusters ?? 1))
      return `${value}: no such member cluster`;
    return undefined;
  }
  const literal = Object.values(resources).some((r) => r[source.attribute] === value);
  return literal ? undefined : `${value} is no ${source.type}.${source.attribute} of the stack`;
}
