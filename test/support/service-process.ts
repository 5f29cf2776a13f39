// Runs the service as its own process (tests kill it with SIGKILL to prove
// that an acknowledged delivery survives a crash). Environment from the
// parent; prints READY <url> when listening.
import pino from "pino";
import { loadConfig } from "../../src/config/env.js";
import { startService } from "../../src/service.js";
import { TestOctokit } from "./service.js";

const config = loadConfig(process.env);
const service = await startService({ config, log: pino({ level: "silent" }), Octokit: TestOctokit });
console.log(`READY ${service.url}`);
