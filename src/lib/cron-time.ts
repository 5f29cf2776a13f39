// Cron expressions read in an IANA time zone, computed directly: the latest
// time a schedule fired at or before an instant (the scheduler's catch-up, a
// repository's due report). Pure, no scan minute by minute: it walks back day
// by day over the days the expression allows, and in a day takes the latest
// allowed hour, minute and second.
//
// The syntax is node-cron's (the scheduler's firing engine), read the same
// way: 5 fields, or 6 with seconds first; numbers, `*`, `?`, lists, ranges,
// steps (`*/15`, `1-10/2`), month and weekday names, 7 for Sunday, `L` (last
// day of the month) and the @hourly/@daily/@weekly/@monthly/@yearly
// nicknames. Day of month and day of week must both match (node-cron ANDs
// them; Vixie cron ORs them when both are restricted). node-cron's rarer day
// tokens (`15W`, `5#2`, `5L`, `L-3`) are refused with a precise error.
//
// Time-zone changes follow node-cron's matcher, which compares an instant's
// local wall-clock time with the expression: a local time skipped by a
// spring-forward change never fires that day, and a local time repeated by a
// fall-back change fires at both instants (the latest one at or before the
// asked instant is returned).

export interface CronExpression {
  seconds: readonly number[];
  minutes: readonly number[];
  hours: readonly number[];
  /** Days of month 1-31; `lastDay`: the month's last day also matches (`L`). */
  days: ReadonlySet<number>;
  lastDay: boolean;
  months: ReadonlySet<number>;
  /** 0 = Sunday. */
  weekdays: ReadonlySet<number>;
}

export class CronSyntaxError extends Error {
  override name = "CronSyntaxError";
}

const NICKNAMES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day of week", min: 0, max: 7, names: WEEKDAY_NAMES },
] as const;

/** Parses `expression`; throws CronSyntaxError saying which field is wrong. */
export function parseCron(expression: string): CronExpression {
  const text = expression.trim().replace(/\s+/g, " ");
  const fields = (NICKNAMES[text.toLowerCase()] ?? text).split(" ");
  if (fields.length !== 5 && fields.length !== 6) throw new CronSyntaxError(`"${expression}" has ${fields.length} fields; a cron expression has 5 (minute hour day month weekday) or 6 (seconds first)`);
  const all = fields.length === 5 ? ["0", ...fields] : fields;
  const lastDay = all[3]!.split(",").some((item) => item.toUpperCase() === "L");
  const dayField = all[3]!.split(",").filter((item) => item.toUpperCase() !== "L").join(",");
  const values = all.map((field, index) => (index === 3 && dayField === "" ? [] : fieldValues(field, index, expression)));
  return {
    seconds: values[0]!,
    minutes: values[1]!,
    hours: values[2]!,
    days: new Set(values[3]),
    lastDay,
    months: new Set(values[4]),
    weekdays: new Set(values[5]!.map((day) => day % 7)),
  };
}

