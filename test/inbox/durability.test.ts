// What happens to deliveries when things break: MySQL unreachable while the
// service runs, and the process killed between the acknowledgement and the
// processing.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { TEST_DATABASE_URL, testDatabaseSettings, truncateAllTables } from "../support/database.js";
import { sendWebhook } from "../support/github-app.js";
import { startTestService, testEnv, waitFor } from "../support/service.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { exampleFor } from "../support/webhook-examples.js";
import { createPrismaClient } from "../../src/store/prisma.js";

describe("when MySQL becomes unreachable", () => {
  let proxy: TcpProxy;
  let service: RunningService;

  beforeEach(async () => {
    await truncateAllTables();
    const settings = testDatabaseSettings();
    proxy = new TcpProxy(settings.host, settings.port);
    const port = await proxy.start();
    const viaProxy = TEST_DATABASE_URL.replace(`:${settings.port}/`, `:${port}/`);
    service = await startTestService({ env: { DATABASE_URL: viaProxy } });
  });

  afterEach(async () => {
    if (!proxy.running) await proxy.start(proxy.port);
    await service.stop();
    await proxy.cut();
  });

  it("answers 5xx, stays up, reports it on /ready, and processes later deliveries once MySQL is back", async () => {
    await proxy.cut();

    const refused = await sendWebhook(service.url, "push", exampleFor("push"), { deliveryId: "while-down" });
    expect(refused.response.status).toBe(503);
    expect((refused.body as { error: string }).error).toMatch(/not stored/);

    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${service.url}/ready`);
    expect(ready.status).toBe(503);
    const readiness = (await ready.json()) as { status: string; dependencies: Record<string, { ok: boolean }> };
    expect(readiness.status).toBe("degraded");
    expect(readiness.dependencies.mysql?.ok).toBe(false);

    await proxy.start(proxy.port);
    const accepted = await waitFor(async () => {
      const attempt = await sendWebhook(service.url, "push", exampleFor("push"), { deliveryId: "after-recovery" });
      return attempt.response.status === 202 ? attempt : undefined;
    }, 20_000, "MySQL to be reachable again");
    expect(accepted.body).toEqual({ status: "queued", delivery: "after-recovery" });
    await waitFor(
      async () => (await service.prisma.webhookDelivery.findUnique({ where: { deliveryId: "after-recovery" } }))?.status === "done",
      20_000,
      "the delivery sent after recovery to be processed",
    );
    // GitHub records the refused one as failed; it was never half-stored.
    expect(await service.prisma.webhookDelivery.findUnique({ where: { deliveryId: "while-down" } })).toBeNull();
    const readyAgain = await waitFor(async () => ((await fetch(`${service.url}/ready`)).status === 200 ? true : undefined), 20_000, "/ready");
    expect(readyAgain).toBe(true);
  });
});

describe("when the process is killed after acknowledging", () => {
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    await truncateAllTables();
  });

  afterEach(() => {
    child?.kill("SIGKILL");
  });

  function startProcess(env: Record<string, string>): Promise<{ process: ChildProcess; url: string }> {
    const processHandle = spawn(process.execPath, ["--import", "tsx", "test/support/service-process.ts"], {
      env: { ...process.env, ...testEnv(env) } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = processHandle;
    return new Promise((resolve, reject) => {
      let output = "";
      processHandle.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /READY (\S+)/.exec(output);
        if (match?.[1]) resolve({ process: processHandle, url: match[1] });
      });
      processHandle.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      processHandle.on("exit", (code) => reject(new Error(`service process exited (${code}): ${output}`)));
    });
  }

  it("processes the stored delivery when the service starts again", async () => {
    // A web-only replica (worker off) guarantees the kill lands between the
    // acknowledgement and any processing.
    const first = await startProcess({ IACT_WORKER_ENABLED: "false" });
    const { response, deliveryId } = await sendWebhook(first.url, "push", exampleFor("push"));
    expect(response.status).toBe(202);
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));

    const prisma = createPrismaClient(testDatabaseSettings());
    try {
      const stored = await prisma.webhookDelivery.findUnique({ where: { deliveryId } });
      expect(stored?.status).toBe("pending");

      await startProcess({});
      const processed = await waitFor(async () => {
        const row = await prisma.webhookDelivery.findUnique({ where: { deliveryId } });
        return row?.status === "done" ? row : undefined;
      }, 20_000, "the restarted service to process the stored delivery");
      expect(processed.attempts).toBe(1);
    } finally {
      await prisma.$disconnect();
    }
  });
});
