// The real browser of the dashboard's tests: apt's chromium, driven by
// playwright-core, headless. Without the binary the browser suites are
// skipped with a message, except in CI (CI=true), where a missing browser
// is a failure: CI installs it (.ci/run).
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.IACT_CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether the browser suites can run here; throws in CI when they cannot. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === "true") throw new Error(`${CHROMIUM_PATH} is missing: CI must install chromium (apt-get install chromium) for the dashboard's browser tests`);
  console.warn(`Skipping the dashboard's browser tests: ${CHROMIUM_PATH} is not installed (apt-get install chromium, or set IACT_CHROMIUM_PATH)`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root in containers, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}
