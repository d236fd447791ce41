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
