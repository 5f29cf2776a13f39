// `iact-bot serve`: runs the GitHub App. Without an App ID and private key
// (a new install), it starts Probot's setup flow instead: open the printed
// URL, create the GitHub App from app.yml, and Probot writes .env.
import { run } from "probot";
import { SmeeClient } from "smee-client";
import { loadConfig } from "../config/env.js";
import { startService } from "../service.js";
import { startWebhookProxy } from "./webhook-proxy.js";

export async function serve(): Promise<void> {
  const config = loadConfig();
  if (!config.github) {
    console.log(
      "iact-bot is not registered with GitHub yet (no APP_ID / PRIVATE_KEY).\n" +
        `Starting Probot's setup flow: open http://localhost:${config.env.PORT} and follow it; it creates the app from app.yml and writes .env. Then restart.`,
    );
    // Our own smee-client, so the setup flow does not try to npx-download one.
    await run(() => {}, { env: { ...process.env, PORT: String(config.env.PORT) }, SmeeClient });
    return;
  }
  const service = await startService({ config });
  // A stray rejection (a library's background promise, a dropped socket) is
  // logged, not allowed to end a process that is otherwise serving.
  process.on("unhandledRejection", (reason) => service.log.error({ err: reason }, "unhandled promise rejection"));
  const proxy = config.env.WEBHOOK_PROXY_URL
    ? await startWebhookProxy(config.env.WEBHOOK_PROXY_URL, `http://127.0.0.1:${config.env.PORT}/api/github/webhooks`, service.log)
    : undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.log.info({ signal }, "stopping: finishing the deliveries in hand");
    proxy?.close();
    await service.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
