#!/usr/bin/env node
// Generates the Prisma client offline.
//
// Every Prisma CLI command first tries to download its native schema engine,
// which fails on a machine without internet access. `prisma generate` never
// uses that engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable
// lets it run without the network. The commands that do need the engine (prisma
// migrate, db push) are why migrations are hand-written SQL applied by
// `iact-bot migrate` (README, "Storage and migrations").
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/true";
const cli = fileURLToPath(new URL("../node_modules/prisma/build/index.js", import.meta.url));
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
