// DATABASE_URL into the driver's settings, with errors that say what is wrong.
import { describe, expect, it } from "vitest";
import { parseDatabaseUrl, redactDatabaseUrl } from "../../src/store/database-url.js";

describe("parseDatabaseUrl", () => {
  it("reads every part, decoding escaped characters", () => {
    expect(parseDatabaseUrl("mysql://iact:p%40ss%2Fword@db.internal:3307/iact_prod?connection_limit=4")).toEqual({
      host: "db.internal",
      port: 3307,
      user: "iact",
      password: "p@ss/word",
      database: "iact_prod",
      connectionLimit: 4,
      statementTimeoutSeconds: 60,
    });
  });

  it("reads statement_timeout in seconds (default 60)", () => {
    expect(parseDatabaseUrl("mysql://u:p@localhost/app?statement_timeout=5").statementTimeoutSeconds).toBe(5);
    expect(parseDatabaseUrl("mysql://u:p@localhost/app").statementTimeoutSeconds).toBe(60);
  });

  it("defaults the port to 3306 and the pool to 10, and accepts mariadb://", () => {
    expect(parseDatabaseUrl("mariadb://u:p@localhost/app")).toMatchObject({ port: 3306, connectionLimit: 10, database: "app" });
    expect(parseDatabaseUrl("mysql://u:p@localhost/app?connectionLimit=0").connectionLimit).toBe(10);
    expect(parseDatabaseUrl("mysql://u:p@localhost/app?connection_limit=many").connectionLimit).toBe(10);
  });

  it.each([
    ["not a URL", "not a url", /not a URL/],
    ["another database", "postgres://u:p@localhost/app", /must start with mysql:\/\/ or mariadb:\/\/, got postgres:\/\//],
    ["no database", "mysql://u:p@localhost:3306/", /names no database/],
    ["a statement_timeout that is not whole seconds", "mysql://u:p@localhost/app?statement_timeout=0.5", /statement_timeout must be a whole number of seconds from 1 to 86400, got 0.5/],
    ["a statement_timeout of zero", "mysql://u:p@localhost/app?statement_timeout=0", /statement_timeout must be/],
  ])("refuses %s", (_label, url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });
});

describe("redactDatabaseUrl", () => {
  it("hides the password and nothing else", () => {
    expect(redactDatabaseUrl("mysql://iact:secret@127.0.0.1:3306/iact")).toBe("mysql://iact:***@127.0.0.1:3306/iact");
    expect(redactDatabaseUrl("mysql://iact@127.0.0.1/iact")).toBe("mysql://iact@127.0.0.1/iact");
  });

  it.each([
    ["no URL at all", "iact secret"],
    ["a URL without the mysql:// scheme", "iact:secret@db.internal/iact"],
  ])("never echoes %s (it may hold the password)", (_label, url) => {
    expect(redactDatabaseUrl(url)).toBe("(unparseable DATABASE_URL)");
  });
});
