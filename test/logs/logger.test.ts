import { Writable } from "node:stream";
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { withDeliveryContext } from "../../src/logs/delivery-context.js";
import { createLogger } from "../../src/logs/logger.js";
import { truncateAllTables } from "../support/database.js";
import { sendWebhook, TEST_PRIVATE_KEY, TEST_WEBHOOK_SECRET } from "../support/github-app.js";
import { startTestService, waitFor } from "../support/service.js";
import { exampleFor } from "../support/webhook-examples.js";

function captureLines() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, stream };
}

describe("createLogger", () => {
  it("redacts secrets by field and inside strings", () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: "info", secrets: ["s3cr3t-value"], destination: stream });
    log.info({ headers: { authorization: "token abc" }, privateKey: TEST_PRIVATE_KEY, token: "ghs_xxx" }, "first");
    log.info({ detail: `calling with ghs_${"a".repeat(36)} and s3cr3t-value` }, "second with s3cr3t-value");
    log.error({ err: new Error(`failed: ${TEST_PRIVATE_KEY}`) }, "third");
    const text = JSON.stringify(lines);
    expect(text).not.toContain("s3cr3t-value");
    expect(text).not.toContain("BEGIN RSA PRIVATE KEY");
    expect(text).not.toContain("ghs_aaaa");
    expect(text).not.toContain("token abc");
    expect((lines[0]!.headers as Record<string, unknown>).authorization).toBe("[Redacted]");
    expect(lines[1]!.msg).toBe("second with [Redacted]");
  });

  it("adds the delivery's fields to every line written while it is processed", async () => {
    const { lines, stream } = captureLines();
    const log = createLogger({ level: "info", secrets: [], destination: stream });
    await withDeliveryContext({ request_id: "d-1", installation: 7, repository: "o/r" }, async () => {
      await Promise.resolve();
      log.child({ name: "probot" }).info("inside");
    });
    log.info("outside");
    expect(lines[0]).toMatchObject({ request_id: "d-1", installation: 7, repository: "o/r", msg: "inside" });
    expect(lines[1]).not.toHaveProperty("request_id");
  });
});

describe("logging of a real delivery", () => {
  it("puts request_id, installation and repository on the handler's lines and never the secret", async () => {
    await truncateAllTables();
    const { lines, stream } = captureLines();
    const log = createLogger({ level: "info", secrets: [TEST_WEBHOOK_SECRET, TEST_PRIVATE_KEY], destination: stream });
    const app = (probot: Probot) => {
      probot.on("push", async (context) => {
        context.log.info({ secretEcho: TEST_WEBHOOK_SECRET }, "handling push");
      });
    };
    const service = await startTestService({ apps: [app], log });
    try {
      // GitHub's example push has no installation; an app's deliveries always have one.
      const payload = { ...exampleFor("push"), installation: { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" } };
      const { deliveryId } = await sendWebhook(service.url, "push", payload);
      const line = await waitFor(() => lines.find((candidate) => candidate.msg === "handling push"), 10_000, "the handler's log line");
      expect(line).toMatchObject({ request_id: deliveryId, repository: payload.repository.full_name, installation: 4242 });
      expect(JSON.stringify(lines)).not.toContain(TEST_WEBHOOK_SECRET);
    } finally {
      await service.stop();
    }
  });
});
