// The service as its own process, for the test that kills a worker between
// creating its check runs and completing them: GitHub is faked with nock in
// this process (no configuration; a commit tree that never answers, so the
// worker is stuck after its creates). Each Checks API call is printed as
// CHECK_RUN <json> on stdout, and READY <url> once the service listens.
import nock from "nock";
import pino from "pino";
import { loadConfig } from "../../src/config/env.js";
import { startService } from "../../src/service.js";
import { API, FakeGitHub } from "./fake-checks-api.js";
import { TestOctokit } from "./service.js";

nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
new FakeGitHub("Codertocat", "Hello-World", (call) => console.log(`CHECK_RUN ${JSON.stringify(call)}`)).noConfig();
nock(API)
  .get(/^\/repos\/Codertocat\/Hello-World\/git\/trees\//)
  .query(true)
  .reply(() => new Promise<never>(() => {}));

const config = loadConfig(process.env);
const service = await startService({ config, log: pino({ level: "silent" }), Octokit: TestOctokit });
console.log(`READY ${service.url}`);
