// Repository checks end to end: signed webhooks into the real service (HTTP
// server, MariaDB inbox, worker, Probot), GitHub's API faked with nock, and
// the check-run calls asserted: runs created in_progress, annotations 50 per
// update, conclusions, summaries and links, invalid configuration, a check
// turned off, re-runs, the blob cache and a GitHub failure.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { truncateAllTables } from "../../support/database.js";
import { TEST_APP_ID } from "../../support/github-app.js";
import { deliverQueued, deliveryHandled, startTestService, waitFor } from "../../support/service.js";
import { exampleFor } from "../../support/webhook-examples.js";
import { API, FakeGitHub, gitBlobSha, INSTALLATION, SECONDARY_RATE_LIMIT_MESSAGE, pullRequestOpened, type Files } from "../../support/fake-checks-api.js";

const RULES_DOCS = "https://github.com/iact-bot/iact-bot/blob/main/docs/rules/";

/** 120 send_mail calls (120 failures) + a Redis pin (1 failure) + docs with a broken link and a missing anchor. */
function violatingRepository(): Files {
  const calls = Array.from({ length: 120 }, (_, index) => `send_mail("subject ${index}", "body", "from@example.com", ["to@example.com"])`);
  return {
    "app/mail.py": ["from django.core.mail import send_mail", ...calls, ""].join("\n"),
    "requirements.txt": "Django==5.0\nredis==5.0.1\n",
    "docs/INDICE.md": "# Index\n\n- [Guide](guide.md)\n",
    "docs/guide.md": "# Guide\n\nSee [missing](nope.md) and [here](#nowhere).\n",
  };
}

function compliantRepository(): Files {
  return {
    "requirements.txt": "Django==5.0\n",
    "app/views.py": "def index(request):\n    return None\n",
    "docs/INDICE.md": "# Index\n\n- [Guide](guide.md)\n",
    "docs/guide.md": "# Guide\n\nBack to the [index](INDICE.md).\n",
  };
}

/** Requests to GitHub that no interceptor answered (nock refuses them: net connect is off). */
function recordUnmatchedRequests(): { requests: string[]; stop: () => void } {
  const requests: string[] = [];
  const listener = (request: { method?: string; path?: string; href?: string; url?: string }) => {
    const url = request.href ?? request.url ?? request.path ?? "?";
    // The webhook deliveries to the service under test pass through nock too.
    if (!/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) requests.push(`${request.method ?? "?"} ${url}`);
  };
  nock.emitter.on("no match", listener);
  return { requests, stop: () => nock.emitter.removeListener("no match", listener) };
}

async function waitForDelivery(service: RunningService, deliveryId: string, status = "done") {
  return waitFor(async () => {
    const row = await service.prisma.webhookDelivery.findUnique({ where: { deliveryId } });
    return row && row.status === status && row.attempts > 0 ? row : undefined;
  }, 15_000, `delivery ${deliveryId} to be ${status}`);
}

