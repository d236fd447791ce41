/**
 * What the CloudWatch agent publishes for a configuration file, by the agent's own rules. Each
 * rule names where it lives in the agent's source (github.com/aws/amazon-cloudwatch-agent, read at
 * commit ab55b8daa204e95c42c0267ee5aa49ec3b3a7317) and the CloudWatch User Guide pages
 * "Manually create or edit the CloudWatch agent configuration file"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html)
 * and "Collect NVIDIA GPU metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-NVIDIA-GPU.html).
 */
import type { Json } from './synth';

/** Section keys that name another plugin (translator/translate/metrics/config/plugin_alias_map.go). */
const PLUGIN_ALIASES: Readonly<Record<string, string>> = { nvidia_gpu: 'nvidia_smi' };

/** Fields the agent accepts per plugin on Linux (translator/translate/metrics/config/registered_metrics.go). */
const REGISTERED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  cpu: ['usage_active', 'usage_idle', 'usage_iowait', 'usage_system', 'usage_user'],
  disk: ['free', 'inodes_free', 'inodes_total', 'inodes_used', 'total', 'used', 'used_percent'],
  mem: [
    'active',
    'available',
    'available_percent',
    'buffered',
    'cached',
    'free',
    'inactive',
    'shared',
    'total',
    'used',
    'used_percent',
  ],
  nvidia_smi: [
    'utilization_gpu',
    'temperature_gpu',
    'power_draw',
    'utilization_memory',
    'fan_speed',
    'memory_total',
    'memory_used',
    'memory_free',
    'pcie_link_gen_current',
    'pcie_link_width_current',
    'encoder_stats_session_count',
    'encoder_stats_average_fps',
    'encoder_stats_average_latency',
    'clocks_current_graphics',
    'clocks_current_sm',
    'clocks_current_memory',
    'clocks_current_video',
  ],
};

/**
 * Units the agent gives a field the configuration declares none for
 * (receiver/adapter/accumulator/default_unit.go); every other field goes out as None
 * (internal/cloudwatch/unit.go maps "" to None). nvidia_smi has no entry: "All of these metrics are
 * collected with no CloudWatch Unit" (Collect NVIDIA GPU metrics).
 */
const DEFAULT_UNITS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  cpu: {
    usage_active: 'Percent',
    usage_idle: 'Percent',
    usage_iowait: 'Percent',
    usage_system: 'Percent',
    usage_user: 'Percent',
  },
  disk: {
    free: 'Bytes',
    total: 'Bytes',
    used: 'Bytes',
    inodes_free: 'Count',
    inodes_total: 'Count',
    inodes_used: 'Count',
    used_percent: 'Percent',
  },
  mem: {
    used: 'Bytes',
    cached: 'Bytes',
    total: 'Bytes',
    available: 'Bytes',
    free: 'Bytes',
    buffered: 'Bytes',
    active: 'Bytes',
    inactive: 'Bytes',
    shared: 'Bytes',
    available_percent: 'Percent',
    used_percent: 'Percent',
  },
};

/**
 * Tags each plugin puts on its metrics, after the agent's drops: nvidia_smi sets index, name,
 * arch, uuid, pstate and compute_mode (plugins/inputs/nvidia_smi/schema_v12/parser.go) and the
 * agent drops the last three (translator/translate/metrics/config/deny_list_tags.go); disk's
 * `mode` is dropped (translator/translate/metrics/metrics_collect/disk/ruleDropTags.go).
 */
const PLUGIN_TAGS: Readonly<Record<string, readonly string[]>> = {
  cpu: ['cpu'],
  disk: ['device', 'fstype', 'path'],
  mem: [],
  nvidia_smi: ['arch', 'index', 'name'],
};

/** CloudWatch's units (MetricDatum, Unit); the agent maps a declared unit onto one of these. */
const STANDARD_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];

/** EC2 metadata the agent may append (the schema's metrics.append_dimensions). */
const APPENDABLE: Readonly<Record<string, string>> = {
  AutoScalingGroupName: '${aws:AutoScalingGroupName}',
  ImageId: '${aws:ImageId}',
  InstanceId: '${aws:InstanceId}',
  InstanceType: '${aws:InstanceType}',
};

/** A metric the agent publishes: one name, one unit, and each dimension set it is put with. */
export interface AgentMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly unit: string;
  /** Dimension names per set; the first is the full set, the rest the aggregations. */
  readonly dimensionSets: readonly (readonly string[])[];
}

