// Local development: smee.io relays GitHub's deliveries to this machine.
// Deliveries still enter through our own route, signature check included.
import { SmeeClient } from "smee-client";
import type { Logger } from "pino";

export async function startWebhookProxy(source: string, target: string, log: Logger): Promise<{ close(): void }> {
  const client = new SmeeClient({
    source,
    target,
    logger: { info: (...args: unknown[]) => log.info(args.join(" ")), error: (...args: unknown[]) => log.error(args.join(" ")) },
  });
  await client.start();
  log.info({ source, target }, "forwarding webhooks from the smee.io channel");
  return { close: () => void client.stop() };
}
