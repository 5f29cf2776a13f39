// Health snapshots in MySQL (table health_snapshots): written every five
// minutes by the health snapshot job, read by whoever charts the service's
// health over time, deleted after the retention in small batches.
import type { PrismaClient } from "./prisma.js";
import type { Prisma } from "./prisma.js";

const DELETE_BATCH_ROWS = 1_000;

export interface ComponentHealth {
  ok: boolean;
  [detail: string]: unknown;
}

export interface HealthSnapshotRecord {
  id: bigint;
  takenAt: Date;
  instance: string;
  ok: boolean;
  components: Record<string, ComponentHealth>;
}

export async function writeHealthSnapshot(prisma: PrismaClient, snapshot: Omit<HealthSnapshotRecord, "id">): Promise<HealthSnapshotRecord> {
  const row = await prisma.healthSnapshot.create({ data: { ...snapshot, components: snapshot.components as Prisma.InputJsonValue } });
  return { ...row, components: row.components as unknown as Record<string, ComponentHealth> };
}

/** Snapshots taken in [from, to), oldest first. */
export async function readHealthSnapshots(prisma: PrismaClient, from: Date, to: Date, take = 1_000): Promise<HealthSnapshotRecord[]> {
  const rows = await prisma.healthSnapshot.findMany({ where: { takenAt: { gte: from, lt: to } }, orderBy: [{ takenAt: "asc" }, { id: "asc" }], take });
  return rows.map((row) => ({ ...row, components: row.components as unknown as Record<string, ComponentHealth> }));
}

export async function deleteHealthSnapshotsBefore(prisma: PrismaClient, cutoff: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await prisma.$executeRaw`DELETE FROM health_snapshots WHERE taken_at < ${cutoff} ORDER BY id LIMIT ${DELETE_BATCH_ROWS}`;
    deleted += count;
    if (count < DELETE_BATCH_ROWS) return deleted;
  }
}

/** A page of the snapshots taken in [from, to), newest first, continuing after `after` (the last one of the previous page). */
export async function pageHealthSnapshots(
  prisma: PrismaClient,
  window: { from: Date; to: Date; after?: { at: Date; id: bigint }; limit: number },
): Promise<HealthSnapshotRecord[]> {
  const { after } = window;
  const rows = await prisma.healthSnapshot.findMany({
    where: {
      takenAt: { gte: window.from, lt: window.to },
      ...(after ? { OR: [{ takenAt: { lt: after.at } }, { takenAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ takenAt: "desc" }, { id: "desc" }],
    take: window.limit,
  });
  return rows.map((row) => ({ ...row, components: row.components as unknown as Record<string, ComponentHealth> }));
}
