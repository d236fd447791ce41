/** Cost lines, by service. GPU fleets: at the Auto Scaling group's min, at its schedules and at its max. */
import { MINUTES_PER_WEEK, weeklyLevels } from '../../../lib/cron';
import { parseSizeOnceTagged } from '../../../stacks/variables';
import type { Scenario } from '../model';
import { asArray, construct, plural, round, type Pricer } from '../pricing';

/** CloudWatch bills EC2 detailed monitoring as seven metrics per instance. */
const DETAILED_MONITORING_METRICS = 7;

/** Every Auto Scaling group: instances (on-demand and spot), EBS and detailed monitoring per scenario. */
export function priceGpuFleets(p: Pricer): void {
  const { a, H, of, add, str, num, resolve, notes } = p;
  const schedules = of('aws_autoscaling_schedule');
  for (const [name, asg] of of('aws_autoscaling_group')) {
    const where = `aws_autoscaling_group.${name}`;
    const mixed = asArray(asg.mixed_instances_policy)[0];
    const spec = mixed
      ? asArray(asArray(mixed.launch_template)[0]?.launch_template_specification)[0]
      : asArray(asg.launch_template)[0];
    const lt = resolve(
      'aws_launch_template',
      spec?.launch_template_id ?? spec?.id,
      `${where} launch template`,
    );
    const overrides = mixed ? asArray(asArray(mixed.launch_template)[0]?.override) : [];
    const instanceType = str(overrides[0]?.instance_type ?? lt.instance_type, `${where} instance type`);
    if (new Set(overrides.map((o) => o.instance_type)).size > 1) {
      notes.push(`${where}: several instance types allowed; priced as ${instanceType}`);
    }
    const distribution = mixed ? asArray(mixed.instances_distribution)[0] : undefined;
    const base = num(distribution?.on_demand_base_capacity ?? 0, `${where} on_demand_base_capacity`);
    const percent = mixed
      ? num(distribution?.on_demand_percentage_above_base_capacity ?? 100, `${where} on-demand percentage`)
      : 100;
    const split = (n: number) => {
      // AWS rounds the on-demand share up, so round up here too.
      const onDemand = Math.min(n, base) + Math.ceil(((n - Math.min(n, base)) * percent) / 100);
      return { onDemand, spot: n - onDemand };
    };
    const id = construct(name);
    // A fleet held at zero until its image tag is set is priced as it runs once the tag is set.
    const gatedMin = parseSizeOnceTagged(asg.min_size);
    const gatedMax = parseSizeOnceTagged(asg.max_size);
    const gate = gatedMin ?? gatedMax;
    if (gate) notes.push(`${where}: 0 instances while ${gate.variable} is empty; priced with the tag set`);
    const minSize = gatedMin?.size ?? num(asg.min_size, `${where}.min_size`);
    const own = schedules.filter(
      ([, s]) => s.autoscaling_group_name === `\${aws_autoscaling_group.${name}.name}`,
    );
    // [instances, share of the month] per level; the schedules' minimums hold until the next action.
    const levels = own.length
      ? [
          ...weeklyLevels(
            own.map(([sName, s]) => ({
              cron: str(s.recurrence, `aws_autoscaling_schedule.${sName}.recurrence`),
              value: num(s.min_size, `aws_autoscaling_schedule.${sName}.min_size`),
            })),
          ),
        ].map(([n, minutes]) => [n, minutes / MINUTES_PER_WEEK] as const)
      : [[minSize, 1] as const];
    const weekly = own.length
      ? [...levels]
          .sort((x, y) => y[0] - x[0])
          .map(([n, share]) => `${n} for ${round((share * MINUTES_PER_WEEK) / 60)} h`)
          .join(', ')
          .concat(' a week (scheduled minimum)')
      : '';
    const sizes: Record<Exclude<Scenario, 'fixed'>, readonly (readonly [number, number])[]> = {
      'gpu-min': [[minSize, 1]],
      'gpu-scheduled': levels,
      'gpu-max': [[gatedMax?.size ?? num(asg.max_size, `${where}.max_size`), 1]],
    };
    const hoursOf = (scenario: Exclude<Scenario, 'fixed'>, part: 'onDemand' | 'spot' | 'all') =>
      round(
        sizes[scenario].reduce((sum, [n, share]) => {
          const count = part === 'all' ? n : split(n)[part];
          return sum + count * share * H;
        }, 0),
      );
    const anyOnDemand = Object.values(sizes).some((l) => l.some(([n]) => split(n).onDemand > 0));
    const anySpot = Object.values(sizes).some((l) => l.some(([n]) => split(n).spot > 0));
    const volumes = asArray(lt.block_device_mappings).flatMap((m) => asArray(m.ebs));
    const detailed = asArray(lt.monitoring)[0]?.enabled === true;
    for (const scenario of ['gpu-min', 'gpu-scheduled', 'gpu-max'] as const) {
      const scheduled = scenario === 'gpu-scheduled' && own.length > 0;
      const instances = (part: 'onDemand' | 'spot' | 'all') => {
        if (scheduled) return `${round(hoursOf(scenario, part) / H)} instances on average`;
        const [n] = sizes[scenario][0];
        return plural(part === 'all' ? n : split(n)[part], 'instance');
      };
      const suffix = scheduled ? `; ${weekly}` : '';
      if (anyOnDemand || !anySpot) {
        add({
          key: `gpu-on-demand:${id}`,
          category: 'GPU',
          item: `${id} ${instanceType} on-demand`,
          scenario,
          basis: `${instances('onDemand')} x ${H} h${suffix}`,
          quantity: hoursOf(scenario, 'onDemand'),
          unit: 'h',
          priceKey: `ec2.linux.${instanceType}`,
        });
      }
      if (anySpot) {
        add({
          key: `gpu-spot:${id}`,
          category: 'GPU',
          item: `${id} ${instanceType} spot`,
          scenario,
          basis: `${instances('spot')} x ${H} h at ${a.gpuSpotDiscount * 100} % off on-demand (assumption)${suffix}`,
          quantity: hoursOf(scenario, 'spot'),
          unit: 'h',
          priceKey: `ec2.linux.${instanceType}`,
          factor: 1 - a.gpuSpotDiscount,
        });
      }
      const average = hoursOf(scenario, 'all') / H;
      for (const type of [...new Set(volumes.map((v) => String(v.volume_type ?? 'gp2')))].sort()) {
        const gb = volumes
          .filter((v) => String(v.volume_type ?? 'gp2') === type)
          .reduce((sum, v) => sum + num(v.volume_size, `${where} launch template volume_size`), 0);
        add({
          key: `gpu-ebs:${type}:${id}`,
          category: 'GPU',
          item: `${id} EBS ${type}`,
          scenario,
          basis: `${instances('all')} x ${gb} GB`,
          quantity: round(average * gb),
          unit: 'GB-month',
          priceKey: `ebs.${type}.gbMonth`,
        });
      }
      if (detailed) {
        add({
          key: `gpu-detailed-monitoring:${id}`,
          category: 'GPU',
          item: `${id} detailed monitoring`,
          scenario,
          basis: `${instances('all')} x ${DETAILED_MONITORING_METRICS} metrics`,
          quantity: round(average * DETAILED_MONITORING_METRICS),
          unit: 'metric-month',
          priceKey: 'cloudwatch.metrics.customMetricMonth',
        });
      }
    }
  }
}
