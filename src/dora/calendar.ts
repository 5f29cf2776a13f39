// Calendar days and ISO weeks in a given IANA time zone, without a date library:
// Intl gives the local calendar date, the ISO week is computed from it.

/** Milliseconds in a day of UTC time (no leap seconds): the one definition the code uses. */
export const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** "YYYY-MM-DD" of the instant in the time zone (default UTC). Throws RangeError for an unknown zone. */
export function calendarDay(instant: Date, timeZone = "UTC"): string {
  if (timeZone === "UTC") return instant.toISOString().slice(0, 10);
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // en-CA formats as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

function dayToUtcMs(day: string): number {
  const [year, month, dayOfMonth] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, dayOfMonth);
}

/** The calendar day after `day`. */
export function nextDay(day: string): string {
  return new Date(dayToUtcMs(day) + MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO 8601 week of a calendar day, "YYYY-Www" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(day: string): string {
  const date = new Date(dayToUtcMs(day));
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  // The Thursday of this week decides the ISO year.
  const thursday = new Date(date.getTime() + (4 - weekday) * MS_PER_DAY);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / MS_PER_DAY / 7) + 1;
  return `${isoYear}-W${String(week).padStart(2, "0")}`;
}

/** Every calendar day (in the zone) touched by the half-open window [from, to); empty when to <= from. */
export function daysOfWindow(from: Date, to: Date, timeZone = "UTC"): string[] {
  if (to.getTime() <= from.getTime()) return [];
  const last = calendarDay(new Date(to.getTime() - 1), timeZone);
  const days: string[] = [];
  for (let day = calendarDay(from, timeZone); day <= last; day = nextDay(day)) days.push(day);
  return days;
}
