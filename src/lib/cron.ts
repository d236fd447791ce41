/**
 * Weekly cron patterns as Auto Scaling scheduled actions take them: five fields, `[Minute] [Hour]
 * [Day_of_Month] [Month_of_Year] [Day_of_Week]` (Unix cron; ScheduledUpdateGroupActionRequest.
 * Recurrence). Only weekly patterns are accepted (day of month and month `*`), so the actions of
 * a week say everything about the schedule: overlaps can be found and the capacity over a week
 * computed exactly.
 */

export const MINUTES_PER_WEEK = 7 * 24 * 60;

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface WeeklyCron {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** 0 = Sunday ... 6 = Saturday. */
  readonly daysOfWeek: readonly number[];
}

function parseValue(text: string, min: number, max: number, names?: readonly string[]): number {
  const upper = text.toUpperCase();
  const named = names ? names.indexOf(upper) : -1;
  if (named >= 0) return named;
  if (!/^\d+$/.test(text)) throw new Error(`${text} is not a number${names ? ' or day name' : ''}`);
  const n = Number(text);
  if (n < min || n > max) throw new Error(`${n} is outside ${min}-${max}`);
  return n;
}

/** One field: `*`, `*\/n`, `a`, `a-b`, `a-b/n`, or a comma list of those. */
function parseField(field: string, min: number, max: number, names?: readonly string[]): number[] {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`${part} is not a cron term`);
    const [, range, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new Error(`step ${stepText} must be at least 1`);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [min, max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [parseValue(a, min, max, names), parseValue(b, min, max, names)];
      if (from > to) throw new Error(`range ${range} runs backwards`);
    } else {
      from = parseValue(range, min, max, names);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** Parses a weekly 5-field cron expression; throws with the reason when it is not one. */
export function parseWeeklyCron(expression: string): WeeklyCron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(
      `has ${fields.length} fields; a cron recurrence has 5 (minute hour day-of-month month day-of-week)`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (dayOfMonth !== '*' || month !== '*') {
    throw new Error('must be a weekly pattern: day of month and month must be *');
  }
  const field = (name: string, parse: () => number[]) => {
    try {
      return parse();
    } catch (error) {
      throw new Error(`${name} field: ${(error as Error).message}`, { cause: error });
    }
  };
  const days = field('day-of-week', () => parseField(dayOfWeek, 0, 7, DAY_NAMES));
  return {
    minutes: field('minute', () => parseField(minute, 0, 59)),
    hours: field('hour', () => parseField(hour, 0, 23)),
    // 7 is Sunday too.
    daysOfWeek: [...new Set(days.map((d) => d % 7))].sort((a, b) => a - b),
  };
}

/** The reason `expression` is not a weekly cron pattern, or undefined when it is one. */
export function weeklyCronProblem(expression: string): string | undefined {
  try {
    parseWeeklyCron(expression);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Minutes of the week (0 = Sunday 00:00, local to the schedule's time zone) at which it fires. */
export function fireMinutes(cron: WeeklyCron): number[] {
  const out: number[] = [];
  for (const d of cron.daysOfWeek)
    for (const h of cron.hours) for (const m of cron.minutes) out.push(d * 1440 + h * 60 + m);
  return out.sort((a, b) => a - b);
}

/** A minute of the week as `Mon 09:00`. */
export function formatMinuteOfWeek(minute: number): string {
  const day = DAY_NAMES[Math.floor(minute / 1440)];
  const hh = String(Math.floor((minute % 1440) / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${day[0]}${day.slice(1).toLowerCase()} ${hh}:${mm}`;
}

/**
 * Minutes per week spent at each value when each action sets its value at its fire times and
 * the value holds until the next action (the week wraps around). Empty when no action fires.
 */
export function weeklyLevels(actions: readonly { cron: string; value: number }[]): Map<number, number> {
  const events = actions
    .flatMap((a) => fireMinutes(parseWeeklyCron(a.cron)).map((minute) => ({ minute, value: a.value })))
    .sort((a, b) => a.minute - b.minute);
  const levels = new Map<number, number>();
  events.forEach((e, i) => {
    const next = i + 1 < events.length ? events[i + 1].minute : events[0].minute + MINUTES_PER_WEEK;
    levels.set(e.value, (levels.get(e.value) ?? 0) + (next - e.minute));
  });
  return levels;
}

/** `0-8,18-23` style list of sorted integers; `*` when it covers `min`..`max`. */
function compactList(values: readonly number[], min: number, max: number): string {
  if (values.length === max - min + 1) return '*';
  const parts: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j] + 1) j++;
    parts.push(j > i ? `${values[i]}-${values[j]}` : `${values[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Minutes of an hour as a cron field: `*\/5`, `5-55/5`, `7,10-55/5`. */
function minuteField(minutes: readonly number[], every: number): string {
  if (minutes.length === 60 / every && minutes.every((m, i) => m === i * every)) return `*/${every}`;
  const parts: string[] = [];
  for (let i = 0; i < minutes.length;) {
    let j = i;
    while (j + 1 < minutes.length && minutes[j + 1] === minutes[j] + every) j++;
    parts.push(j > i ? `${minutes[i]}-${minutes[j]}/${every}` : `${minutes[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Weekly cron expressions that fire at exactly the given minutes of the week. */
function cronsFiringAt(fires: readonly number[], every: number): string[] {
  const minutesOf = new Map<string, number[]>(); // "day hour" -> minutes
  for (const m of fires) {
    const key = `${Math.floor(m / 1440)} ${Math.floor((m % 1440) / 60)}`;
    minutesOf.set(key, [...(minutesOf.get(key) ?? []), m % 60]);
  }
  // (hour, minute field) -> days, then (minute field, day field) -> hours
  const daysOf = new Map<string, { hour: number; minute: string; days: number[] }>();
  for (const [key, minutes] of minutesOf) {
    const [day, hour] = key.split(' ').map(Number);
    const minute = minuteField(minutes, every);
    const entry = daysOf.get(`${hour} ${minute}`) ?? { hour, minute, days: [] };
    entry.days.push(day);
    daysOf.set(`${hour} ${minute}`, entry);
  }
  const groups = new Map<string, { minute: string; days: number[]; hours: number[] }>();
  for (const { hour, minute, days } of daysOf.values()) {
    const sorted = [...days].sort((a, b) => a - b);
    const key = `${minute} ${sorted.join(',')}`;
    const group = groups.get(key) ?? { minute, days: sorted, hours: [] };
    group.hours.push(hour);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, hours: [...g.hours].sort((a, b) => a - b) }))
    .sort((a, b) => a.days[0] * 1440 + a.hours[0] * 60 - (b.days[0] * 1440 + b.hours[0] * 60))
    .map((g) => `${g.minute} ${compactList(g.hours, 0, 23)} * * ${compactList(g.days, 0, 6)}`);
}

/**
 * The level-triggered form of weekly actions that each set a value holding until the next one
 * fires: per action, cron expressions firing at the action's own times and every `every` minutes
 * (of the hour) while its value holds. Re-asserted this way, a value reaches a group that could
 * not take it before (a maximum of 0 until its image exists) within `every` minutes, not at the
 * next action. Each minute of the week belongs to one action at most, so no two expressions fire
 * at the same time. The expression holding the action's first own time comes first.
 */
export function holdingRecurrences(crons: readonly string[], every: number): string[][] {
  const owner = new Map<number, number>();
  crons.forEach((cron, i) => fireMinutes(parseWeeklyCron(cron)).forEach((m) => owner.set(m, i)));
  const fires: number[][] = crons.map(() => []);
  if (owner.size === 0) return fires.map(() => []);
  const start = Math.min(...owner.keys());
  let current = owner.get(start) as number;
  for (let k = 0; k < MINUTES_PER_WEEK; k++) {
    const m = (start + k) % MINUTES_PER_WEEK;
    const own = owner.get(m);
    if (own !== undefined) current = own;
    if (own !== undefined || m % every === 0) fires[current].push(m);
  }
  return fires.map((minutes, i) => {
    const first = Math.min(...fireMinutes(parseWeeklyCron(crons[i])));
    const expressions = cronsFiringAt(
      [...minutes].sort((a, b) => a - b),
      every,
    );
    const own = expressions.findIndex((e) => fireMinutes(parseWeeklyCron(e)).includes(first));
    return own > 0 ? [expressions[own], ...expressions.filter((_, j) => j !== own)] : expressions;
  });
}
