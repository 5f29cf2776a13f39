// A small in-memory GitHub repository for DORA capture tests: a commit graph,
// pull requests, deployments with statuses and issues. It answers the REST
// endpoints capture and backfill call (through nock), and renders the same
// history as webhook deliveries built on GitHub's published examples.
import nock from "nock";
import { exampleFor } from "../../support/webhook-examples.js";

export const OWNER = "acme";
export const NAME = "shop";
export const REPO = `${OWNER}/${NAME}`;
export const INSTALLATION_ID = 4242;
export const API = "https://api.github.com";

export function at(text: string): string {
  return new Date(`${text.replace(" ", "T")}:00Z`).toISOString().replace(".000Z", "Z");
}

/** A readable 40-hex sha from a seed. */
export function sha(seed: string): string {
  const hex = Buffer.from(seed).toString("hex");
  return hex.repeat(Math.ceil(40 / hex.length)).slice(0, 40);
}

interface FakeCommit { sha: string; parents: string[]; authoredAt: string; message: string }
interface FakeReview { id: number; login: string; state: string; submittedAt?: string }
interface FakePull { number: number; title: string; head: string; commits: string[]; openedAt: string; mergedAt?: string; mergeCommit?: string; labels: string[]; body?: string; author: string; reviews: FakeReview[] }
interface FakeStatus { id: number; state: string; createdAt: string }
interface FakeDeployment { id: number; sha: string; environment: string; createdAt: string; statuses: FakeStatus[] }
interface FakeIssue { number: number; title: string; body: string; openedAt: string; closedAt?: string; labels: string[]; history: Array<{ action: string; at: string; labels: string[]; closedAt?: string; label?: string }> }

export interface Delivery { event: string; payload: Record<string, unknown>; at: string }

export class FakeRepo {
  readonly commits = new Map<string, FakeCommit>();
  readonly pulls: FakePull[] = [];
  readonly deployments: FakeDeployment[] = [];
  readonly issues: FakeIssue[] = [];
  private nextStatusId = 9000;
  /** Calls received, by "METHOD path" (without query). */
  readonly calls: string[] = [];

  /** `name`: the repository under OWNER (benchmarks fake several at once). */
  constructor(readonly name: string = NAME) {}

  get fullName(): string {
    return `${OWNER}/${this.name}`;
  }

  commit(seed: string, parents: string[], authoredAt: string, message: string): string {
    const id = sha(seed);
    this.commits.set(id, { sha: id, parents: parents.map(sha), authoredAt: at(authoredAt), message });
    return id;
  }

  pull(pull: Omit<FakePull, "commits" | "labels" | "author" | "reviews"> & { commits: string[]; labels?: string[]; author?: string }): void {
    this.pulls.push({ ...pull, commits: pull.commits.map(sha), mergeCommit: pull.mergeCommit ? sha(pull.mergeCommit) : undefined, labels: pull.labels ?? [], author: pull.author ?? "dev", reviews: [] });
  }

  /** A review of PR `number`; no submittedAt: a PENDING draft. Listed in the order added. */
  review(number: number, login: string, state: string, submittedAt?: string): void {
    const pull = this.pulls.find((candidate) => candidate.number === number)!;
    pull.reviews.push({ id: 7000 + pull.number * 1000 + pull.reviews.length, login, state, ...(submittedAt ? { submittedAt } : {}) });
  }

  deployment(id: number, shaSeed: string, environment: string, createdAt: string, statuses: Array<[string, string]>): void {
    this.deployments.push({
      id,
      sha: sha(shaSeed),
      environment,
      createdAt: at(createdAt),
      statuses: statuses.map(([state, time]) => ({ id: (this.nextStatusId += 1), state, createdAt: at(time) })),
    });
  }

  issue(issue: FakeIssue): void {
    this.issues.push(issue);
  }

  // --- the commit graph ---------------------------------------------------

