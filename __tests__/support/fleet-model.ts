/**
 * A small model of EC2 Auto Scaling group sizes under Terraform, driven by synthesized JSON:
 * Terraform applies and plans (create sets every attribute; an update sends only the attributes
 * that changed and are not in lifecycle.ignore_changes; `count` and sizes evaluated for the
 * tfvars), and AWS behaviour minute by minute (UpdateAutoScalingGroup raising the desired
 * capacity to a new minimum; scheduled actions firing on their cron in their time zone and
 * failing when the minimum would exceed the maximum; the wake-from-zero alarm and its
 * ExactCapacity step policy; target tracking, which cannot scale out from zero). It reads no
 * code under test: only the JSON. Simplifications: an instance counts from the minute the
 * desired capacity asks for it (boot and image pull are left out), and target tracking acts at
 * once (its alarms need several minutes of data).
 */
import type { Json } from './synth';

export type Vars = Readonly<Record<string, string | number>>;

// ---------------------------------------------------------------------------------------------
// The HCL that sizes and counts use: ${...} with var references, == != && ||, ?:, min() max().

type Token = { kind: 'num' | 'str' | 'id' | 'op'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/\d/.test(c)) {
      const m = /^\d+/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'num', text: m[0] });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (source[j] !== '"') {
        if (j >= source.length) throw new Error(`unterminated string in ${source}`);
        if (source[j] === '\\') j++;
        text += source[j++];
      }
      tokens.push({ kind: 'str', text });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'id', text: m[0] });
      i += m[0].length;
    } else {
      const two = source.slice(i, i + 2);
      if (['==', '!=', '&&', '||'].includes(two)) {
        tokens.push({ kind: 'op', text: two });
        i += 2;
      } else if ('?:(),'.includes(c)) {
        tokens.push({ kind: 'op', text: c });
        i++;
      } else {
        throw new Error(`the model reads no "${c}" (in ${source})`);
      }
    }
  }
  return tokens;
}

/** Evaluates a JSON value as Terraform would for the given variables. */
export function evaluate(value: unknown, vars: Vars): unknown {
  if (typeof value !== 'string') return value;
  const whole = /^\$\{([\s\S]*)\}$/.exec(value);
  if (!whole) {
    if (value.includes('${')) throw new Error(`the model reads no template: ${value}`);
    return value;
  }
  const tokens = tokenize(whole[1]);
  let at = 0;
  const peek = () => tokens[at]?.text;
  const take = (text?: string): Token => {
    const t = tokens[at++];
    if (!t || (text !== undefined && t.text !== text)) {
      throw new Error(`expected ${text ?? 'more'} at token ${at} of ${value}`);
    }
    return t;
  };
  const conditional = (): unknown => {
    const test = or();
    if (peek() !== '?') return test;
    take('?');
    const yes = conditional();
    take(':');
    const no = conditional();
    if (typeof test !== 'boolean') throw new Error(`condition is not a bool in ${value}`);
    return test ? yes : no;
  };
  const or = (): unknown => {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = Boolean(left) || Boolean(right);
    }
    return left;
  };
  const and = (): unknown => {
    let left = equality();
    while (peek() === '&&') {
      take();
      const right = equality();
      left = Boolean(left) && Boolean(right);
    }
    return left;
  };
  const equality = (): unknown => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = take().text;
      const right = primary();
      left = op === '==' ? left === right : left !== right;
    }
    return left;
  };
  const primary = (): unknown => {
    const t = take();
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'str') return t.text;
    if (t.text === '(') {
      const inner = conditional();
      take(')');
      return inner;
    }
    if (t.text === 'true' || t.text === 'false') return t.text === 'true';
    if (t.kind === 'id' && t.text.startsWith('var.')) {
      const name = t.text.slice(4);
      if (!(name in vars)) throw new Error(`no value for var.${name}`);
      return vars[name];
    }
    if (t.kind === 'id' && (t.text === 'min' || t.text === 'max') && peek() === '(') {
      take('(');
      const args = [conditional()];
      while (peek() === ',') {
        take(',');
        args.push(conditional());
      }
      take(')');
      if (!args.every((a) => typeof a === 'number')) throw new Error(`${t.text}() of non-numbers`);
      return t.text === 'min' ? Math.min(...(args as number[])) : Math.max(...(args as number[]));
    }
    throw new Error(`the model reads no "${t.text}" (in ${value})`);
  };
  const result = conditional();
  if (at !== tokens.length) throw new Error(`unread tokens in ${value}`);
  return result;
}

