// The MySQL/MariaDB server settings iact-bot depends on, read from the
// server and checked. Today one: max_allowed_packet, the largest statement
// the server accepts. A webhook delivery is stored as one row in one
// statement, and GitHub sends payloads of up to 25 MB; MariaDB's default
// (16 MiB) refuses the larger ones, so GitHub would be told to retry a
// delivery that can never be stored. scripts/services/mariadb.sh sets it.
import type { PrismaClient } from "./prisma.js";

/** GitHub's 25 MB, the statement around it, and room for a batch beside it. */
export const REQUIRED_MAX_ALLOWED_PACKET = 64 * 1024 * 1024;

export interface ServerSettings {
  /** The smaller of the server's global value and this connection's (a connection keeps the value it started with). */
  maxAllowedPacket: number;
}

export async function readServerSettings(prisma: PrismaClient): Promise<ServerSettings> {
  const [row] = await prisma.$queryRaw<Array<{ global_packet: bigint | number; session_packet: bigint | number }>>`
    SELECT @@GLOBAL.max_allowed_packet AS global_packet, @@SESSION.max_allowed_packet AS session_packet`;
  return { maxAllowedPacket: Math.min(Number(row!.global_packet), Number(row!.session_packet)) };
}

/** What is wrong with the settings, one sentence each, saying how to fix it; empty when nothing is. */
export function serverSettingsProblems(settings: ServerSettings): string[] {
  const problems: string[] = [];
  if (settings.maxAllowedPacket < REQUIRED_MAX_ALLOWED_PACKET) {
    problems.push(
      `max_allowed_packet is ${mebibytes(settings.maxAllowedPacket)}; webhook deliveries larger than that cannot be stored (GitHub sends up to 25 MB). ` +
        `Set it to at least ${mebibytes(REQUIRED_MAX_ALLOWED_PACKET)}: max_allowed_packet = ${REQUIRED_MAX_ALLOWED_PACKET} in the server's config, ` +
        `and SET GLOBAL max_allowed_packet = ${REQUIRED_MAX_ALLOWED_PACKET} on a running server (scripts/services/mariadb.sh does both).`,
    );
  }
  return problems;
}

function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
