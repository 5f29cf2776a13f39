// `iact-bot inbox status|retry`: what the webhook inbox holds, and putting
// deliveries that failed for good back in the queue once their cause is fixed
// (rejected ones, whose payload failed validation, only when asked: they
// need an upgrade that accepts them, not another try).
import type { Command } from "commander";
import { InboxStore } from "../inbox/inbox-store.js";
import { withDatabase } from "./with-database.js";
import { cliActor } from "./actor.js";
import { appendAudit } from "../store/audit-log.js";

function withInbox<T>(work: (inbox: InboxStore) => Promise<T>): Promise<T> {
  return withDatabase((prisma) => work(new InboxStore(prisma)));
}

export function inboxCommands(program: Command): void {
  const inbox = program.command("inbox").description("inspect and repair the webhook inbox");
  inbox
    .command("status")
    .description("count deliveries by status (pending, processing, done, failed, rejected)")
    .action(async () => {
      const counts = await withInbox((store) => store.counts());
      for (const [status, count] of Object.entries(counts)) console.log(`${status}\t${count}`);
    });
  inbox
    .command("retry")
    .description("queue failed deliveries again (all of them, or those named)")
    .option("--delivery <id...>", "X-GitHub-Delivery ids to retry")
    .option("--rejected", "also queue deliveries whose payload was rejected (after an upgrade that accepts them)")
    .action(async (options: { delivery?: string[]; rejected?: boolean }) => {
      const includeRejected = options.rejected === true;
      const count = await withDatabase(async (prisma) => {
        const queued = await new InboxStore(prisma).retryFailed(options.delivery, { includeRejected });
        await appendAudit(prisma, {
          actor: cliActor(),
          action: "inbox.retried",
          target: "webhook_deliveries",
          details: { queued, deliveries: options.delivery ?? "all", include_rejected: includeRejected },
        });
        return queued;
      });
      console.log(`${count} ${options.rejected ? "failed or rejected" : "failed"} deliveries queued again`);
    });
}