  private ancestors(head: string): Set<string> {
    const seen = new Set<string>();
    const stack = [head];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      stack.push(...(this.commits.get(current)?.parents ?? []));
    }
    return seen;
  }

  compare(base: string, head: string): FakeCommit[] {
    const fromBase = this.ancestors(base);
    return [...this.ancestors(head)].filter((id) => !fromBase.has(id)).map((id) => this.commits.get(id)!).sort((a, b) => a.authoredAt.localeCompare(b.authoredAt) || a.sha.localeCompare(b.sha));
  }

  restCommit(commit: FakeCommit) {
    const person = { name: "Dev", email: "dev@example.com", date: commit.authoredAt };
    return { sha: commit.sha, commit: { author: person, committer: person, message: commit.message }, parents: commit.parents.map((id) => ({ sha: id })) };
  }

  restPull(pull: FakePull) {
    const updatedAt = pull.mergedAt ?? pull.openedAt;
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body ?? null,
      state: pull.mergedAt ? "closed" : "open",
      head: { ref: pull.head, sha: pull.commits[pull.commits.length - 1] },
      base: { ref: "main" },
      user: { login: pull.author, id: 1, type: "User" },
      labels: pull.labels.map((name) => ({ name })),
      created_at: pull.openedAt,
      updated_at: updatedAt,
      closed_at: pull.mergedAt ?? null,
      merged_at: pull.mergedAt ?? null,
      merge_commit_sha: pull.mergeCommit ?? null,
    };
  }

  restDeployment(deployment: FakeDeployment) {
    return { id: deployment.id, sha: deployment.sha, ref: "main", environment: deployment.environment, created_at: deployment.createdAt, updated_at: deployment.createdAt };
  }

  restStatus(deployment: FakeDeployment, status: FakeStatus) {
    return { id: status.id, state: status.state, environment: deployment.environment, created_at: status.createdAt, updated_at: status.createdAt };
  }

  restIssue(issue: FakeIssue) {
    const last = issue.history[issue.history.length - 1]!;
    return { number: issue.number, title: issue.title, body: issue.body, labels: last.labels.map((name) => ({ name })), created_at: issue.openedAt, updated_at: last.at, closed_at: last.closedAt ?? null };
  }

  // --- REST, through nock ---------------------------------------------------

  /**
   * Answers every endpoint capture and backfill use, and the reads of the
   * checks on a push (an empty tree, no runs yet); persists until
   * nock.cleanAll(). `latencyMs`: each answer that long late, as GitHub's are.
   */
  intercept(options: { latencyMs?: number } = {}): void {
    const base = `/repos/${OWNER}/${this.name}`;
    nock(API)
      .persist()
      .post(/\/app\/installations\/\d+\/access_tokens/)
      .reply(201, { token: "installation-token", expires_at: "2999-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
    const json = (body: unknown, headers: Record<string, string> = {}) => [200, body, headers] as const;
    nock(API)
      .persist()
      .get((path) => path === base || path.startsWith(`${base}/`))
      .delay(options.latencyMs ?? 0)
      .reply((uri) => {
        const url = new URL(uri, API);
        const path = url.pathname.slice(base.length);
        this.calls.push(`GET ${path}`);
        const query = url.searchParams;
        const paged = <T>(items: T[]) => {
          const perPage = Number(query.get("per_page") ?? 30);
          const page = Number(query.get("page") ?? 1);
          const slice = items.slice((page - 1) * perPage, page * perPage);
          const headers: Record<string, string> = {};
          if (page * perPage < items.length) headers.link = `<${API}${url.pathname}?${new URLSearchParams({ ...Object.fromEntries(query), page: String(page + 1) })}>; rel="next"`;
          return json(slice, headers);
        };
        let match: RegExpExecArray | null;
        if (path === "") return json({ full_name: this.fullName, name: this.name, owner: { login: OWNER }, default_branch: "main" });
        if ((match = /^\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/.exec(path))) {
          const all = this.compare(match[1]!, match[2]!);
          const perPage = Number(query.get("per_page") ?? 250);
          const page = Number(query.get("page") ?? 1);
          return json({ total_commits: all.length, ahead_by: all.length, behind_by: 0, status: "ahead", commits: all.slice((page - 1) * perPage, page * perPage).map((commit) => this.restCommit(commit)), files: [] });
        }
        if ((match = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(path))) {
          const id = match[1]!;
          return json(this.pulls.filter((pull) => pull.commits.includes(id) || pull.mergeCommit === id).map((pull) => this.restPull(pull)));
        }
        if ((match = /^\/commits\/([^/]+)$/.exec(path))) {
          const commit = this.commits.get(match[1]!);
          return commit ? json(this.restCommit(commit)) : [404, { message: "Not Found" }];
        }
        if (path === "/commits") {
          const since = query.get("since") ?? "";
          return paged(this.compare(sha("none"), [...this.commits.values()].sort((a, b) => b.authoredAt.localeCompare(a.authoredAt))[0]!.sha).filter((commit) => commit.authoredAt >= since).reverse().map((commit) => this.restCommit(commit)));
        }
        if ((match = /^\/pulls\/(\d+)\/commits$/.exec(path))) {
          const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
          return paged((pull?.commits ?? []).map((id) => this.restCommit(this.commits.get(id)!)));
        }
        if ((match = /^\/pulls\/(\d+)\/reviews$/.exec(path))) {
          const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
          return paged((pull?.reviews ?? []).map((review) => ({ id: review.id, user: { login: review.login, id: 2, type: "User" }, body: "", state: review.state, ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}), commit_id: pull!.commits[0] })));
        }
        if (path === "/pulls") return paged([...this.pulls].sort((a, b) => (b.mergedAt ?? b.openedAt).localeCompare(a.mergedAt ?? a.openedAt)).map((pull) => this.restPull(pull)));
        if (path === "/issues") {
          const label = (query.get("labels") ?? "").toLowerCase();
          return paged(this.issues.map((issue) => this.restIssue(issue)).filter((issue) => issue.labels.some((each) => each.name.toLowerCase() === label)));
        }
        if ((match = /^\/deployments\/(\d+)\/statuses$/.exec(path))) {
          const deployment = this.deployments.find((candidate) => candidate.id === Number(match![1]))!;
          return paged([...deployment.statuses].reverse().map((status) => this.restStatus(deployment, status)));
        }
        if (path === "/deployments") return paged([...this.deployments].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((deployment) => this.restDeployment(deployment)));
        if (path === "/releases") return paged([]);
        if (path === "/actions/runs") return json({ total_count: 0, workflow_runs: [] });
        // The coverage gate reads every completed run's artifacts: none here.
        if (/^\/actions\/runs\/\d+\/artifacts$/.test(path)) return json({ total_count: 0, artifacts: [] });
        if (path.startsWith("/contents/")) return [404, { message: "Not Found" }];
        if ((match = /^\/git\/trees\/([^/]+)$/.exec(path))) return json({ sha: match[1], url: `${API}${url.pathname}`, tree: [], truncated: false });
        if (/^\/commits\/[^/]+\/check-runs$/.test(path)) return json({ total_count: 0, check_runs: [] });
        return [404, { message: `fake GitHub does not know ${path}` }];
      });
  }

  // --- the same history as webhooks ---------------------------------------

  private withRepo<T extends Record<string, unknown>>(payload: T): T {
    const repository = payload.repository as Record<string, unknown>;
    Object.assign(repository, { full_name: this.fullName, name: this.name, default_branch: "main", owner: { ...(repository.owner as object), login: OWNER } });
    return { ...payload, installation: { id: INSTALLATION_ID, node_id: "x" } };
  }

  /** Every delivery GitHub would have sent, in the order things happened. */
  deliveries(): Delivery[] {
    const deliveries: Delivery[] = [];
    for (const deployment of this.deployments) {
      const rest = this.restDeployment(deployment);
      const created = exampleFor("deployment", "created") as unknown as Record<string, unknown>;
      deliveries.push({ event: "deployment", at: deployment.createdAt, payload: this.withRepo({ ...created, deployment: { ...(created.deployment as object), ...rest } }) });
      for (const status of deployment.statuses) {
        const example = exampleFor("deployment_status", "created") as unknown as Record<string, unknown>;
        deliveries.push({
          event: "deployment_status",
          at: status.createdAt,
          payload: this.withRepo({ ...example, deployment: { ...(example.deployment as object), ...rest }, deployment_status: { ...(example.deployment_status as object), ...this.restStatus(deployment, status) } }),
        });
      }
    }
    for (const pull of this.pulls) {
      const opened = exampleFor("pull_request", "opened") as unknown as Record<string, unknown>;
      const rest = this.restPull(pull);
      const openedCopy = { ...rest, state: "open", updated_at: pull.openedAt, closed_at: null, merged_at: null, merge_commit_sha: null };
      deliveries.push({ event: "pull_request", at: pull.openedAt, payload: this.withRepo({ ...opened, number: pull.number, pull_request: { ...(opened.pull_request as object), ...openedCopy } }) });
      if (pull.mergedAt) {
        const closed = exampleFor("pull_request", "closed") as unknown as Record<string, unknown>;
        deliveries.push({ event: "pull_request", at: pull.mergedAt, payload: this.withRepo({ ...closed, number: pull.number, pull_request: { ...(closed.pull_request as object), ...rest, merged: true } }) });
        const push = exampleFor("push") as unknown as Record<string, unknown>;
        const merged = this.commits.get(pull.mergeCommit!)!;
        deliveries.push({
          event: "push",
          at: pull.mergedAt,
          payload: this.withRepo({ ...push, ref: "refs/heads/main", deleted: false, commits: [{ id: merged.sha, message: merged.message, timestamp: merged.authoredAt, added: [], removed: [], modified: [] }] }),
        });
      }
    }
    for (const issue of this.issues) {
      for (const step of issue.history) {
        const example = exampleFor("issues", "opened") as unknown as Record<string, unknown>;
        const rest = { number: issue.number, title: issue.title, body: issue.body, labels: step.labels.map((name) => ({ name })), created_at: issue.openedAt, updated_at: step.at, closed_at: step.closedAt ?? null };
        deliveries.push({ event: "issues", at: step.at, payload: this.withRepo({ ...example, action: step.action, ...(step.label ? { label: { name: step.label } } : {}), issue: { ...(example.issue as object), ...rest } }) });
      }
    }
    return deliveries.sort((a, b) => a.at.localeCompare(b.at));
  }
}

