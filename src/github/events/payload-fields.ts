// Field conversions shared by the payload and REST mappers (*-events.ts):
// GitHub's text dates, environment names and label lists -> the values the
// capture facts (src/store/capture-facts.ts) hold.

export function environmentName(name: string): string {
  return name.trim().toLowerCase();
}

export function dateOf(text: string): Date;
export function dateOf(text: string | null | undefined): Date | undefined;
export function dateOf(text: string | null | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${text}`);
  return date;
}

export function labelNames(labels: ReadonlyArray<string | { name?: string | null }> | null | undefined): string[] {
  const names = (labels ?? []).map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter((name) => name !== "");
  return [...new Set(names)].sort();
}
