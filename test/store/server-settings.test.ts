// The server settings iact-bot needs, read from the real MariaDB and checked.
import { describe, expect, it } from "vitest";
import { readServerSettings, REQUIRED_MAX_ALLOWED_PACKET, serverSettingsProblems } from "../../src/store/server-settings.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";

describe("MySQL server settings", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));

  it.each([
    ["MariaDB's default, 16 MiB", 16 * 1024 * 1024, [/max_allowed_packet is 16 MiB; webhook deliveries larger than that cannot be stored .*at least 64 MiB.*SET GLOBAL max_allowed_packet = 67108864/]],
    ["just under 64 MiB", REQUIRED_MAX_ALLOWED_PACKET - 1, [/max_allowed_packet is 64 MiB;.*at least 64 MiB/]],
    ["64 MiB", REQUIRED_MAX_ALLOWED_PACKET, []],
    ["MariaDB's largest, 1 GiB", 1024 * 1024 * 1024, []],
  ])("with max_allowed_packet at %s says what to fix, or nothing", (_label, maxAllowedPacket, expected) => {
    const problems = serverSettingsProblems({ maxAllowedPacket });
    expect(problems).toHaveLength(expected.length);
    problems.forEach((problem, index) => expect(problem).toMatch(expected[index]!));
  });

  it("reads max_allowed_packet from the server: the test server is set up by scripts/services/mariadb.sh", async () => {
    const settings = await readServerSettings(prisma);
    expect(settings.maxAllowedPacket).toBeGreaterThanOrEqual(REQUIRED_MAX_ALLOWED_PACKET);
    expect(serverSettingsProblems(settings)).toEqual([]);
  });
});
