// The team's metric records a page at a time, filtered, for the dashboard's
// read-only list: newest first, by phase, decision, a created-at range and a
// search over cycle and feature ids.
import type { PrismaClient } from "./prisma.js";

export interface TeamRecordFilter {
  phase?: string;
  decision?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
  /** Part of a cycle id or a feature id. */
  search?: string;
}

export interface TeamRecordRow {
  id: bigint;
  cycleId: string;
  featureId: string;
  phaseName: string;
  decision: string;
  createdAt: Date;
}

export interface TeamRecordPage {
  rows: TeamRecordRow[];
  total: number;
  page: number;
  pages: number;
}

export async function readTeamRecordPage(prisma: PrismaClient, filter: TeamRecordFilter, page: number, pageSize: number): Promise<TeamRecordPage> {
  const where = {
    ...(filter.phase ? { phaseName: filter.phase } : {}),
    ...(filter.decision ? { decision: filter.decision } : {}),
    ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
    ...(filter.search ? { OR: [{ cycleId: { contains: filter.search } }, { featureId: { contains: filter.search } }] } : {}),
  };
  const total = await prisma.teamMetric.count({ where });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await prisma.teamMetric.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * pageSize,
    take: pageSize,
    select: { id: true, cycleId: true, featureId: true, phaseName: true, decision: true, createdAt: true },
  });
  return { rows, total, page: current, pages };
}
