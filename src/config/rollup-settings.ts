// When the measurer (src/metrics/measure.ts) reads daily rollups instead of
// measuring records, and how it keeps them fresh. Named here, with their
// reasons, instead of as numbers inside measure().
export interface RollupSettings {
  /**
   * An exact answer that loaded at least this many deployments, when no
   * rollups exist yet, starts the first build: small installations stay
   * exact, large ones get fast answers from the next request on.
   */
  buildFromDeployments: number;
  /**
   * A covered window is read from rollups when its rows hold at least this
   * many deployments. 0: always, once rollups exist (an exact answer's cost
   * grows with the tables, not only with the window: 1.2 s for 30 days of
   * one repo among 1M deployments).
   */
  readFromDeployments: number;
  /** Rollups older than this start one background refresh. */
  maxAgeMs: number;
  /** Days before the last refresh that a background refresh rebuilds (facts that arrive late: incidents, statuses). */
  refreshOverlapDays: number;
  /** Days the first build covers: a year of windows, and a month of lookback. */
  initialDays: number;
}

export const DEFAULT_ROLLUP_SETTINGS: RollupSettings = {
  buildFromDeployments: 500,
  readFromDeployments: 0,
  maxAgeMs: 5 * 60_000,
  refreshOverlapDays: 7,
  initialDays: 400,
};
