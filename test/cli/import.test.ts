// `iact-bot import`: the team's .dora_sdlc_metrics.json into dora_metrics,
// idempotently; bad records reported by position and skipped, never half-written.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkRecords, locateRecords, normaliseRecord } from "../../src/cli/import.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { cli } from "../support/cli.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";

const FIXTURE = "test/fixtures/team-metrics/dora_sdlc_metrics.json";

async function tempFile(name: string, content: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "iact-import-")), name);
  await writeFile(file, content);
  return file;
}

describe("locating the records", () => {
  it.each([
    ["a top-level array", "[{}]", "(top-level array)"],
    ["an object with one array", '{"version": 1, "cycles": [{}]}', "cycles"],
    ["several arrays, one named metrics", '{"tags": ["a"], "metrics": [{}]}', "metrics"],
  ])("accepts %s", (_label, text, container) => {
    expect(locateRecords(text)).toEqual({ container, records: expect.any(Array) });
  });

  it.each([
    ["not JSON", "{", /not valid JSON/],
    ["a number", "3", /expected an array of records/],
    ["an object without an array", '{"a": 1}', /expected an array of records/],
    ["several arrays, none recognised", '{"a": [], "b": []}', /several arrays \(a, b\)/],
  ])("refuses %s", (_label, text, message) => {
    expect(() => locateRecords(text)).toThrow(message);
  });
});

describe("normalising the plan's spellings", () => {
  it.each([
    [{ phase: "Testing" }, { phase_name: "testing" }],
    [{ duration: "600.25" }, { duration_seconds: 600.25 }],
    [{ timestamp: "2026-11-21" }, { created_at: "2026-11-21" }],
    [{ feature: "F", cycle: "C" }, { feature_id: "F", cycle_id: "C" }],
    [{ decision: " NO-GO " }, { decision: "no-go" }],
    [{ duration_seconds: "12.345" }, { duration_seconds: 12.345 }],
    // The canonical name wins; the alias stays and is refused as unknown.
    [{ phase_name: "testing", phase: "planning" }, { phase_name: "testing", phase: "planning" }],
  ])("%j -> %j", (input, output) => {
    expect(normaliseRecord(input)).toEqual(output);
  });
});

describe("checking the fixture", () => {
  it("reports every bad record by position and field, and keeps the good ones", async () => {
    const { readFile } = await import("node:fs/promises");
    const checked = checkRecords(await readFile(FIXTURE, "utf8"));
    expect(checked.container).toBe("metrics");
    expect(checked.total).toBe(10);
    expect(checked.valid.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 8, 9]);
    expect(checked.rejected).toEqual([
      { index: 4, cycle_id: "CYC-2026-005", field: "duration_seconds", message: "must be >= 0" },
      { index: 5, cycle_id: "CYC-2026-006", field: "phase_name", message: expect.stringMatching(/one of/) },
      { index: 5, cycle_id: "CYC-2026-006", field: "duration_seconds", message: expect.stringMatching(/two decimals/) },
      { index: 6, cycle_id: null, field: "cycle_id", message: "is required" },
      { index: 7, cycle_id: null, field: "(body)", message: expect.any(String) },
    ]);
  });
});

describe("iact-bot import", () => {
  let prisma: PrismaClient;

  beforeAll(() => {
    prisma = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });
  beforeEach(async () => {
    await truncateAllTables();
  });

  it("imports the good records, reports the bad ones, exits 1; a second run inserts nothing", async () => {
    const first = await cli("import", FIXTURE);
    expect(first.code).toBe(1);
    expect(first.stdout.trim()).toBe(`${FIXTURE}: 10 records in metrics; 5 inserted, 1 already present (skipped), 4 rejected`);
    expect(first.stderr).toContain("record [4] (cycle_id CYC-2026-005): duration_seconds must be >= 0");
    expect(first.stderr).toContain("record [6]: cycle_id is required");

    const rows = await prisma.teamMetric.findMany({ orderBy: { cycleId: "asc" } });
    expect(rows.map((row) => row.cycleId)).toEqual(["CYC-2026-001", "CYC-2026-002", "CYC-2026-003", "CYC-2026-004", "CYC-2026-009"]);
    const aliased = rows[1]!;
    expect(aliased).toMatchObject({ phaseName: "testing", decision: "no-go", metadata: {} });
    expect(aliased.durationSeconds.toString()).toBe("600.25");
    expect(aliased.createdAt.toISOString()).toBe("2026-11-21T09:00:00.000Z");
    expect(rows[2]!.createdAt.toISOString()).toBe("2026-11-22T00:00:00.000Z");
    // The first of two case-variants of a cycle id wins, as the unique column would have it.
    expect(rows[4]!.decision).toBe("blocked");

    const second = await cli("import", FIXTURE);
    expect(second.stdout.trim()).toBe(`${FIXTURE}: 10 records in metrics; 0 inserted, 6 already present (skipped), 4 rejected`);
    expect(await prisma.teamMetric.count()).toBe(5);
  });

  it("exits 0 for a clean file (a bare array) and keeps created_at", async () => {
    const file = await tempFile("clean.json", JSON.stringify([
      { cycle_id: "A", feature_id: "F", phase_name: "deployment", decision: "go", duration_seconds: 3600, created_at: "2026-01-02T03:04:05Z" },
      { cycle_id: "B", feature_id: "F", phase_name: "testing", decision: "no-go", duration_seconds: 1.5 },
    ]));
    const result = await cli("import", file);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 records in \(top-level array\); 2 inserted, 0 already present \(skipped\), 0 rejected/);
    expect((await prisma.teamMetric.findUniqueOrThrow({ where: { cycleId: "A" } })).createdAt.toISOString()).toBe("2026-01-02T03:04:05.000Z");
  });

  it("--dry-run validates and writes nothing", async () => {
    const result = await cli("import", FIXTURE, "--dry-run");
    expect(result.stdout.trim()).toBe(`${FIXTURE}: 10 records in metrics; 6 valid, 4 rejected (dry run: nothing written)`);
    expect(result.code).toBe(1);
    expect(await prisma.teamMetric.count()).toBe(0);
  });

  it.each([
    ["a file that is not JSON", "broken.json", "{\"metrics\": [", /not valid JSON.*nothing was imported/],
    ["a file without records", "empty-object.json", "{\"version\": 1}", /expected an array of records.*nothing was imported/],
  ])("refuses %s with exit 1 and writes nothing", async (_label, name, content, message) => {
    const result = await cli("import", await tempFile(name, content));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(await prisma.teamMetric.count()).toBe(0);
  });

  it("refuses a missing file with exit 1", async () => {
    const result = await cli("import", "/nonexistent/metrics.json");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ENOENT/);
  });
});
