// For suites that call GitHub as the app itself (JWT) without a running
// service: an Octokit factory like the service's, and nock fakes that allow
// only loopback through, cleared after each test.
import nock from "nock";
import pino from "pino";
import { Probot } from "probot";
import type { ProbotOctokit } from "probot";
import { afterEach, beforeEach } from "vitest";
import { TEST_APP_ID, TEST_PRIVATE_KEY } from "./github-app.js";
import { TestOctokit } from "./service.js";

export function testAppOctokit(): () => Promise<InstanceType<typeof ProbotOctokit>> {
  const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, log: pino({ level: "silent" }), Octokit: TestOctokit });
  return () => probot.auth();
}

export function githubFakedForEachTest(): void {
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
}
