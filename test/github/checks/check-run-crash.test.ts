// At-least-once processing without duplicate check runs: a worker process is
// killed (SIGKILL) after GitHub created its check runs and before it
// completed them; after the delivery's lease another service claims it
// again, finds the runs by their identity (external_id) and completes them.
// GitHub sees exactly one POST per check, and the second attempt PATCHes.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { truncateAllTables } from "../../support/database.js";
import { FakeGitHub, pullRequestOpened, type CheckRunCall } from "../../support/fake-checks-api.js";
import { sendWebhook } from "../../support/github-app.js";
import { startTestService, testEnv, waitFor } from "../../support/service.js";

const SHA = "c0ffee4bb761a232cd80139fbd4c0d33264240aa";
const LEASE = { IACT_INBOX_LEASE_SECONDS: "1" };

interface WorkerProcess {
  process: ChildProcess;
  url: string;
  checkRunCalls: CheckRunCall[];
}

function startWorkerProcess(): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/check-run-crash-process.ts"], {
    env: { ...process.env, ...testEnv(LEASE) } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const checkRunCalls: CheckRunCall[] = [];
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split("\n");
      output = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("CHECK_RUN ")) checkRunCalls.push(JSON.parse(line.slice("CHECK_RUN ".length)) as CheckRunCall);
        const ready = /^READY (\S+)/.exec(line);
        if (ready?.[1]) resolve({ process: child, url: ready[1], checkRunCalls });
      }
    });
    let errors = "";
    child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`worker process exited (${code}): ${errors}`)));
  });
}

describe("a worker killed between creating its check runs and completing them", () => {
  let child: ChildProcess | undefined;
  let service: RunningService | undefined;

  beforeEach(async () => {
    await truncateAllTables();
  });

  afterEach(async () => {
    child?.kill("SIGKILL");
    await service?.stop();
    service = undefined;
  });

  it("is followed by an attempt that completes the same runs: one POST per check in all, the second attempt PATCHes", async () => {
    // 1. The first attempt creates every run (restrictions, docs, security), then hangs reading the tree; it is killed there.
    const first = await startWorkerProcess();
    child = first.process;
    const { response, deliveryId } = await sendWebhook(first.url, "pull_request", pullRequestOpened(SHA));
    expect(response.status).toBe(202);
    await waitFor(() => first.checkRunCalls.filter((call) => call.method === "POST").length === 3, 20_000, "the first attempt to create every check run");
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));
    const created = first.checkRunCalls.filter((call) => call.method === "POST");
    expect(first.checkRunCalls.filter((call) => call.method === "PATCH")).toEqual([]);
    for (const run of created) expect(run.body).toMatchObject({ head_sha: SHA, status: "in_progress", external_id: `${deliveryId}:${run.body.name}` });

    // 2. GitHub now lists those runs; another service claims the delivery once its lease lapses.
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig().tree(SHA, { "requirements.txt": "Django==5.0\n" });
    for (const run of created) github.adopt(run);
    service = await startTestService({ env: LEASE });
    const row = await waitFor(async () => {
      const delivery = await service!.prisma.webhookDelivery.findUnique({ where: { deliveryId } });
      return delivery?.status === "done" ? delivery : undefined;
    }, 30_000, "the delivery to be claimed again and processed");
    expect(row.attempts).toBe(2);

    // 3. No second run: the retry completed the first attempt's runs.
    expect(github.checkRuns.filter((call) => call.method === "POST")).toEqual([]);
    for (const run of created) {
      const completions = github.checkRuns.filter((call) => call.method === "PATCH" && call.id === run.id && call.body.status === "completed");
      expect(completions, `completion of ${String(run.body.name)}`).toHaveLength(1);
    }
    expect(github.checkRuns.every((call) => created.some((run) => run.id === call.id))).toBe(true);
  }, 90_000);
});
