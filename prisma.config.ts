// Prisma 7 reads its settings from here. Only `prisma generate` is used by
// this project (offline); migrations are applied by `iact-bot migrate`.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "mysql://iact:iact@127.0.0.1:3306/iact" },
});
