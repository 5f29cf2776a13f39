// The previous firing of a cron expression in a time zone, against
// hand-computed cases: plain UTC schedules, zones without DST, the days
// Europe/Madrid and America/New_York change their clocks (a skipped local time
// does not fire, a repeated one fires at both instants), leap days, `L`,
// seconds, the horizon, and precise errors for what is not a cron expression.
import { describe, expect, it } from "vitest";
import { createTask } from "node-cron";
import { CronSyntaxError, parseCron, previousFireTime } from "../../src/lib/cron-time.js";

const at = (iso: string) => new Date(iso);

describe("previousFireTime", () => {
  it.each([
    ["monthly at 06:00 UTC, mid-month", "0 6 1 * *", "UTC", "2026-11-15T12:00:00Z", "2026-11-01T06:00:00Z"],
    ["the firing instant itself", "0 6 1 * *", "UTC", "2026-11-01T06:00:00Z", "2026-11-01T06:00:00Z"],
    ["a second before it: the month before", "0 6 1 * *", "UTC", "2026-11-01T05:59:59Z", "2026-10-01T06:00:00Z"],
    ["a zone without DST (UTC-5)", "0 6 1 * *", "America/Bogota", "2026-11-15T12:00:00Z", "2026-11-01T11:00:00Z"],
    ["a month starting in the zone before UTC's", "0 0 1 * *", "Asia/Tokyo", "2026-11-15T00:00:00Z", "2026-10-31T15:00:00Z"],
    ["spring forward: 02:30 does not exist on 29 March in Madrid, so the day before", "30 2 * * *", "Europe/Madrid", "2026-03-29T12:00:00Z", "2026-03-28T01:30:00Z"],
    ["spring forward: 03:00 EDT right after the gap in New York", "0 3 * * *", "America/New_York", "2026-03-08T12:00:00Z", "2026-03-08T07:00:00Z"],
    ["fall back: 02:30 in Madrid on 25 October, first occurrence (CEST)", "30 2 * * *", "Europe/Madrid", "2026-10-25T01:00:00Z", "2026-10-25T00:30:00Z"],
    ["fall back: 02:30 in Madrid on 25 October, second occurrence (CET)", "30 2 * * *", "Europe/Madrid", "2026-10-25T12:00:00Z", "2026-10-25T01:30:00Z"],
    ["hourly across the fall-back hour: both 01:00s in New York fire", "0 * * * *", "America/New_York", "2026-11-01T06:30:00Z", "2026-11-01T06:00:00Z"],
    ["29 February: the last leap year", "0 0 29 2 *", "UTC", "2026-11-29T00:00:00Z", "2024-02-29T00:00:00Z"],
    ["weekdays every quarter hour in office hours, asked on a Sunday", "*/15 9-17 * * mon-fri", "UTC", "2026-11-29T10:00:00Z", "2026-11-27T17:45:00Z"],
    ["day of month and weekday both restricted: both must match (node-cron)", "0 12 13 * fri", "UTC", "2026-11-29T00:00:00Z", "2026-11-13T12:00:00Z"],
    ["7 is Sunday", "0 8 * * 7", "UTC", "2026-11-28T00:00:00Z", "2026-11-22T08:00:00Z"],
    ["L: the last day of the month", "0 6 L * *", "UTC", "2026-11-15T00:00:00Z", "2026-10-31T06:00:00Z"],
    ["month names and lists", "0 0 1 jan,jul *", "UTC", "2026-11-29T00:00:00Z", "2026-07-01T00:00:00Z"],
    ["six fields: seconds", "*/10 * * * * *", "UTC", "2026-11-29T10:00:07.500Z", "2026-11-29T10:00:00Z"],
    ["a nickname", "@weekly", "UTC", "2026-11-28T00:00:00Z", "2026-11-22T00:00:00Z"],
  ])("%s", (_case, expression, zone, asked, expected) => {
    expect(previousFireTime(parseCron(expression), zone, at(asked))).toEqual(at(expected));
  });

  it("answers undefined when the schedule has not fired within the horizon", () => {
    expect(previousFireTime(parseCron("0 0 29 2 *"), "UTC", at("2026-11-29T00:00:00Z"), 40 * 86_400_000)).toBeUndefined();
    expect(previousFireTime(parseCron("0 6 1 * *"), "UTC", at("2026-11-15T00:00:00Z"), 14 * 86_400_000)).toEqual(at("2026-11-01T06:00:00Z"));
  });

  it("agrees with node-cron's matcher: the answer matches and nothing between it and the asked instant does", () => {
    const cases: Array<[string, string, string]> = [
      ["17 */5 * * *", "Europe/Madrid", "2026-10-25T04:00:00Z"],
      ["45 1 * * sun", "America/New_York", "2026-11-01T09:00:00Z"],
      ["0 6 1 * *", "Australia/Lord_Howe", "2026-11-02T00:00:00Z"],
    ];
    for (const [expression, zone, asked] of cases) {
      const task = createTask(expression, () => {}, { timezone: zone });
      const fired = previousFireTime(parseCron(expression), zone, at(asked))!;
      expect(task.match(fired)).toBe(true);
      for (let minute = fired.getTime() + 60_000; minute <= at(asked).getTime(); minute += 60_000) expect(task.match(new Date(minute))).toBe(false);
      void task.destroy();
    }
  });
});

describe("parseCron", () => {
  it.each([
    ["every day", "has 2 fields"],
    ["61 * * * *", "minute \"61\": 61 is outside 0-59"],
    ["0 0 15W * *", "the W, # and nL day tokens are not supported"],
    ["0 0 * * 5#2", "the W, # and nL day tokens are not supported"],
    ["0 0 * foo *", "\"foo\" is not a month"],
    ["0 10-2 * * *", "the range ends before it starts"],
    ["*/0 * * * *", "a step must be at least 1"],
  ])("refuses %s, saying why", (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronSyntaxError);
    expect(() => parseCron(expression)).toThrow(message);
  });
});
