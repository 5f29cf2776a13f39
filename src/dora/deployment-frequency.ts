// Deployment frequency: how many deployments, on how many distinct days.
import { calendarDay, daysOfWindow, isoWeek } from "./calendar.js";
import type { DeploymentRecord, TimeWindow } from "./records.js";
import { median } from "./stats.js";
import { MS_PER_DAY } from "./calendar.js";

/** Mean Gregorian month (365.25 / 12 days), the "month" of per-month rates. */
export const DAYS_PER_MONTH = 30.4375;

export interface DeploymentFrequency {
  /** Deployments with deployedAt in [from, to). */
  deployments: number;
  /** Distinct calendar days (in the time zone) with at least one of them. */
  deployDays: number;
  /** Length of the window in days (fractional when the window is). */
  windowDays: number;
  /** deployments / windowDays; per week x7; per month x30.4375. */
  perDay: number;
  perWeek: number;
  perMonth: number;
  /** Deploy-days / windowDays x30.4375: the classification's "deploy-days per month". */
  deployDaysPerMonth: number;
  /**
   * Median, over the ISO weeks (Monday-Sunday in the time zone) that the window
   * touches, of each week's deploy-days; weeks without deployments count as 0.
   * Edge weeks only count the days inside the window: align the window to
   * Mondays for an exact figure.
   */
  medianDeployDaysPerWeek: number | null;
  /** Deploy-days of each touched ISO week, in week order (the evidence of the median). */
  weeks: { week: string; deployDays: number }[];
}

export interface DeploymentFrequencyOptions {
  /** IANA zone that decides calendar days and weeks; default "UTC". */
  timeZone?: string;
}

/** `deployments` may include deployments outside the window; they are ignored. */
export function computeDeploymentFrequency(
  deployments: readonly DeploymentRecord[],
  window: TimeWindow,
  options: DeploymentFrequencyOptions = {},
): DeploymentFrequency {
  const timeZone = options.timeZone ?? "UTC";
  const from = window.from.getTime();
  const to = window.to.getTime();
  const inWindow = deployments.filter((d) => d.deployedAt.getTime() >= from && d.deployedAt.getTime() < to);
  const deployDays = new Set(inWindow.map((d) => calendarDay(d.deployedAt, timeZone)));

  const deployDaysPerWeek = new Map<string, number>();
  for (const day of daysOfWindow(window.from, window.to, timeZone)) {
    const week = isoWeek(day);
    deployDaysPerWeek.set(week, (deployDaysPerWeek.get(week) ?? 0) + (deployDays.has(day) ? 1 : 0));
  }
  const weeks = [...deployDaysPerWeek].map(([week, count]) => ({ week, deployDays: count }));

  const windowDays = Math.max(0, to - from) / MS_PER_DAY;
  const ratePer = (count: number, days: number) => (windowDays === 0 ? 0 : (count * days) / windowDays);
  return {
    deployments: inWindow.length,
    deployDays: deployDays.size,
    windowDays,
    perDay: ratePer(inWindow.length, 1),
    perWeek: ratePer(inWindow.length, 7),
    perMonth: ratePer(inWindow.length, DAYS_PER_MONTH),
    deployDaysPerMonth: ratePer(deployDays.size, DAYS_PER_MONTH),
    medianDeployDaysPerWeek: median(weeks.map((week) => week.deployDays)),
    weeks,
  };
}
