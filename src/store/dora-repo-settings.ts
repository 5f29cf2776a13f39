// Each repository's effective DORA settings (the validated `dora` section of
// its .github/iact.yml), recorded by capture and read by the API, which does
// not read GitHub per request: GET /api/dora/metrics?repo= measures the
// repository with the settings its facts were captured under.
//
// Capture reads the settings on every delivery (through RepoConfigCache), so
// recording must cost nothing when they have not changed: each process
// remembers the hash it last stored (or found stored) per repository, reads
// the row once per repository, and writes only on a difference.
import { createHash } from "node:crypto";
import { doraConfigSchema } from "../config/dora-config.js";
import type { DoraConfig } from "../config/dora-config.js";
import { canonicalJson } from "../lib/canonical-json.js";
import type { PrismaClient } from "./prisma.js";

export function doraConfigHash(config: DoraConfig): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex");
}

/** Records a repository's settings when they differ from what this process last stored. */
export class DoraRepoSettingsRecorder {
  /** Lower-cased owner/name -> hash last stored (or found stored) by this process. */
  private readonly stored = new Map<string, string>();
  /** Rows written by this recorder (for logs and tests). */
  writes = 0;

  constructor(private readonly prisma: PrismaClient) {}

  /** true when the row was created or changed. */
  async record(repo: string, config: DoraConfig, now = new Date()): Promise<boolean> {
    const key = repo.toLowerCase();
    const hash = doraConfigHash(config);
    if (this.stored.get(key) === hash) return false;
    // Once per repository and process: is this what is stored already?
    const row = await this.prisma.doraRepoSettings.findUnique({ where: { repo }, select: { settingsHash: true } });
    if (row?.settingsHash !== hash) {
      // Race-safe against another process recording at the same time: under
      // equal hashes the row is left as it is (MySQL assigns left to right, so
      // settings_hash is compared before it is replaced).
      await this.prisma.$executeRaw`
        INSERT INTO dora_repo_settings (repo, settings, settings_hash, updated_at)
        VALUES (${repo}, ${canonicalJson(config)}, ${hash}, ${now})
        ON DUPLICATE KEY UPDATE
          settings = IF(settings_hash = VALUES(settings_hash), settings, VALUES(settings)),
          updated_at = IF(settings_hash = VALUES(settings_hash), updated_at, VALUES(updated_at)),
          settings_hash = VALUES(settings_hash)`;
      this.writes += 1;
    }
    this.stored.set(key, hash);
    return row?.settingsHash !== hash;
  }
}

export type StoredRepoSettings =
  | { found: false }
  | { found: true; valid: true; config: DoraConfig; hash: string; updatedAt: Date }
  /** Stored under an older schema that no longer validates them. */
  | { found: true; valid: false; problem: string; updatedAt: Date };

export async function readRepoSettings(prisma: PrismaClient, repo: string): Promise<StoredRepoSettings> {
  const row = await prisma.doraRepoSettings.findUnique({ where: { repo } });
  if (!row) return { found: false };
  const parsed = doraConfigSchema.safeParse(row.settings);
  if (!parsed.success) return { found: true, valid: false, problem: parsed.error.message, updatedAt: row.updatedAt };
  return { found: true, valid: true, config: parsed.data, hash: row.settingsHash, updatedAt: row.updatedAt };
}
