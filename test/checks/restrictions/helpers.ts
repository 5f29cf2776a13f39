import { restrictionsConfigSchema, runRestrictions } from "../../../src/checks/restrictions/index.js";
import type { Finding } from "../../../src/checks/types.js";
import { memoryFiles } from "./memory-files.js";

/** A finding reduced to what tables compare: "ruleId path:line level". */
export function brief(finding: Finding): string {
  return `${finding.ruleId} ${finding.path}:${finding.startLine} ${finding.level}`;
}

/** Runs the engine on in-memory files with a `checks.restrictions` section (defaults when omitted). */
export async function findingsFor(files: Record<string, string>, section: unknown = {}): Promise<Finding[]> {
  const result = await runRestrictions(memoryFiles(files), restrictionsConfigSchema.parse(section));
  return result.findings;
}

export async function briefsFor(files: Record<string, string>, section: unknown = {}): Promise<string[]> {
  return (await findingsFor(files, section)).map(brief);
}

/** Only one rule enabled: keeps tables about that rule free of the others' findings. */
export function only(ruleId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const rules: Record<string, string> = {
    "no-redis-dependency": "off",
    "no-redis-settings": "off",
    "no-email-sending": "off",
    "session-engine-db": "off",
  };
  rules[ruleId] = "failure";
  return { rules, ...extra };
}
