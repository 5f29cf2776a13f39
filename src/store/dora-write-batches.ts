// Group commit for the DORA writes that every delivery makes (a deployment
// with its statuses, a push's commits): the deliveries the worker handles
// side by side hand in their facts, and those that arrive while a write is in
// flight go together in the next one (src/lib/group-commit.ts), a handful of
// multi-row statements for all of them instead of several per delivery. Each
// caller still gets its own row back, only after it is written.
//
// The rows are those of the one-at-a-time writers (dora-writer.ts) whatever
// the grouping: every write is an upsert on a natural key and the summaries
// are recomputed from all stored statuses. A group that cannot be written
// together (a bad row, a deadlock that outlived its retries) is written one
// item at a time, so that one item's failure stays its own and never fails
// or loses its neighbours.
import { GroupCommit, settle } from "../lib/group-commit.js";
import type { Settled } from "../lib/group-commit.js";
import type { CommitObservation, DeploymentFacts } from "./capture-facts.js";
import { retryingDoraWriteConflicts } from "./dora-batch-writer.js";
import { recordCommits, recordDeploymentStatuses, recordDeployments, upsertDeployment } from "./dora-writer.js";
import type { DoraDeployment } from "./generated/client.js";
import type { PrismaClient } from "./prisma.js";

/** Most deliveries' facts in one group: keeps each statement well under max_allowed_packet. */
const GROUP_ITEMS = 64;
/** Most commits in one group (a push carries at most 20; a PR's commit list up to 250). */
const GROUP_COMMITS = 2_000;

export class DoraWriteBatches {
  private readonly deployments = new GroupCommit<DeploymentFacts, DoraDeployment>({
    flush: (batch) => this.writeDeployments(batch),
    maxItems: GROUP_ITEMS,
  });
  private readonly commitLists = new GroupCommit<readonly CommitObservation[], void>({
    flush: (batch) => this.writeCommits(batch),
    maxItems: GROUP_ITEMS,
    maxBytes: GROUP_COMMITS,
    sizeOf: (commits) => commits.length,
  });

  constructor(private readonly prisma: PrismaClient) {}

  /** Upserts the deployment and its statuses; resolves with its row once written. */
  deployment(facts: DeploymentFacts): Promise<DoraDeployment> {
    return this.deployments.submit(facts);
  }

  /** Stores commits (the first copy of each stays). */
  async commits(commits: readonly CommitObservation[]): Promise<void> {
    if (commits.length > 0) await this.commitLists.submit(commits);
  }

  /** Groups written (for tests and benchmarks): deployments, commit lists. */
  counters() {
    return { deployments: this.deployments.counters(), commits: this.commitLists.counters() };
  }

  private async writeDeployments(batch: DeploymentFacts[]): Promise<Array<Settled<DoraDeployment>>> {
    if (batch.length > 1) {
      const together = await settle(retryingDoraWriteConflicts(() => recordDeployments(this.prisma, batch)));
      if (together.ok) return together.value.map((row) => ({ ok: true, value: row }));
    }
    const results: Array<Settled<DoraDeployment>> = [];
    for (const facts of batch) {
      results.push(await settle(upsertDeployment(this.prisma, facts.deployment).then((id) => recordDeploymentStatuses(this.prisma, id, facts.statuses))));
    }
    return results;
  }

  private async writeCommits(batch: Array<readonly CommitObservation[]>): Promise<Array<Settled<void>>> {
    if (batch.length > 1) {
      const together = await settle(retryingDoraWriteConflicts(() => recordCommits(this.prisma, batch.flat())));
      if (together.ok) return batch.map(() => ({ ok: true, value: undefined }));
    }
    const results: Array<Settled<void>> = [];
    for (const commits of batch) results.push(await settle(recordCommits(this.prisma, commits)));
    return results;
  }
}
