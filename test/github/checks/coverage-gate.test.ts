// The coverage gate end to end: a signed workflow_run.completed delivery
// (GitHub's published example) into the real service (HTTP server, MariaDB
// inbox, worker, Probot); GitHub's API faked with nock: the run's artifact
// list, each zip's 302 to a storage host and the storage itself, the pull
// request's files, and the Checks API, whose calls are asserted.
import { strToU8, zipSync } from "fflate";
import nock from "nock";
import { describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { declareSize } from "../../support/artifact-zips.js";
import { FakeGitHub, INSTALLATION } from "../../support/fake-checks-api.js";
import { FakeWorkflowArtifacts } from "../../support/fake-workflow-artifacts.js";
import { deliverQueued, deliveryHandled, serviceForEachTest } from "../../support/service.js";
import { exampleFor } from "../../support/webhook-examples.js";

const OWNER = "Codertocat";
const REPO = "Hello-World";
const RUN_ID = 1589141559;
const SHA = "5779607b49aab1200488439f02372c57b4f75444";
const COVERAGE = "iact/coverage";

function workflowRunCompleted(options: { pullRequest?: number; name?: string } = {}) {
  const payload = exampleFor("workflow_run", "completed");
  (payload as { installation?: unknown }).installation = INSTALLATION;
  const run = payload.workflow_run as unknown as Record<string, unknown>;
  run.name = options.name ?? "CI";
  run.status = "completed";
  run.conclusion = "success";
  run.head_sha = SHA;
  run.pull_requests =
    options.pullRequest === undefined
      ? []
      : [{ id: 1, number: options.pullRequest, url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${options.pullRequest}`, head: { ref: "feature", sha: SHA, repo: { id: 1, url: "", name: REPO } }, base: { ref: "main", sha: "0".repeat(40), repo: { id: 1, url: "", name: REPO } } }];
  return payload;
}

// src/shop/cart.py: lines 1-6 executable; 1, 2, 3, 5 covered, 4 and 6 not -> 4 of 6.
const COBERTURA = `<?xml version="1.0" ?>
<coverage version="7.4" line-rate="0.6667">
  <sources><source>/home/runner/work/Hello-World/Hello-World/src</source></sources>
  <packages><package name="shop"><classes>
    <class name="cart.py" filename="shop/cart.py"><lines>
      <line number="1" hits="1"/><line number="2" hits="1"/><line number="3" hits="2"/>
      <line number="4" hits="0"/><line number="5" hits="1"/><line number="6" hits="0"/>
    </lines></class>
  </classes></package></packages>
</coverage>`;

// 3 tests, one failing with its file and line.
const JUNIT_ONE_FAILED = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="tests.test_cart" name="test_add" file="tests/test_cart.py" line="3"/>
  <testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py" line="9"><failure message="assert 3 == 4">E   assert 3 == 4</failure></testcase>
  <testcase classname="tests.test_cart" name="test_empty" file="tests/test_cart.py" line="15"/>
</testsuite></testsuites>`;

// a.js: 10 lines, 9 covered -> 90 %.
const LCOV_90 = ["SF:/home/runner/work/Hello-World/Hello-World/web/a.js", ...Array.from({ length: 10 }, (_, index) => `DA:${index + 1},${index === 9 ? 0 : 1}`), "end_of_record", ""].join("\n");

const zipOf = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));

describe("iact/coverage on workflow_run.completed", () => {
  let service: RunningService;
  serviceForEachTest((started) => (service = started));

  async function deliver(payload: unknown) {
    const deliveryId = await deliverQueued(service, "workflow_run", payload);
    return deliveryHandled(service, deliveryId, { final: false });
  }

  it("fails a pull request's run below the threshold with a failed test, annotating the test and the uncovered changed lines", async () => {
    const github = new FakeGitHub(OWNER, REPO).noConfig();
    const artifacts = new FakeWorkflowArtifacts(OWNER, REPO, RUN_ID)
      .artifacts([
        { name: "coverage-report", zip: zipOf({ "coverage.xml": COBERTURA, "htmlcov/index.html": "<html></html>" }) },
        { name: "junit", zip: zipOf({ "results/junit.xml": JUNIT_ONE_FAILED }) },
        { name: "dist", sizeInBytes: 10_000 }, // not a report name: never downloaded
      ])
      // The pull request adds cart.py lines 4-6 (4 and 6 not covered, 5 covered) and a README line.
      .pullRequestFiles(12, [
        { filename: "src/shop/cart.py", patch: "@@ -1,3 +1,6 @@\n line1\n line2\n line3\n+line4\n+line5\n+line6" },
        { filename: "README.md", patch: "@@ -1 +1,2 @@\n # Shop\n+More." },
      ]);

    const row = await deliver(workflowRunCompleted({ pullRequest: 12 }));
    expect(row.status).toBe("done");

    const runs = github.runsNamed(COVERAGE);
    const create = runs.find((call) => call.method === "POST")!;
    expect(create.body).toMatchObject({ name: COVERAGE, head_sha: SHA, status: "in_progress", external_id: `${row.deliveryId}:${COVERAGE}` });
    const completed = github.completed(COVERAGE)!;
    expect(completed.body.conclusion).toBe("failure");
    // 4 of 6 = 66.66 %; patch: lines 4, 5, 6 executable, 5 covered -> 1 of 3 = 33.33 %.
    expect(completed.body.output.title).toBe("Total coverage 66.66 % is below the threshold of 80 %; 1 test failed");
    const summary: string = completed.body.output.summary;
    expect(summary).toContain("| Total line coverage | 66.66 % (4 of 6 lines) | at least 80 %: **failed** |");
    expect(summary).toContain("| Patch coverage (pull request #12) | 33.33 % (1 of 3 changed lines) | not gated (`patchThreshold` unset) |");
    expect(summary).toContain("| Tests | 3 tests, 1 failed, 0 skipped | none may fail: **failed** |");
    expect(summary).toContain("artifact `coverage-report`: `coverage.xml` (Cobertura, 1 source file)");
    expect(summary).toContain("[CI run #36](https://github.com/octo-org/octo-repo/actions/runs/1589141559)");
    expect(github.annotations(COVERAGE)).toEqual([
      expect.objectContaining({ path: "tests/test_cart.py", start_line: 9, annotation_level: "failure", title: "Test failed: tests.test_cart.test_total", message: "assert 3 == 4\n\nE   assert 3 == 4" }),
      expect.objectContaining({ path: "src/shop/cart.py", start_line: 4, end_line: 4, annotation_level: "notice" }),
      expect.objectContaining({ path: "src/shop/cart.py", start_line: 6, end_line: 6, annotation_level: "notice" }),
    ]);
    // Followed the 302 to storage, without sending GitHub's token there.
    expect(artifacts.downloads.sort()).toEqual(["coverage-report", "junit"]);
    expect(artifacts.storageAuthorization).toEqual([undefined, undefined]);
    expect(github.pending()).toEqual([]);
    // What was published is in the audit log, as for the other checks.
    const audit = await service.prisma.auditEntry.findMany({ where: { action: "check_runs.published" } });
    expect(audit.map(({ actor, target, requestId, details }) => ({ actor, target, requestId, details }))).toEqual([
      { actor: "github:Codertocat", target: `${OWNER}/${REPO}@${SHA}`, requestId: row.deliveryId, details: { trigger: "workflow_run.completed", runs: [{ check: "coverage", check_run_id: create.id, conclusion: "failure" }] } },
    ]);
  });

  it("passes a run at or above the thresholds; a fork's run has no pull request, so patch coverage is unavailable", async () => {
    const github = new FakeGitHub(OWNER, REPO).config("checks:\n  coverage:\n    threshold: 90\n");
    new FakeWorkflowArtifacts(OWNER, REPO, RUN_ID).artifacts([{ name: "lcov", zip: zipOf({ "lcov.info": LCOV_90 }) }]);

    await deliver(workflowRunCompleted());

    const completed = github.completed(COVERAGE)!;
    expect(completed.body.conclusion).toBe("success");
    expect(completed.body.output.title).toBe("Coverage 90.00 %");
    expect(completed.body.output.summary).toContain("| Patch coverage | unavailable: the workflow run names no pull request");
    expect(completed.body.output.annotations).toBeUndefined();
    expect(github.pending()).toEqual([]);
  });

  it("publishes nothing for a run without a matching artifact when no workflow is named", async () => {
    const github = new FakeGitHub(OWNER, REPO).noConfig();
    new FakeWorkflowArtifacts(OWNER, REPO, RUN_ID).artifacts([{ name: "dist", sizeInBytes: 100 }]);
    const row = await deliver(workflowRunCompleted({ name: "Lint" }));
    expect(row.status).toBe("done");
    expect(github.runsNamed(COVERAGE)).toEqual([]);
    expect(github.pending()).toEqual([]);
  });

  it("is neutral for a named workflow whose run has no matching artifact, and ignores other workflows", async () => {
    const config = "checks:\n  coverage:\n    workflows: [CI]\n    artifacts: [py-coverage]\n";
    const github = new FakeGitHub(OWNER, REPO).config(config);
    new FakeWorkflowArtifacts(OWNER, REPO, RUN_ID).artifacts([{ name: "coverage", sizeInBytes: 100 }]);
    await deliver(workflowRunCompleted({ name: "CI" }));
    const completed = github.completed(COVERAGE)!;
    expect(completed.body).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(completed.body.output.title).toBe("No artifact to read: the run's artifacts (coverage) match none of checks.coverage.artifacts (py-coverage)");

    // Another workflow: not read at all (no artifact list call).
    await deliver(workflowRunCompleted({ name: "Deploy" }));
    expect(github.runsNamed(COVERAGE).filter((call) => call.method === "POST")).toHaveLength(1);
  });

  const hostile: Array<{ name: string; artifact: Parameters<FakeWorkflowArtifacts["artifacts"]>[0][number]; reason: RegExp }> = [
    {
      name: "a zip bomb (declares 4 GB)",
      artifact: { name: "coverage", zip: declareSize(zipSync({ "coverage.xml": new Uint8Array(64 * 1024) }), 4_000_000_000) },
      reason: /^Artifact coverage was not read: its files unpack to more than 100 MB \(coverage\.xml alone declares 3814\.7 MB\) \(checks\.coverage\.maxInflatedBytes\)/,
    },
    { name: "a corrupt zip", artifact: { name: "coverage", zip: strToU8("this is not a zip") }, reason: /^Artifact coverage was not read: it is not a readable zip/ },
    { name: "a 0-byte artifact", artifact: { name: "coverage", zip: new Uint8Array(0) }, reason: /^Artifact coverage was not read: the download is empty \(0 bytes\)/ },
    { name: "an artifact listed as expired", artifact: { name: "coverage", expired: true, sizeInBytes: 1000 }, reason: /^Artifact coverage has expired \(on 2027-02-26T10:00:00Z\); run the workflow again/ },
    { name: "an artifact that expired after the list (410)", artifact: { name: "coverage", sizeInBytes: 1000, downloadStatus: 410 }, reason: /^Artifact coverage has expired \(GitHub answered 410 Gone\)/ },
    { name: "an artifact over the size limit", artifact: { name: "coverage", sizeInBytes: 60 * 1024 * 1024 }, reason: /^Artifact coverage is 62,914,560 bytes, over the limit of 52,428,800 \(checks\.coverage\.maxArtifactBytes\); not downloaded/ },
    {
      name: "XML declaring entities (billion laughs)",
      artifact: { name: "coverage", zip: zipOf({ "coverage.xml": `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><coverage>&b;</coverage>` }) },
      reason: /^Coverage\/coverage\.xml is not valid Cobertura XML: it declares XML entities/,
    },
    { name: "an unknown format", artifact: { name: "coverage", zip: zipOf({ "coverage.json": `{"total": 80}` }) }, reason: /^Artifact coverage holds no report in a format iact-bot reads \(Cobertura XML, lcov, JUnit XML\): coverage\.json/ },
  ];

  it.each(hostile)("$name: a neutral run saying which artifact and why, and the delivery done", async ({ artifact, reason }) => {
    const github = new FakeGitHub(OWNER, REPO).noConfig();
    new FakeWorkflowArtifacts(OWNER, REPO, RUN_ID).artifacts([artifact]);
    const row = await deliver(workflowRunCompleted({ pullRequest: 12 }));
    expect(row.status).toBe("done");
    const completed = github.completed(COVERAGE)!;
    expect(completed.body.conclusion).toBe("neutral");
    // The title is the reason; the summary lists it too (Markdown-escaped).
    expect(completed.body.output.title).toMatch(reason);
    expect(completed.body.output.summary).toContain("found no report it could read in the workflow [CI run #36]");
    expect(github.pending()).toEqual([]);
  });

  it("drops a download that streams past the limit, whatever size the list declared", async () => {
    const github = new FakeGitHub(OWNER, REPO).config("checks:\n  coverage:\n    maxArtifactBytes: 1048576\n");
    // Listed as 1,000 bytes; storage serves 2 MB.
    const artifacts = new FakeWorkflowArtifacts(OWNER, REPO, RUN_ID).artifacts([{ name: "coverage", sizeInBytes: 1000, zip: new Uint8Array(2 * 1024 * 1024).fill(7) }]);
    await deliver(workflowRunCompleted({ pullRequest: 12 }));
    expect(artifacts.downloads).toEqual(["coverage"]);
    expect(github.completed(COVERAGE)!.body).toMatchObject({ conclusion: "neutral", output: { title: "Artifact coverage is larger than the limit of 1 MB (checks.coverage.maxArtifactBytes)" } });
  });

  it("records the run as a deployment even when the coverage gate fails (each feature runs to its end)", async () => {
    const github = new FakeGitHub(OWNER, REPO).config("dora:\n  deployments:\n    workflows:\n      - workflow: CI\n        environment: production\n");
    nock("https://api.github.com").get(`/repos/${OWNER}/${REPO}/actions/runs/${RUN_ID}/artifacts`).query(true).reply(502, { message: "Server Error" });
    // Capture's calls: the first deployment's one commit, and the pull requests behind it (none).
    const author = { name: "Codertocat", email: "octocat@github.com", date: "2026-11-28T09:00:00Z" };
    nock("https://api.github.com").get(`/repos/${OWNER}/${REPO}/commits/${SHA}`).reply(200, { sha: SHA, commit: { author, committer: author, message: "Add the cart" }, parents: [] });
    nock("https://api.github.com").get(`/repos/${OWNER}/${REPO}/commits/${SHA}/pulls`).query(true).reply(200, []);
    const row = await deliver(workflowRunCompleted());
    expect(row.status).toBe("pending");
    // Only the coverage gate failed; the retry repeats capture harmlessly (it is idempotent).
    expect(row.lastError).toBe("HttpError: Server Error");
    const deployments = await service.prisma.doraDeployment.findMany();
    expect(deployments.map((deployment) => ({ sha: deployment.sha, environment: deployment.environment }))).toEqual([{ sha: SHA, environment: "production" }]);
    expect(github.runsNamed(COVERAGE)).toEqual([]);
  });

  it("cancels its run and retries the delivery when GitHub fails mid-way", async () => {
    const github = new FakeGitHub(OWNER, REPO).noConfig();
    new FakeWorkflowArtifacts(OWNER, REPO, RUN_ID).artifacts([{ name: "coverage", zip: zipOf({ "lcov.info": LCOV_90 }) }]);
    nock("https://api.github.com").get(`/repos/${OWNER}/${REPO}/pulls/12/files`).query(true).reply(502, { message: "Server Error" });
    const row = await deliver(workflowRunCompleted({ pullRequest: 12 }));
    expect(row.status).toBe("pending");
    expect(row.lastError).toMatch(/Server Error/);
    const completed = github.completed(COVERAGE)!;
    expect(completed.body).toMatchObject({ conclusion: "cancelled", output: { title: "Could not finish; will retry" } });
    expect(github.leftInProgress()).toEqual([]);
  });
});
