import { defineConfig } from "vitest/config";

/**
 * The one unhandled rejection the suites tolerate: the mariadb driver
 * (through Prisma's adapter) rejects a promise of its own that nobody holds
 * when a test cuts MySQL while the pool is opening a connection (the outage
 * tests of test/inbox/durability.test.ts and test/http/metrics-endpoint.test.ts).
 * The service logs such rejections and carries on (src/cli/serve.ts); the
 * driver's socket error, and only it, must not fail the run. Anything else
 * unhandled still does.
 */
function isDriverSocketLoss(error: { name?: string; code?: unknown; message?: string; stack?: string }): boolean {
  const fromDriver = error.name === "SqlError" || /node_modules[\\/]mariadb[\\/]/.test(error.stack ?? "");
  const socketLoss = /ER_SOCKET_UNEXPECTED_CLOSE|ER_CONNECTION_ALREADY_CLOSED|ECONNRESET|ECONNREFUSED|EPIPE|socket has unexpectedly been closed/i.test(
    `${String(error.code ?? "")} ${error.message ?? ""}`,
  );
  return fromDriver && socketLoss;
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Integration suites share one MariaDB and one Cassandra; running files
    // one at a time keeps them from truncating each other's tables.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    onUnhandledError: (error) => (isDriverSocketLoss(error) ? false : undefined),
  },
});