/**
 * The metrics of one agent configuration. A measurement is a field name, optionally prefixed
 * `<plugin>_`, or `{ name, rename?, unit? }` (util/measurementutil.go, getFormattedMetricName);
 * it is published as `<plugin>_<field>` (internal/metric/metric.go, DecorateMetricName) unless
 * renamed, with the declared unit or the default (processor/metricsdecorator/translator.go).
 * Dimensions are `host` (omit_hostname is false outside containers, agent/ruleOmitHostname.go), the
 * plugin's tags and the appended ones; each aggregation_dimensions set whose keys all exist and
 * that is smaller than that full set adds one more set (plugins/outputs/cloudwatch, ProcessRollup).
 */
export function agentMetrics(config: Json): AgentMetric[] {
  const m = config.metrics ?? {};
  const namespace: string = m.namespace ?? 'CWAgent';
  const appended = Object.keys(m.append_dimensions ?? {});
  for (const [key, value] of Object.entries(m.append_dimensions ?? {})) {
    if (APPENDABLE[key] !== value)
      throw new Error(`append_dimensions.${key} = ${String(value)} is not one the agent supports`);
  }
  const rollups: string[][] = m.aggregation_dimensions ?? [];
  return Object.entries(m.metrics_collected ?? {}).flatMap(([section, body]) => {
    const plugin = PLUGIN_ALIASES[section] ?? section;
    const fields = REGISTERED_FIELDS[plugin];
    if (!fields) throw new Error(`the rules here do not cover the agent's ${section} section`);
    const full = ['host', ...PLUGIN_TAGS[plugin], ...appended];
    const sets = [full, ...rollups.filter((r) => r.length < full.length && r.every((k) => full.includes(k)))];
    return ((body as Json).measurement as (string | Json)[]).map((entry): AgentMetric => {
      const spec: Json = typeof entry === 'string' ? { name: entry } : entry;
      const field = String(spec.name)
        .trim()
        .replace(new RegExp(`^${plugin}_`), '');
      if (!fields.includes(field))
        throw new Error(`${section} measurement ${spec.name} is not one the agent knows`);
      const unit: string = spec.unit ?? DEFAULT_UNITS[plugin]?.[field] ?? 'None';
      if (!STANDARD_UNITS.includes(unit))
        throw new Error(`${section} ${spec.name} unit ${unit} is not a CloudWatch unit`);
      return { namespace, metricName: spec.rename ?? `${plugin}_${field}`, unit, dimensionSets: sets };
    });
  });
}

/**
 * The text a launch template's user data decodes to on the instance: plain base64, or
 * `${base64encode(join("", [...]))}` whose parts are Terraform string literals and references
 * (a reference stays `${...}` in the text).
 */
export function userDataText(userData: string): string {
  const prefix = '${base64encode(join("", [';
  if (!userData.startsWith('${')) return Buffer.from(userData, 'base64').toString('utf8');
  if (!userData.startsWith(prefix) || !userData.endsWith(']))}'))
    throw new Error('unknown user data expression');
  const body = userData.slice(prefix.length, -']))}'.length);
  let out = '';
  let i = 0;
  while (i < body.length) {
    if (body[i] === '"') {
      for (i++; body[i] !== '"'; i++) {
        if (body[i] === '\\') {
          const c = body[++i];
          out += { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }[c] ?? `\\${c}`;
        } else if (body.startsWith('$${', i) || body.startsWith('%%{', i)) {
          out += `${body[i]}{`;
          i += 2;
        } else {
          out += body[i];
        }
      }
      i++;
    } else {
      const end = body.indexOf(', ', i);
      const expression = body.slice(i, end < 0 ? body.length : end);
      if (!/^[\w.[\]-]+$/.test(expression)) throw new Error(`unexpected user data part ${expression}`);
      out += `\${${expression}}`;
      i += expression.length;
    }
    if (body.startsWith(', ', i)) i += 2;
  }
  return out;
}

/** The configuration files a user data script writes and has the agent load (`-a fetch-config ... -s`). */
export function loadedAgentConfigs(script: string): Json[] {
  return [
    ...script.matchAll(/amazon-cloudwatch-agent-ctl" -a fetch-config -m ec2 -s -c "file:([^"]+)"/g),
  ].map(([, path]) => {
    const start = script.indexOf(`cat > "${path}" <<'EOF'\n`);
    if (start < 0) throw new Error(`the agent loads ${path}, which the script does not write`);
    const text = script.slice(script.indexOf('\n', start) + 1);
    return JSON.parse(text.slice(0, text.indexOf('\nEOF\n'))) as Json;
  });
}
