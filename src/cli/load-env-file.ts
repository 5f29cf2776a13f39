// Reads ./.env (written by Probot's setup flow) into process.env without
// overriding variables already set, the same precedence Probot applies.
import { existsSync } from "node:fs";

export function loadEnvFile(path = ".env"): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  for (const [key, value] of Object.entries(before)) process.env[key] = value;
}
