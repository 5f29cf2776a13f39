// One Prisma client on the test database for a whole suite: made before the
// first test, disconnected after the last, the tables emptied before each test.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { testDatabaseSettings, truncateAllTables } from "./database.js";

export function prismaForAllTests(use: (prisma: PrismaClient) => void): void {
  let prisma: PrismaClient | undefined;
  beforeAll(() => {
    prisma = createPrismaClient(testDatabaseSettings());
    use(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });
  beforeEach(async () => {
    await truncateAllTables();
  });
}