function fieldValues(field: string, index: number, expression: string): number[] {
  const spec = FIELDS[index]!;
  const where = `"${expression}": ${spec.name} "${field}"`;
  const values = new Set<number>();
  for (const item of field.split(",")) {
    const match = /^(\*|\?|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/i.exec(item);
    if (!match) throw new CronSyntaxError(`${where} is not a number, range, step or list${/[WL#]/i.test(item) ? " (the W, # and nL day tokens are not supported)" : ""}`);
    const [, startText, endText, stepText] = match;
    const wildcard = startText === "*" || startText === "?";
    if (wildcard && endText !== undefined) throw new CronSyntaxError(`${where}: a range cannot start with ${startText}`);
    const start = wildcard ? spec.min : valueOf(startText!, spec, where);
    const end = wildcard ? (index === 5 ? 6 : spec.max) : endText !== undefined ? valueOf(endText, spec, where) : stepText !== undefined ? spec.max : start;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronSyntaxError(`${where}: a step must be at least 1`);
    if (end < start) throw new CronSyntaxError(`${where}: the range ends before it starts`);
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function valueOf(text: string, spec: (typeof FIELDS)[number], where: string): number {
  const named = "names" in spec ? spec.names.indexOf(text.slice(0, 3).toLowerCase() as never) : -1;
  if (named >= 0 && /^[a-z]+$/i.test(text)) return spec.name === "month" ? named + 1 : named;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${where}: "${text}" is not a ${spec.name}${/^\d+[WL]$/i.test(text) ? " (the W, # and nL day tokens are not supported)" : ""}`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) throw new CronSyntaxError(`${where}: ${value} is outside ${spec.min}-${spec.max}`);
  return value;
}

/** Is `zone` an IANA time zone this runtime knows? */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `instant` in `timeZone`. */
export function wallTimeOf(instant: number, timeZone: string): WallTime {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function asUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The instants whose wall-clock time in `timeZone` is `wall`: none (skipped by a DST change), one, or two (repeated), ascending. */
export function instantsOf(wall: WallTime, timeZone: string): number[] {
  const naive = asUtc(wall);
  const found = new Set<number>();
  // Every offset in use within a day of the wall time is a candidate: zones move by less than a day.
  for (const probe of [naive - 86_400_000, naive, naive + 86_400_000]) {
    const offset = asUtc(wallTimeOf(probe, timeZone)) - Math.floor(probe / 1000) * 1000;
    const instant = naive - offset;
    if (asUtc(wallTimeOf(instant, timeZone)) === naive) found.add(instant);
  }
  return [...found].sort((a, b) => a - b);
}

function dayMatches(cron: CronExpression, year: number, month: number, day: number): boolean {
  if (!cron.months.has(month)) return false;
  const lastOfMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!cron.days.has(day) && !(cron.lastDay && day === lastOfMonth)) return false;
  return cron.weekdays.has(new Date(Date.UTC(year, month - 1, day)).getUTCDay());
}

/** More than any time-zone change moves a wall clock. */
const WALL_CLOCK_SLACK_MS = 3 * 3_600_000;

/** How far back the search goes: far enough for 29 February in a leap year. */
const MAX_DAYS_BACK = 8 * 366;

/**
 * The latest instant at or before `at` at which `cron` fires in `timeZone`,
 * or undefined when it has not fired within `horizonMs` (default: eight years).
 */
export function previousFireTime(cron: CronExpression, timeZone: string, at: Date, horizonMs = MAX_DAYS_BACK * 86_400_000): Date | undefined {
  const limit = Math.floor(at.getTime() / 1000) * 1000;
  const earliest = limit - horizonMs;
  const limitWall = asUtc(wallTimeOf(limit, timeZone));
  // From the day after the wall date of `at`: a fall-back change at midnight repeats the end of a day after the next has begun.
  let date = Math.floor(limitWall / 86_400_000) * 86_400_000 + 86_400_000;
  for (let back = 0; back <= MAX_DAYS_BACK + 1; back++, date -= 86_400_000) {
    const day = new Date(date);
    const wall = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    if (date + 86_400_000 * 2 < earliest) return undefined;
    if (!dayMatches(cron, wall.year, wall.month, wall.day)) continue;
    const fired = latestInDay(cron, wall, timeZone, limit, limitWall);
    if (fired !== undefined) return fired >= earliest ? new Date(fired) : undefined;
  }
  return undefined;
}

/** The latest firing on the wall date `wall` at or before `limit`. */
function latestInDay(cron: CronExpression, wall: Pick<WallTime, "year" | "month" | "day">, timeZone: string, limit: number, limitWall: number): number | undefined {
  for (let h = cron.hours.length - 1; h >= 0; h--) {
    for (let m = cron.minutes.length - 1; m >= 0; m--) {
      for (let s = cron.seconds.length - 1; s >= 0; s--) {
        const candidate = { ...wall, hour: cron.hours[h]!, minute: cron.minutes[m]!, second: cron.seconds[s]! };
        // Wall times well after `at`'s are after it whatever the zone does (changes move clocks by at most a few hours).
        if (asUtc(candidate) > limitWall + WALL_CLOCK_SLACK_MS) continue;
        const instants = instantsOf(candidate, timeZone).filter((instant) => instant <= limit);
        // None: after `at`, or skipped by a spring-forward change; an earlier time may still fire.
        if (instants.length > 0) return instants[instants.length - 1];
      }
    }
  }
  return undefined;
}
