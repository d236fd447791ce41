/** Maintenance, backup and snapshot windows as RDS and ElastiCache write them (UTC). */

export const WINDOW_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
export const WEEKLY_WINDOW_PATTERN =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY = 1440;
const WEEK = 7 * DAY;

/** A window as start minute (of the day or week) and length in minutes. */
export interface TimeWindow {
  readonly start: number;
  readonly length: number;
}

/** Parses `hh24:mi-hh24:mi`; undefined when malformed. */
export function dailyWindow(text: string): TimeWindow | undefined {
  const m = WINDOW_PATTERN.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return { start, length: (end - start + DAY) % DAY };
}

/** Parses `ddd:hh24:mi-ddd:hh24:mi`; undefined when malformed. */
export function weeklyWindow(text: string): TimeWindow | undefined {
  const m = WEEKLY_WINDOW_PATTERN.exec(text);
  if (!m) return undefined;
  const start = DAYS.indexOf(m[1]) * DAY + Number(m[2]) * 60 + Number(m[3]);
  const end = DAYS.indexOf(m[4]) * DAY + Number(m[5]) * 60 + Number(m[6]);
  return { start, length: (end - start + WEEK) % WEEK };
}

/** Whether the daily window, repeated every day, meets the weekly window anywhere in the week. */
export function dailyMeetsWeekly(daily: TimeWindow, weekly: TimeWindow): boolean {
  for (let day = 0; day < 7; day++) {
    const a = day * DAY + daily.start;
    for (const shift of [-WEEK, 0, WEEK]) {
      const b = weekly.start + shift;
      if (a < b + weekly.length && b < a + daily.length) return true;
    }
  }
  return false;
}
