// The floor for webhook intake: a bare Probot app that verifies the signature
// (Probot's own middleware) and INSERTs each delivery, one by one, into a
// table shaped like webhook_deliveries in the same MariaDB, answering once
// the INSERT is done. No inbox, no batching, no validation: what any app
// that stores its deliveries before answering costs at the least.
import http from "node:http";
import type { AddressInfo } from "node:net";
import mysql from "mysql2/promise";
import pino from "pino";
import { createNodeMiddleware, Probot } from "probot";
import type { DatabaseSettings } from "../src/store/database-url.js";
import { mysqlConnectionOptions } from "../src/store/database-url.js";

export const FLOOR_TABLE = "bench_floor_deliveries";

export interface FloorApp {
  url: string;
  /** Rows the app has stored. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

export async function startFloorApp(options: { settings: DatabaseSettings; appId: string; privateKey: string; secret: string }): Promise<FloorApp> {
  const pool = mysql.createPool({ ...mysqlConnectionOptions(options.settings), connectionLimit: options.settings.connectionLimit });
  await pool.query(`CREATE TABLE IF NOT EXISTS ${FLOOR_TABLE} LIKE webhook_deliveries`);
  await pool.query(`TRUNCATE TABLE ${FLOOR_TABLE}`);
  const probot = new Probot({ appId: options.appId, privateKey: options.privateKey, secret: options.secret, log: pino({ level: "silent" }) });
  const middleware = await createNodeMiddleware(
    (app) => {
      app.onAny(async (context) => {
        const payload = context.payload as { action?: unknown; installation?: { id?: unknown }; repository?: { full_name?: unknown } };
        const now = new Date();
        await pool.execute(
          `INSERT INTO ${FLOOR_TABLE} (delivery_id, event, action, installation_id, repository, payload, received_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            context.id,
            context.name,
            typeof payload.action === "string" ? payload.action : null,
            typeof payload.installation?.id === "number" ? payload.installation.id : null,
            typeof payload.repository?.full_name === "string" ? payload.repository.full_name : null,
            JSON.stringify(context.payload),
            now,
            now,
          ],
        );
      });
    },
    { probot, webhooksPath: "/api/github/webhooks" },
  );
  const server = http.createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async count() {
      const [rows] = await pool.query(`SELECT COUNT(*) AS n FROM ${FLOOR_TABLE}`);
      return Number((rows as Array<{ n: number }>)[0]?.n ?? 0);
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await pool.query(`DROP TABLE IF EXISTS ${FLOOR_TABLE}`);
      await pool.end();
    },
  };
}