describe("repository checks as check runs", () => {
  let service: RunningService;

  beforeEach(async () => {
    await truncateAllTables();
    nock.cleanAll();
    service = await startTestService(process.env.CHECKS_DEBUG ? { log: (await import("pino")).default({ level: "debug" }) } : {});
  });

  afterEach(async () => {
    await service.stop();
    nock.cleanAll();
  });

  it("runs every check on a pull request: in_progress, annotations 50 per update, conclusion, summary with links", async () => {
    const sha = "a10867b14bb761a232cd80139fbd4c0d33264240";
    const files = violatingRepository();
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig().tree(sha, files);

    const deliveryId = await deliverQueued(service, "pull_request", pullRequestOpened(sha));
    await waitForDelivery(service, deliveryId);

    // Created in progress on the head sha.
    const creates = github.checkRuns.filter((call) => call.method === "POST");
    expect(creates.map((call) => call.body.name).sort()).toEqual(["iact/docs", "iact/restrictions", "iact/security"]);
    for (const create of creates) expect(create.body).toMatchObject({ head_sha: sha, status: "in_progress" });

    // 121 restriction findings: PATCHes of 50, 50 and 21, the last one completing the run.
    const restrictions = github.runsNamed("iact/restrictions").filter((call) => call.method === "PATCH");
    expect(restrictions.map((call) => call.body.output.annotations.length)).toEqual([50, 50, 21]);
    expect(restrictions.map((call) => call.body.status)).toEqual([undefined, undefined, "completed"]);
    const completed = restrictions[2]!.body;
    expect(completed.conclusion).toBe("failure");
    expect(completed.output.title).toBe("121 failures");
    const firstAnnotation = restrictions[0]!.body.output.annotations[0];
    expect(firstAnnotation).toMatchObject({ path: "app/mail.py", start_line: 2, end_line: 2, start_column: 1, annotation_level: "failure", title: "no-email-sending" });
    const summary: string = completed.output.summary;
    expect(summary).toContain("| Rule | Level | Findings | Documentation |");
    expect(summary).toContain(`| \`no-email-sending\` No email sending \\(SMTP\\) in Python code | failure | 120 | [no-email-sending](${RULES_DOCS}restrictions.md#no-email-sending) |`);
    expect(summary).toContain(`| \`no-redis-dependency\` No Redis in dependencies | failure | 1 |`);
    expect(summary).toContain(`[L2](https://github.com/Codertocat/Hello-World/blob/${sha}/app/mail.py#L2)`);
    expect(summary).toContain(`**[requirements.txt](https://github.com/Codertocat/Hello-World/blob/${sha}/requirements.txt)**`);
    expect(summary.length).toBeLessThanOrEqual(65_535);

    // Docs: a broken link (failure) and a missing anchor (warning) in one completing PATCH.
    const docs = github.runsNamed("iact/docs").filter((call) => call.method === "PATCH");
    expect(docs).toHaveLength(1);
    expect(docs[0]!.body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 failure, 1 warning" } });
    expect(docs[0]!.body.output.annotations.map((annotation: { title: string }) => annotation.title)).toEqual(["broken-link", "missing-anchor"]);
    expect(docs[0]!.body.output.summary).toContain(`[broken-link](${RULES_DOCS}docs.md#broken-link)`);

    // Security: no secret, no settings module, no audit model in this repository.
    expect(github.completed("iact/security")?.body).toMatchObject({ conclusion: "success", output: { title: "No problems found" } });

    expect(github.pending()).toEqual([]);
  });

  it("does not fetch a blob twice: a second run over unchanged files reads the tree only (config cached too)", async () => {
    const files = violatingRepository();
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig().tree("1111111111111111111111111111111111111111", files);
    await waitForDelivery(service, await deliverQueued(service, "pull_request", pullRequestOpened("1111111111111111111111111111111111111111")));
    expect(github.blobRequests).toHaveLength(4);

    // A new commit whose files are the same blobs: only the tree is mocked, so any blob or config call would fail the run.
    github.tree("2222222222222222222222222222222222222222", files, { blobs: false });
    const synchronize = pullRequestOpened("2222222222222222222222222222222222222222");
    (synchronize as { action: string }).action = "synchronize";
    await waitForDelivery(service, await deliverQueued(service, "pull_request", synchronize));
    expect(github.blobRequests).toHaveLength(4);
    const second = github.checkRuns.filter((call) => call.method === "POST" && call.body.head_sha === "2222222222222222222222222222222222222222");
    expect(second).toHaveLength(3);
    expect(github.completed("iact/restrictions")?.body.conclusion).toBe("failure");
    expect(github.pending()).toEqual([]);
  });

  it("completes every run with the problems and their lines when .github/iact.yml is invalid", async () => {
    const sha = "3333333333333333333333333333333333333333";
    const config = ["checks:", "  docs:", "    root: docs", "  restrictions:", "    enabeld: false", ""].join("\n");
    // Read once through the config plugin, once raw to place the problem.
    const github = new FakeGitHub("Codertocat", "Hello-World").config(config, 2);

    const deliveryId = await deliverQueued(service, "pull_request", pullRequestOpened(sha));
    await waitForDelivery(service, deliveryId);

    expect(github.checkRuns.map((call) => call.method)).toEqual(["POST", "POST", "POST"]);
    for (const name of ["iact/restrictions", "iact/docs", "iact/security"]) {
      const run = github.completed(name)!.body;
      expect(run).toMatchObject({ head_sha: sha, status: "completed", conclusion: "failure", output: { title: "Invalid .github/iact.yml" } });
      expect(run.output.summary).toContain(`[5](https://github.com/Codertocat/Hello-World/blob/${sha}/.github/iact.yml#L5)`);
      expect(run.output.summary).toContain("`checks.restrictions.enabeld` | unknown setting \"enabeld\"");
      expect(run.output.annotations).toEqual([
        {
          path: ".github/iact.yml",
          start_line: 5,
          end_line: 5,
          start_column: 5,
          end_column: 5,
          annotation_level: "failure",
          message: 'checks.restrictions.enabeld: unknown setting "enabeld"',
          title: "Invalid .github/iact.yml",
        },
      ]);
    }
    expect(github.pending()).toEqual([]);

    // The audit log: the runs published, and the configuration rejected, by the delivery's sender.
    const audit = await service.prisma.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(audit.map(({ actor, action, target, requestId }) => ({ actor, action, target, requestId }))).toEqual([
      { actor: "github:Codertocat", action: "check_runs.published", target: `Codertocat/Hello-World@${sha}`, requestId: deliveryId },
      { actor: "github:Codertocat", action: "configuration.rejected", target: `Codertocat/Hello-World@${sha}`, requestId: deliveryId },
    ]);
    expect(audit[1]!.details).toEqual({ file: ".github/iact.yml", trigger: "pull_request.opened" });
  });

  it("skips a check turned off in the configuration, on a push to the default branch", async () => {
    const push = exampleFor("push");
    const sha = "4444444444444444444444444444444444444444";
    push.ref = "refs/heads/master";
    push.after = sha;
    push.deleted = false;
    (push as { installation?: unknown }).installation = INSTALLATION;
    const github = new FakeGitHub("Codertocat", "Hello-World").config("checks:\n  docs:\n    enabled: false\n  security:\n    enabled: false\n")
      // Only what the restrictions rules read: the manifest and the Python file, no Markdown (security, which reads every file, is off too).
      .tree(sha, compliantRepository(), { blobs: ["requirements.txt", "app/views.py"] });

    await waitForDelivery(service, await deliverQueued(service, "push", push));

    expect(github.completed("iact/docs")!.body).toMatchObject({
      head_sha: sha,
      conclusion: "skipped",
      output: { title: "Turned off in .github/iact.yml" },
    });
    expect(github.runsNamed("iact/docs")).toHaveLength(1);
    expect(github.completed("iact/security")?.body.conclusion).toBe("skipped");
    const restrictions = github.completed("iact/restrictions")!.body;
    expect(restrictions).toMatchObject({ conclusion: "success", output: { title: "No problems found" } });
    expect(restrictions.output.annotations).toBeUndefined();
    expect(github.pending()).toEqual([]);
  });

  it("reads .github/iact.yml again after a push to the default branch changes it", async () => {
    const push = exampleFor("push");
    push.ref = "refs/heads/master";
    push.deleted = false;
    (push as { installation?: unknown }).installation = INSTALLATION;
    const firstSha = "6666666666666666666666666666666666666666";
    const secondSha = "7777777777777777777777777777777777777777";
    const github = new FakeGitHub("Codertocat", "Hello-World")
      .config("checks:\n  docs:\n    enabled: false\n  security:\n    enabled: false\n")
      .tree(firstSha, compliantRepository(), { blobs: ["requirements.txt", "app/views.py"] });
    push.after = firstSha;
    push.commits = [];
    await waitForDelivery(service, await deliverQueued(service, "push", push));
    expect(github.completed("iact/docs")?.body.conclusion).toBe("skipped");

    // The next push turns docs back on: the cached configuration is dropped and read again.
    github.config("checks:\n  docs:\n    enabled: true\n  security:\n    enabled: false\n").tree(secondSha, compliantRepository(), { blobs: ["docs/INDICE.md", "docs/guide.md"] });
    push.after = secondSha;
    const person = { name: "Codertocat", email: "codertocat@example.com", username: "Codertocat" };
    push.commits = [
      {
        id: secondSha,
        tree_id: secondSha,
        distinct: true,
        message: "Turn the docs check back on",
        timestamp: "2026-11-27T12:00:00Z",
        url: `https://github.com/Codertocat/Hello-World/commit/${secondSha}`,
        author: person,
        committer: person,
        added: [],
        removed: [],
        modified: [".github/iact.yml"],
      },
    ];
    await waitForDelivery(service, await deliverQueued(service, "push", push));
    const docsRuns = github.checkRuns.filter((call) => call.method === "POST" && call.body.name === "iact/docs");
    expect(docsRuns.map((call) => [call.body.head_sha, call.body.status])).toEqual([
      [firstSha, "completed"],
      [secondSha, "in_progress"],
    ]);
    expect(github.completed("iact/docs") && github.runsNamed("iact/docs").at(-1)?.body).toMatchObject({ conclusion: "success" });
    expect(github.pending()).toEqual([]);
  });

  it("ignores pushes to other branches and tags", async () => {
    const push = exampleFor("push");
    push.ref = "refs/heads/feature";
    (push as { installation?: unknown }).installation = INSTALLATION;
    const github = new FakeGitHub("Codertocat", "Hello-World");
    await waitForDelivery(service, await deliverQueued(service, "push", push));
    expect(github.checkRuns).toEqual([]);
  });

  it("re-runs our check run as a new run on check_run.rerequested, and ignores other apps' runs", async () => {
    const payload = exampleFor("check_run", "rerequested");
    const sha = payload.check_run.head_sha;
    payload.check_run.name = "iact/restrictions";
    payload.check_run.app.id = Number(TEST_APP_ID);
    const [owner, repo] = payload.repository.full_name.split("/") as [string, string];
    const github = new FakeGitHub(owner, repo).noConfig().tree(sha, compliantRepository(), { blobs: ["requirements.txt", "app/views.py"] });

    await waitForDelivery(service, await deliverQueued(service, "check_run", payload));
    const creates = github.checkRuns.filter((call) => call.method === "POST");
    expect(creates.map((call) => call.body)).toEqual([expect.objectContaining({ name: "iact/restrictions", head_sha: sha, status: "in_progress" })]);
    expect(github.completed("iact/restrictions")?.body).toMatchObject({ conclusion: "success" });
    // Links follow the repository's own host, as given by the payload.
    expect(github.completed("iact/restrictions")?.body.output.summary).toContain("`no-redis-dependency`");

    const foreign = exampleFor("check_run", "rerequested");
    foreign.check_run.name = "iact/restrictions";
    foreign.check_run.app.id = 999;
    await waitForDelivery(service, await deliverQueued(service, "check_run", foreign));
    expect(github.checkRuns.filter((call) => call.method === "POST")).toHaveLength(1);
    expect(github.pending()).toEqual([]);
  });

  it("re-runs every check on check_suite.rerequested for our suite", async () => {
    const payload = exampleFor("check_suite", "rerequested");
    payload.check_suite.app.id = Number(TEST_APP_ID);
    const sha = payload.check_suite.head_sha;
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig().tree(sha, compliantRepository());
    await waitForDelivery(service, await deliverQueued(service, "check_suite", payload));
    expect(github.checkRuns.filter((call) => call.method === "POST").map((call) => call.body.name).sort()).toEqual(["iact/docs", "iact/restrictions", "iact/security"]);
    expect(github.pending()).toEqual([]);
  });

  it("marks the runs cancelled with the error when GitHub fails, and leaves the delivery to be retried", async () => {
    const sha = "5555555555555555555555555555555555555555";
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig();
    nock(API).get(`/repos/Codertocat/Hello-World/git/trees/${sha}`).query({ recursive: "true" }).reply(502, { message: "Server Error" });

    const deliveryId = await deliverQueued(service, "pull_request", pullRequestOpened(sha));
    const row = await waitForDelivery(service, deliveryId, "pending");
    expect(row.lastError).toContain("Server Error");
    for (const name of ["iact/restrictions", "iact/docs"]) {
      expect(github.completed(name)?.body).toMatchObject({ status: "completed", conclusion: "cancelled", output: { title: "Could not finish; will retry" } });
    }
    expect(github.pending()).toEqual([]);
  });

  it("reads a fork's pull request from the base repository at the head sha, and creates the runs there", async () => {
    const sha = "8888888888888888888888888888888888888888";
    const payload = pullRequestOpened(sha);
    const fork = structuredClone(payload.repository);
    Object.assign(fork, { id: 9_999_001, name: "Hello-World", full_name: "forker/Hello-World", fork: true, html_url: "https://github.com/forker/Hello-World" });
    fork.owner = { ...fork.owner, login: "forker", id: 9_999_002 };
    Object.assign(payload.pull_request.head, { repo: fork, label: "forker:feature", ref: "feature", user: fork.owner });
    expect(payload.pull_request.head.repo?.full_name).not.toBe(payload.pull_request.base.repo.full_name);

    // Anything asked of the fork is recorded (and answered 404, as a private fork would be).
    const forkRequests: string[] = [];
    const recordFork = (method: string) => (uri: string) => {
      forkRequests.push(`${method} ${uri}`);
      return { message: "Not Found" };
    };
    nock(API).persist()
      .get(/^\/repos\/forker\//).reply(404, recordFork("GET"))
      .post(/^\/repos\/forker\//).reply(404, recordFork("POST"))
      .patch(/^\/repos\/forker\//).reply(404, recordFork("PATCH"));
    const files = violatingRepository();
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig().tree(sha, files);

    await waitForDelivery(service, await deliverQueued(service, "pull_request", payload));

    expect(forkRequests).toEqual([]);
    // The base repository's tree at the head sha (refs/pull/N/head lives there), and its blobs.
    expect(github.blobRequests.sort()).toEqual(Object.values(files).map(gitBlobSha).sort());
    const creates = github.checkRuns.filter((call) => call.method === "POST");
    expect(creates.map((call) => [call.body.name, call.body.head_sha]).sort()).toEqual([
      ["iact/docs", sha],
      ["iact/restrictions", sha],
      ["iact/security", sha],
    ]);
    expect(github.completed("iact/restrictions")?.body.output.summary).toContain(`https://github.com/Codertocat/Hello-World/blob/${sha}/app/mail.py#L2`);
    expect(github.leftInProgress()).toEqual([]);
    expect(github.pending().filter((mock) => !mock.includes("forker"))).toEqual([]);
  });

  it("walks the sub-trees of a truncated tree and annotates findings only they list", async () => {
    const sha = "9999999999999999999999999999999999999999";
    // The recursive listing stops at the root's files: app/ and docs/ are only seen by walking them, docs/ a level at a time.
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig().truncatedTree(sha, violatingRepository(), { truncatedFolders: ["docs"] });

    await waitForDelivery(service, await deliverQueued(service, "pull_request", pullRequestOpened(sha)));

    const restrictions = github.annotations("iact/restrictions");
    expect(restrictions.filter((annotation) => annotation.path === "app/mail.py" && annotation.title === "no-email-sending")).toHaveLength(120);
    expect(restrictions.filter((annotation) => annotation.path === "requirements.txt")).toHaveLength(1);
    expect(github.annotations("iact/docs").map((annotation) => [annotation.path, annotation.title])).toEqual([
      ["docs/guide.md", "broken-link"],
      ["docs/guide.md", "missing-anchor"],
    ]);
    expect(github.completed("iact/restrictions")?.body).toMatchObject({ conclusion: "failure", output: { title: "121 failures" } });
    expect(github.completed("iact/docs")?.body).toMatchObject({ conclusion: "failure", output: { title: "1 failure, 1 warning" } });
    expect(github.pending()).toEqual([]);
  });

  it("posts 500 annotations (10 PATCHes of 50), failures first, and says how many more were not shown", async () => {
    const sha = "abababababababababababababababababababab";
    const calls = Array.from({ length: 600 }, (_, index) => `send_mail("subject ${index}", "body", "from@example.com", ["to@example.com"])`);
    const files: Files = {
      ...compliantRepository(),
      // Found first by the engine (app/ sorts before requirements.txt), but only warnings.
      "app/mail.py": ["from django.core.mail import send_mail", ...calls, ""].join("\n"),
      "requirements.txt": "Django==5.0\nredis==5.0.1\n",
    };
    const github = new FakeGitHub("Codertocat", "Hello-World")
      .config("checks:\n  restrictions:\n    rules:\n      no-email-sending: warning\n")
      .tree(sha, files);

    await waitForDelivery(service, await deliverQueued(service, "pull_request", pullRequestOpened(sha)));

    const patches = github.runsNamed("iact/restrictions").filter((call) => call.method === "PATCH");
    expect(patches.map((call) => call.body.output.annotations.length)).toEqual(Array(10).fill(50));
    expect(patches.map((call) => call.body.status)).toEqual([...Array(9).fill(undefined), "completed"]);
    const annotations = github.annotations("iact/restrictions");
    expect(annotations).toHaveLength(500);
    expect(annotations[0]).toMatchObject({ path: "requirements.txt", annotation_level: "failure", title: "no-redis-dependency" });
    expect(annotations.slice(1).every((annotation) => annotation.annotation_level === "warning")).toBe(true);
    const completed = patches.at(-1)!.body;
    expect(completed).toMatchObject({ conclusion: "failure", output: { title: "1 failure, 600 warnings" } });
    const summary: string = completed.output.summary;
    expect(summary).toContain("601 findings: the first 500 are annotated on the files, 101 more not shown as annotations");
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(github.completed("iact/docs")?.body.conclusion).toBe("success");
    expect(github.pending()).toEqual([]);
  });

  it("does nothing at all, not even a token request, for a push to another branch", async () => {
    const push = exampleFor("push");
    push.ref = "refs/heads/feature";
    push.after = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";
    push.deleted = false;
    push.commits = [];
    expect(push.repository.default_branch).not.toBe("feature");
    (push as { installation?: unknown }).installation = INSTALLATION;
    const unmatched = recordUnmatchedRequests();
    try {
      const row = await deliveryHandled(service, await deliverQueued(service, "push", push));
      expect(unmatched.requests).toEqual([]);
      expect(row).toMatchObject({ status: "done", lastError: null });
    } finally {
      unmatched.stop();
    }
  });

  it("runs no check for a closed pull request", async () => {
    const payload = exampleFor("pull_request", "closed");
    (payload as { installation?: unknown }).installation = INSTALLATION;
    // DORA capture handles every pull_request event and may read the configuration: only the checks' calls are refused.
    const github = new FakeGitHub("Codertocat", "Hello-World");
    nock(API).get(new RegExp("^/repos/Codertocat/Hello-World/contents/")).optionally().reply(404, { message: "Not Found" });
    nock(API).get(new RegExp("^/repos/Codertocat/\\.github/contents/")).optionally().reply(404, { message: "Not Found" });
    const unmatched = recordUnmatchedRequests();
    try {
      const row = await deliveryHandled(service, await deliverQueued(service, "pull_request", payload));
      expect(github.checkRuns).toEqual([]);
      // Nothing else was asked of GitHub: no tree, no blob, no tarball.
      expect(unmatched.requests).toEqual([]);
      expect(row).toMatchObject({ status: "done", lastError: null });
    } finally {
      unmatched.stop();
    }
  });

  it("completes the run cancelled on a secondary rate limit while reading a blob, and puts the delivery back to pending with the error", async () => {
    const sha = "efefefefefefefefefefefefefefefefefefefef";
    const files = compliantRepository();
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig().tree(sha, files, { blobs: ["docs/INDICE.md", "docs/guide.md"] });
    const message = SECONDARY_RATE_LIMIT_MESSAGE;
    nock(API)
      .get(`/repos/Codertocat/Hello-World/git/blobs/${gitBlobSha(files["requirements.txt"]!)}`)
      .reply(403, { message, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" }, { "retry-after": "60" });
    // The engine may stop at the first failed read, before or after this one.
    nock(API)
      .get(`/repos/Codertocat/Hello-World/git/blobs/${gitBlobSha(files["app/views.py"]!)}`)
      .optionally()
      .reply(200, { content: Buffer.from(files["app/views.py"]!).toString("base64"), encoding: "base64" });

    const deliveryId = await deliverQueued(service, "pull_request", pullRequestOpened(sha));
    const row = await waitForDelivery(service, deliveryId, "pending");

    const restrictions = github.runsNamed("iact/restrictions");
    expect(restrictions.map((call) => [call.method, call.body.status])).toEqual([
      ["POST", "in_progress"],
      ["PATCH", "completed"],
    ]);
    expect(restrictions[1]!.body).toMatchObject({ conclusion: "cancelled", output: { title: "Could not finish; will retry" } });
    expect(restrictions[1]!.body.output.summary).toContain("secondary rate limit");
    expect(github.completed("iact/docs")?.body.conclusion).toBe("success");
    expect(github.leftInProgress()).toEqual([]);
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("secondary rate limit");
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1_000);
    expect(github.pending()).toEqual([]);
  });

  it("cancels the runs already created when GitHub refuses to create the next one, and retries the delivery", async () => {
    const sha = "1212121212121212121212121212121212121212";
    // No tree is mocked: nothing is read once a run cannot be created.
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig();
    github.refuseCreating.add("iact/docs");

    const row = await waitForDelivery(service, await deliverQueued(service, "pull_request", pullRequestOpened(sha)), "pending");

    expect(github.runsNamed("iact/restrictions").map((call) => [call.method, call.body.status, call.body.conclusion])).toEqual([
      ["POST", "in_progress", undefined],
      ["PATCH", "completed", "cancelled"],
    ]);
    expect(github.leftInProgress()).toEqual([]);
    expect(row.lastError).toContain("secondary rate limit");
    expect(github.pending()).toEqual([]);
  });

  it("creates no check run with IACT_CHECKS_ENABLED=false, and still captures the push's commits", async () => {
    await service.stop();
    service = await startTestService({ env: { IACT_CHECKS_ENABLED: "false" } });
    const push = exampleFor("push");
    push.ref = `refs/heads/${push.repository.default_branch}`;
    push.deleted = false;
    push.after = "abababababababababababababababababababab";
    const person = { name: "Codertocat", email: "codertocat@example.com", username: "Codertocat" };
    const url = `https://github.com/Codertocat/Hello-World/commit/${push.after}`;
    push.commits = [{ id: push.after, tree_id: push.after, distinct: true, message: "Capture me", timestamp: "2026-11-28T10:00:00Z", url, author: person, committer: person, added: ["app.py"], removed: [], modified: [] }];
    (push as { installation?: unknown }).installation = INSTALLATION;
    const github = new FakeGitHub("Codertocat", "Hello-World").noConfig();
    const unmatched = recordUnmatchedRequests();
    try {
      const row = await deliveryHandled(service, await deliverQueued(service, "push", push));
      expect(row).toMatchObject({ status: "done", lastError: null });
      expect(github.checkRuns).toEqual([]);
      expect(unmatched.requests).toEqual([]);
      expect(await service.prisma.doraCommit.findMany({ select: { sha: true, message: true } })).toEqual([{ sha: push.after, message: "Capture me" }]);
    } finally {
      unmatched.stop();
    }
  });
});
