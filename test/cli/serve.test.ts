// `iact-bot serve` on a machine where the app is not registered yet must lead
// the user into Probot's setup flow, built from app.yml.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/service.js";
import { TEST_DATABASE_URL } from "../support/database.js";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("iact-bot serve without credentials", () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill("SIGKILL"));

  it("serves Probot's setup page with the app.yml manifest", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "development",
      DATABASE_URL: TEST_DATABASE_URL,
      PORT: String(port),
      // No smee.io channel from a test machine.
      NO_SMEE_SETUP: "true",
      LOG_LEVEL: "warn",
    };
    let output = "";
    child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

    const page = await waitFor(async () => {
      const response = await fetch(`http://localhost:${port}/probot`);
      return response.ok ? response.text() : undefined;
    }, 30_000, "the setup page");
    expect(output).toContain("not registered with GitHub yet");
    expect(page).toContain("iact-bot");
    // The manifest posted to GitHub carries app.yml's least-privilege permissions.
    const manifest = /name="manifest"[^>]*value="([^"]*)"/.exec(page)?.[1] ?? /value='([^']*)'/.exec(page)?.[1] ?? page;
    const decoded = manifest.replace(/&quot;/g, '"').replace(/&#34;/g, '"').replace(/&amp;/g, "&");
    expect(decoded).toContain('"checks":"write"');
    expect(decoded).toContain('"contents":"read"');
    expect(decoded).toContain("deployment_status");
    const root = await fetch(`http://localhost:${port}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/probot");
  });
});