/** The hand-checked history of capture.test.ts (times UTC). */
export function shopHistory(): FakeRepo {
  const repo = new FakeRepo();
  repo.commit("c0", [], "2024-03-01 09:00", "Initial commit");
  // PR #1, squash-merged: a1, a2 on the branch; s1 on main.
  repo.commit("a1", ["c0"], "2024-03-02 10:00", "Cart model");
  repo.commit("a2", ["a1"], "2024-03-02 14:00", "Cart view");
  repo.commit("s1", ["c0"], "2024-03-03 10:00", "Add cart (#1)");
  repo.pull({ number: 1, title: "Add cart", head: "feature/cart", commits: ["a1", "a2"], openedAt: at("2024-03-02 15:00"), mergedAt: at("2024-03-03 10:00"), mergeCommit: "s1" });
  // PR #2, merge commit: b1 on the branch, m2 merges it.
  repo.commit("b1", ["s1"], "2024-03-03 11:00", "Fix typo");
  repo.commit("m2", ["s1", "b1"], "2024-03-03 12:00", "Merge pull request #2 from acme/typo");
  repo.pull({ number: 2, title: "Fix typo", head: "typo", commits: ["b1"], openedAt: at("2024-03-03 11:10"), mergedAt: at("2024-03-03 12:00"), mergeCommit: "m2" });
  // Reviews. PR #1: a first page of the author's own replies (listed, not
  // counted: pagination and the author rule), a draft, then alice's comment at
  // 19:00 (pickup 4 h, review 15 h to the merge); bob's after the merge is
  // ignored. PR #2: approved at 11:40 (pickup 0.5 h, review 20 min).
  for (let reply = 0; reply < 100; reply += 1) repo.review(1, reply % 2 === 0 ? "dev" : "Dev", "COMMENTED", at("2024-03-02 15:30"));
  repo.review(1, "carol", "PENDING");
  repo.review(1, "alice", "COMMENTED", at("2024-03-02 19:00"));
  repo.review(1, "bob", "APPROVED", at("2024-03-03 09:00"));
  repo.review(1, "bob", "COMMENTED", at("2024-03-03 11:00"));
  repo.review(2, "alice", "APPROVED", at("2024-03-03 11:40"));
  // A direct push.
  repo.commit("d1", ["m2"], "2024-03-03 13:00", "Bump version");

  repo.deployment(100, "c0", "production", "2024-03-01 12:00", [["success", "2024-03-01 12:05"]]);
  repo.deployment(200, "m2", "staging", "2024-03-03 12:20", [["in_progress", "2024-03-03 12:21"], ["success", "2024-03-03 12:30"]]);
  repo.deployment(101, "d1", "Production", "2024-03-03 15:00", [["pending", "2024-03-03 15:00"], ["success", "2024-03-03 16:00"], ["inactive", "2024-03-05 09:00"]]);
  repo.deployment(102, "d1", "production", "2024-03-04 09:00", [["failure", "2024-03-04 09:05"]]);

  repo.issue({
    number: 10,
    title: "Checkout broken",
    body: "Customers cannot pay.\n\nRoot cause: " + sha("s1").slice(0, 7),
    openedAt: at("2024-03-03 18:00"),
    labels: ["Incident"],
    history: [
      { action: "opened", at: at("2024-03-03 18:00"), labels: ["Incident"] },
      { action: "closed", at: at("2024-03-03 20:00"), labels: ["Incident"], closedAt: at("2024-03-03 20:00") },
    ],
  });
  repo.issue({
    number: 11,
    title: "Not really an incident",
    body: "",
    openedAt: at("2024-03-04 10:00"),
    labels: [],
    history: [
      { action: "labeled", at: at("2024-03-04 10:00"), labels: ["incident"], label: "incident" },
      { action: "unlabeled", at: at("2024-03-04 11:00"), labels: [], label: "incident" },
    ],
  });
  return repo;
}
