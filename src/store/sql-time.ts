/** A UTC time as MySQL DATETIME(3) text, as Prisma stores it (raw queries take it as a string, not a Date). */
export function sqlTime(date: Date): string {
  return date.toISOString().slice(0, 23).replace("T", " ");
}
