/** Cost lines, by service. Tracing: X-Ray traces recorded and retrieved. */
import { asArray, quantityText, round, type Pricer } from '../pricing';

/**
 * Traces recorded a month: the traced requests under the environment's widest sampling rule
 * (`url_path` `*`: its reservoir a second, then its rate of the rest, traffic spread evenly), plus
 * one trace per run of each actively traced scheduled function (a run a minute stays inside
 * Lambda's own reservoir of one a second). Sampling rules themselves cost nothing. Traces
 * retrieved or scanned in the console are an assumption. Free tiers are not subtracted, as
 * everywhere in this estimate.
 */
export function priceTracing(p: Pricer): void {
  const { a, H, of, add, num, str } = p;
  const rules = of('aws_xray_sampling_rule')
    .filter(([, r]) => r.url_path === '*')
    .sort(([, x], [, y]) => num(x.priority, 'priority') - num(y.priority, 'priority'));
  const scheduled = of('aws_scheduler_schedule');
  const seconds = H * 3600;
  let functionTraces = 0;
  const tracedFunctions: string[] = [];
  for (const [name, fn] of of('aws_lambda_function')) {
    if (asArray(fn.tracing_config)[0]?.mode !== 'Active') continue;
    const schedule = scheduled.find(
      ([, s]) => asArray(s.target)[0]?.arn === `\${aws_lambda_function.${name}.arn}`,
    );
    const rate = schedule
      ? /^rate\((\d+) minutes?\)$/.exec(str(schedule[1].schedule_expression, name))
      : null;
    if (!rate) continue;
    functionTraces += (H * 60) / Number(rate[1]);
    tracedFunctions.push(name.replace(/_function_[0-9A-F]{8}$/, ''));
  }
  let requestTraces = 0;
  let basis = '';
  if (rules.length > 0 && a.tracedRequestsMillions > 0) {
    const [name, rule] = rules[0];
    const reservoir = num(rule.reservoir_size, `aws_xray_sampling_rule.${name}.reservoir_size`);
    const rate = num(rule.fixed_rate, `aws_xray_sampling_rule.${name}.fixed_rate`);
    const perSecond = (a.tracedRequestsMillions * 1e6) / seconds;
    requestTraces = (Math.min(perSecond, reservoir) + rate * Math.max(0, perSecond - reservoir)) * seconds;
    basis = `${a.tracedRequestsMillions} M traced requests (assumption) at ${reservoir}/s then ${rate * 100} %`;
  }
  const recorded = requestTraces + functionTraces;
  if (recorded > 0) {
    const parts = [
      basis,
      functionTraces > 0
        ? `${quantityText(functionTraces)} function runs (${tracedFunctions.join(', ')})`
        : '',
    ]
      .filter((s) => s !== '')
      .join(' + ');
    add({
      key: 'xray-recorded',
      category: 'Monitoring',
      item: 'X-Ray traces recorded',
      basis: `${parts}: ${quantityText(round(recorded))} traces`,
      quantity: round(recorded / 1e6),
      unit: '1M traces',
      priceKey: 'xray.traces.recordedMillion',
    });
  }
  if (recorded > 0 && a.traceRetrievalsMillions > 0) {
    add({
      key: 'xray-retrieved',
      category: 'Monitoring',
      item: 'X-Ray traces retrieved or scanned',
      basis: `${a.traceRetrievalsMillions} M (assumption): console and API queries`,
      quantity: a.traceRetrievalsMillions,
      unit: '1M traces',
      priceKey: 'xray.traces.retrievedMillion',
    });
  }
}
