// The commands that read or write MySQL open one Prisma client from
// DATABASE_URL for the length of the command, and always close it: an open
// pool would keep the process from exiting.
import { loadConfig } from "../config/env.js";
import { parseDatabaseUrl } from "../store/database-url.js";
import { createPrismaClient } from "../store/prisma.js";
import type { PrismaClient } from "../store/prisma.js";

export async function withDatabase<T>(work: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  const prisma = createPrismaClient(parseDatabaseUrl(loadConfig().env.DATABASE_URL));
  try {
    return await work(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
