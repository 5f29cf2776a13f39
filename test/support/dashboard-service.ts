// The real service with the dashboard on, signed in through a fake GitHub
// OAuth server started for the file: the setup every dashboard test file
// shares.
import { afterAll, beforeAll } from "vitest";
import type { RunningService } from "../../src/service.js";
import { dashboardEnv, FakeGitHubOAuth } from "./fake-github-oauth.js";
import { serviceForAllTests } from "./service.js";

/** Starts the fake before the service (whose env names it), stops it after; `env` adds settings. */
export function dashboardServiceForAllTests(onStarted: (service: RunningService) => void, env: Record<string, string> = {}): FakeGitHubOAuth {
  const fake = new FakeGitHubOAuth();
  const options = { env: { ...env } };
  beforeAll(async () => {
    await fake.start();
    Object.assign(options.env, dashboardEnv(fake), env);
  });
  afterAll(() => fake.stop());
  serviceForAllTests(onStarted, options);
  return fake;
}
