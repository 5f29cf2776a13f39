// The MySQL log store (table log_lines) against the shared log store contract, on real MariaDB.
import { MysqlLogStore } from "../../src/store/log-lines.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { logStoreContract } from "../support/log-store-contract.js";
import { prismaForAllTests } from "../support/prisma.js";

let prisma: PrismaClient;
prismaForAllTests((client) => (prisma = client));

logStoreContract("MySQL", async () => new MysqlLogStore(prisma));