function evaluateNumber(value: unknown, vars: Vars, what: string): number {
  const n = evaluate(value, vars);
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new Error(`${what} is not an integer: ${value}`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Cron (Unix, 5 fields, weekly patterns) and time zones.

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function cronField(field: string, min: number, max: number, names: readonly string[] = []): Set<number> {
  const out = new Set<number>();
  const value = (s: string) => (names.includes(s.toUpperCase()) ? names.indexOf(s.toUpperCase()) : Number(s));
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let [from, to] = [min, max];
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    if (![from, to, step].every(Number.isInteger) || from < min || to > max || step < 1) {
      throw new Error(`cron field ${field} is not one the model reads`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Minutes of the week (Sunday 00:00 = 0, local time) at which a weekly cron fires. */
export function cronMinutes(expression: string): Set<number> {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || fields[2] !== '*' || fields[3] !== '*') {
    throw new Error(`${expression} is not a weekly 5-field cron`);
  }
  const minutes = cronField(fields[0], 0, 59);
  const hours = cronField(fields[1], 0, 23);
  const days = new Set([...cronField(fields[4], 0, 7, DAYS)].map((d) => d % 7));
  const out = new Set<number>();
  for (const d of days) for (const h of hours) for (const m of minutes) out.add(d * 1440 + h * 60 + m);
  return out;
}

const localHourCache = new Map<string, Map<number, number>>();

/** Minute of the week in `timeZone` of a time given in minutes since the Unix epoch (UTC). */
export function localMinuteOfWeek(utcMinute: number, timeZone: string): number {
  const hourStart = utcMinute - (utcMinute % 60);
  let zone = localHourCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    localHourCache.set(timeZone, zone);
  }
  let local = zone.get(hourStart);
  if (local === undefined) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(new Date(hourStart * 60_000))
        .map((p) => [p.type, p.value]),
    );
    local = DAYS.indexOf(parts.weekday.toUpperCase()) * 1440 + Number(parts.hour) * 60 + Number(parts.minute);
    zone.set(hourStart, local);
  }
  return local + (utcMinute % 60);
}

// ---------------------------------------------------------------------------------------------
// AWS: groups, scheduled actions, policies.

export interface Sizes {
  min: number;
  max: number;
  desired: number;
}

interface Action {
  readonly group: string;
  readonly name: string;
  readonly recurrence: string;
  readonly timeZone: string;
  /** -1: left out of the action (unchanged). */
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  readonly fires: Set<number>;
}

export interface Load {
  /** Jobs waiting or running (the render backlog metric). */
  readonly backlog: number;
  /** Average GPU and CPU utilization, percent. */
  readonly utilization: number;
}

export const IDLE: Load = { backlog: 0, utilization: 0 };

export class AwsError extends Error {}

const resourcesOf = (json: Json, type: string): [string, Json][] =>
  Object.entries((json.resource?.[type] ?? {}) as Record<string, Json>);

const refTo = (type: string, key: string, attr: string) => `\${${type}.${key}.${attr}}`;

export class FleetModel {
  /** AWS: groups by name. */
  readonly groups = new Map<string, Sizes>();
  /** AWS: scheduled actions by `<group>/<name>`. */
  readonly actions = new Map<string, Action>();
  /** Scheduled actions AWS failed: minimum above maximum. */
  readonly rejected: { minute: number; action: string; sizes: Sizes }[] = [];
  /** Terraform state: the scheduled action each resource instance manages. */
  private readonly scheduleState = new Map<string, string>();
  private readonly groupState = new Set<string>();

  constructor(private readonly json: Json) {}

  /** `terraform apply` with these variables; returns what it changed (as `plan` lists it). */
  apply(vars: Vars): string[] {
    return this.converge(vars, true);
  }

  /** `terraform plan` (after a refresh): the changes an apply would make. */
  plan(vars: Vars): string[] {
    return this.converge(vars, false);
  }

  /** One minute of AWS: due scheduled actions, then alarms and their step policies, then target tracking. */
  tick(utcMinute: number, load: Load): void {
    for (const action of this.actions.values()) {
      if (action.fires.has(localMinuteOfWeek(utcMinute, action.timeZone))) this.run(action, utcMinute);
    }
    for (const [name, group] of this.groups) {
      this.stepPolicies(name, group, load);
      this.targetTracking(name, group, load);
    }
  }

  private groupName(key: string): string {
    const asg = (this.json.resource.aws_autoscaling_group as Record<string, Json>)[key];
    if (typeof asg.name !== 'string' || asg.name.includes('${'))
      throw new Error(`group ${key} has no literal name`);
    return asg.name;
  }

  private groupKeyOf(reference: unknown): string {
    const match = /^\$\{aws_autoscaling_group\.([^.]+)\.name\}$/.exec(String(reference));
    if (!match) throw new Error(`not a group name reference: ${reference}`);
    return match[1];
  }

  private converge(vars: Vars, apply: boolean): string[] {
    const changes: string[] = [];
    // Groups first: the schedules and policies depend on them.
    for (const [key, r] of resourcesOf(this.json, 'aws_autoscaling_group')) {
      const name = this.groupName(key);
      const config: Sizes = {
        min: evaluateNumber(r.min_size, vars, `${key}.min_size`),
        max: evaluateNumber(r.max_size, vars, `${key}.max_size`),
        desired: evaluateNumber(r.desired_capacity ?? r.min_size, vars, `${key}.desired_capacity`),
      };
      if (!this.groupState.has(key)) {
        changes.push(`create ${name} ${JSON.stringify(config)}`);
        if (apply) {
          if (!(config.min <= config.desired && config.desired <= config.max)) {
            throw new AwsError(
              `CreateAutoScalingGroup ${name}: sizes out of order ${JSON.stringify(config)}`,
            );
          }
          this.groups.set(name, { ...config });
          this.groupState.add(key);
        }
        continue;
      }
      const ignored: string[] = r.lifecycle?.ignore_changes ?? [];
      const actual = this.groups.get(name) as Sizes;
      const sent: Partial<Sizes> = {};
      for (const [attr, field] of [
        ['min_size', 'min'],
        ['max_size', 'max'],
        ['desired_capacity', 'desired'],
      ] as const) {
        if (!ignored.includes(attr) && config[field] !== actual[field]) sent[field] = config[field];
      }
      if (Object.keys(sent).length > 0) {
        changes.push(`update ${name} ${JSON.stringify(sent)}`);
        if (apply) this.updateAutoScalingGroup(name, sent);
      }
    }
    const wanted = new Map<string, Action>();
    for (const [key, r] of resourcesOf(this.json, 'aws_autoscaling_schedule')) {
      const count = r.count === undefined ? 1 : evaluateNumber(r.count, vars, `${key}.count`);
      for (let i = 0; i < count; i++) {
        const group = this.groupName(this.groupKeyOf(r.autoscaling_group_name));
        const recurrence = String(evaluate(r.recurrence, vars));
        // The provider's defaults: 0 for an unset size, which the action then sends.
        const size = (v: unknown, what: string) => (v === undefined ? 0 : evaluateNumber(v, vars, what));
        wanted.set(`${key}[${i}]`, {
          group,
          name: String(evaluate(r.scheduled_action_name, vars)),
          recurrence,
          timeZone: String(evaluate(r.time_zone ?? 'Etc/UTC', vars)),
          min: size(r.min_size, `${key}.min_size`),
          max: size(r.max_size, `${key}.max_size`),
          desired: size(r.desired_capacity, `${key}.desired_capacity`),
          fires: cronMinutes(recurrence),
        });
      }
    }
    for (const [address, id] of [...this.scheduleState]) {
      if (!wanted.has(address)) {
        changes.push(`delete ${id}`);
        if (apply) {
          this.actions.delete(id);
          this.scheduleState.delete(address);
        }
      }
    }
    for (const [address, action] of wanted) {
      const id = `${action.group}/${action.name}`;
      const current = this.actions.get(id);
      const same =
        current !== undefined &&
        this.scheduleState.get(address) === id &&
        (['recurrence', 'timeZone', 'min', 'max', 'desired'] as const).every((f) => current[f] === action[f]);
      if (same) continue;
      changes.push(`put ${id} ${action.recurrence} min ${action.min}`);
      if (apply) {
        if (!this.groups.has(action.group))
          throw new AwsError(`PutScheduledUpdateGroupAction: no group ${action.group}`);
        const previous = this.scheduleState.get(address);
        if (previous !== undefined && previous !== id) this.actions.delete(previous);
        this.actions.set(id, action);
        this.scheduleState.set(address, id);
      }
    }
    return changes;
  }

  /** UpdateAutoScalingGroup: a new minimum above the size raises it, a new maximum below lowers it. */
  updateAutoScalingGroup(name: string, sent: Partial<Sizes>): void {
    const group = this.groups.get(name) as Sizes;
    const next = { ...group, ...sent };
    if (next.min > next.max) {
      throw new AwsError(`UpdateAutoScalingGroup ${name}: min ${next.min} above max ${next.max}`);
    }
    if (sent.desired === undefined) {
      if (sent.min !== undefined && next.min > next.desired) next.desired = next.min;
      if (sent.max !== undefined && next.max < next.desired) next.desired = next.max;
    } else if (next.desired < next.min || next.desired > next.max) {
      throw new AwsError(
        `UpdateAutoScalingGroup ${name}: desired ${next.desired} outside ${next.min}-${next.max}`,
      );
    }
    this.groups.set(name, next);
  }

  private run(action: Action, minute: number): void {
    const group = this.groups.get(action.group) as Sizes;
    const min = action.min === -1 ? group.min : action.min;
    const max = action.max === -1 ? group.max : action.max;
    const given = action.desired !== -1;
    const desired = given ? action.desired : Math.min(Math.max(group.desired, min), max);
    if (min > max || desired < min || desired > max) {
      this.rejected.push({ minute, action: action.name, sizes: { ...group } });
      return;
    }
    this.groups.set(action.group, { min, max, desired });
  }

  private readonly policies = new Map<string, [string, Json][]>();
  private readonly alarms = new Map<string, [string, Json][]>();

  private policiesOf(name: string): [string, Json][] {
    let found = this.policies.get(name);
    if (!found) {
      found = resourcesOf(this.json, 'aws_autoscaling_policy').filter(
        ([, p]) => this.groupName(this.groupKeyOf(p.autoscaling_group_name)) === name,
      );
      this.policies.set(name, found);
    }
    return found;
  }

  /** Alarms on ExactCapacity step policies: the wake-from-zero alarm reads desired capacity and backlog. */
  private stepPolicies(name: string, group: Sizes, load: Load): void {
    for (const [key, policy] of this.policiesOf(name)) {
      if (policy.policy_type !== 'StepScaling') continue;
      if (policy.adjustment_type !== 'ExactCapacity')
        throw new Error(`${key}: the model reads ExactCapacity only`);
      const alarms =
        this.alarms.get(key) ??
        resourcesOf(this.json, 'aws_cloudwatch_metric_alarm').filter(([, a]) =>
          (a.alarm_actions ?? []).includes(refTo('aws_autoscaling_policy', key, 'arn')),
        );
      this.alarms.set(key, alarms);
      for (const [alarmKey, alarm] of alarms) {
        const result = (alarm.metric_query as Json[]).find((q) => q.return_data === true);
        if (result?.expression !== 'IF(desired == 0, FILL(backlog, 1), 0)') {
          throw new Error(`${alarmKey}: the model does not know the expression ${result?.expression}`);
        }
        const desiredQuery = (alarm.metric_query as Json[]).find((q) => q.id === 'desired');
        if (desiredQuery?.metric?.metric_name !== 'GroupDesiredCapacity') {
          throw new Error(`${alarmKey}: "desired" is not the group's desired capacity`);
        }
        const value = group.desired === 0 ? load.backlog : 0;
        if (alarm.comparison_operator !== 'GreaterThanThreshold' || !(value > alarm.threshold)) continue;
        const step = (policy.step_adjustment as Json[])[0];
        group.desired = Math.min(Math.max(step.scaling_adjustment, group.min), group.max);
      }
    }
  }

  /** Target tracking: out when any policy asks, in only when all do; nothing from zero instances. */
  private targetTracking(name: string, group: Sizes, load: Load): void {
    if (group.desired === 0) return;
    const wants = this.policiesOf(name)
      .filter(([, p]) => p.policy_type === 'TargetTrackingScaling')
      .map(([, p]) => {
        const c = p.target_tracking_configuration;
        const backlogBased = (c.customized_metric_specification?.metrics ?? []).some(
          (m: Json) => m.id === 'backlog',
        );
        const perInstance = backlogBased ? load.backlog / group.desired : load.utilization;
        return Math.ceil((group.desired * perInstance) / c.target_value);
      });
    if (wants.length === 0) return;
    const out = wants.some((w) => w > group.desired);
    if (out || wants.every((w) => w < group.desired)) {
      group.desired = Math.min(Math.max(Math.max(...wants), group.min), group.max);
    }
  }
}
