// The iact/security check run end to end: a signed pull_request webhook into
// the real service (HTTP server, MariaDB inbox, worker, Probot), GitHub's API
// faked with nock (tree, blobs, configuration, Checks API), and the run's
// conclusion and annotations asserted, together with the promise that the
// secret itself appears in no annotation, no summary and no log line.
import { Writable } from "node:stream";
import nock from "nock";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { truncateAllTables } from "../../support/database.js";
import { deliverQueued, startTestService, waitFor } from "../../support/service.js";
import { FakeGitHub, pullRequestOpened } from "../../support/fake-checks-api.js";
import { pemBlock, randomBody } from "../../checks/security/helpers.js";

const token = `ghp_${randomBody(36, 4242)}`;
const privateKey = pemBlock("RSA PRIVATE KEY", 4343);
const keyLine = privateKey.split("\n")[1]!;

const CONFIG = ["checks:", "  restrictions:", "    enabled: false", "  docs:", "    enabled: false", "  security:", "    auditModels: [audit.models.AuditLog]", ""].join("\n");

const FILES = {
  "deploy/production.env": `DATABASE_URL=mysql://app@db/app\nGITHUB_TOKEN=${token}\n`,
  "deploy/keys/deploy_key": `${privateKey}\n`,
  "proj/settings.py": ["import os", "", "DEBUG = True", 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', 'ALLOWED_HOSTS = ["*"]', "SESSION_COOKIE_SECURE = True", "CSRF_COOKIE_SECURE = True", ""].join("\n"),
  "proj/settings_local.py": 'from .settings import *\nDEBUG = True\nALLOWED_HOSTS = ["*"]\n',
  "audit/models.py": "from django.db import models\n\n\nclass AuditLog(models.Model):\n    action = models.CharField(max_length=64)\n",
  // Traps: AWS's documented example key and a placeholder token stay silent.
  "docs/aws.md": "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\nexport GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
};

describe("the iact/security check run", () => {
  let service: RunningService;
  const logLines: string[] = [];

  beforeEach(async () => {
    await truncateAllTables();
    nock.cleanAll();
    logLines.length = 0;
    // Every line the service logs, at every level, before any redaction a store might add.
    const capture = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(String(chunk));
        callback();
      },
    });
    service = await startTestService({ log: pino({ level: "trace" }, capture) });
  });

  afterEach(async () => {
    await service.stop();
    nock.cleanAll();
  });

  it("fails a pull request that commits a token, a private key and production settings, without showing the secrets", async () => {
    const sha = "5ec5ec5ec5ec5ec5ec5ec5ec5ec5ec5ec5ec5ec5";
    const github = new FakeGitHub("Codertocat", "Hello-World").config(CONFIG).tree(sha, FILES);

    const deliveryId = await deliverQueued(service, "pull_request", pullRequestOpened(sha));
    await waitFor(async () => {
      const row = await service.prisma.webhookDelivery.findUnique({ where: { deliveryId } });
      return row?.status === "done" ? row : undefined;
    }, 15_000, `delivery ${deliveryId} to be done`);

    expect(github.completed("iact/restrictions")?.body.conclusion).toBe("skipped");
    expect(github.completed("iact/docs")?.body.conclusion).toBe("skipped");
    const run = github.completed("iact/security")!.body;
    expect(github.runsNamed("iact/security")[0]!.body).toMatchObject({ head_sha: sha, status: "in_progress" });
    expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "5 failures" } });

    const annotations = github.annotations("iact/security") as Array<Record<string, unknown>>;
    expect(annotations.map((annotation) => [annotation.path, annotation.start_line, annotation.end_line, annotation.annotation_level, annotation.title])).toEqual([
      ["audit/models.py", 4, 4, "failure", "audit-model-mutable"],
      ["deploy/keys/deploy_key", 1, 8, "failure", "committed-secret"],
      ["deploy/production.env", 2, 2, "failure", "committed-secret"],
      ["proj/settings.py", 3, 3, "failure", "django-debug"],
      ["proj/settings.py", 5, 5, "failure", "django-allowed-hosts"],
    ]);
    expect(annotations[2]).toMatchObject({ start_column: 14, end_column: 14 + token.length });
    expect(annotations[2]!.message).toContain('A GitHub personal access token (classic) is committed: "ghp_…" (fingerprint sha256:');

    const summary: string = run.output.summary;
    expect(summary).toContain("| `committed-secret` No secrets committed | failure | 2 | [committed-secret](https://github.com/iact-bot/iact-bot/blob/main/docs/rules/security.md#committed-secret) |");
    expect(summary).toContain("| `audit-model-mutable` Audit models refuse updates and deletes | failure | 1 |");

    // The secrets are nowhere: not in the annotations, the summary, or any log line.
    const published = JSON.stringify(github.runsNamed("iact/security").map((call) => call.body));
    for (const secret of [token.slice(4), keyLine]) {
      expect(published).not.toContain(secret);
      expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
    }
    expect(logLines.some((line) => line.includes("repository checks done"))).toBe(true);
    expect(github.pending()).toEqual([]);
  });
});
