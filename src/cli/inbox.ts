// `iact-bot inbox status|retry`: what the webhook inbox holds, and putting
// deliveries that failed for good back in the queue once their cause is fixed.
import type { Command } from "commander";
import { InboxStore } from "../inbox/inbox-store.js";
import { withDatabase } from "./with-database.js";

function withInbox<T>(work: (inbox: InboxStore) => Promise<T>): Promise<T> {
  return withDatabase((prisma) => work(new InboxStore(prisma)));
}

export function inboxCommands(program: Command): void {
  const inbox = program.command("inbox").description("inspect and repair the webhook inbox");
  inbox
    .command("status")
    .description("count deliveries by status (pending, processing, done, failed)")
    .action(async () => {
      const counts = await withInbox((store) => store.counts());
      for (const [status, count] of Object.entries(counts)) console.log(`${status}\t${count}`);
    });
  inbox
    .command("retry")
    .description("queue failed deliveries again (all of them, or those named)")
    .option("--delivery <id...>", "X-GitHub-Delivery ids to retry")
    .action(async (options: { delivery?: string[] }) => {
      const count = await withInbox((store) => store.retryFailed(options.delivery));
      console.log(`${count} failed deliveries queued again`);
    });
}
