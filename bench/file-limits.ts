// Bounded work of the docs engine on hostile files: 2, 5 and 20 MB Markdown
// files, a 1,000-level nested list, and files just under the default size
// limit (the largest ones the engine actually parses). Each case runs in its
// own child process so its peak RSS is its own. Run alone:
//   npx tsx bench/file-limits.ts
import { fileURLToPath } from "node:url";

import { defaultDocsConfig } from "../src/checks/docs/index.js";
import { DEFAULT_MAX_FILE_BYTES } from "../src/checks/file-gate.js";
import { defaultRestrictionsConfig } from "../src/checks/restrictions/index.js";
import { runEngine } from "../src/checks/run-engine.js";
import type { RepoFiles } from "../src/checks/types.js";
import { runCasesInOwnProcesses } from "./case-processes.js";

const MEMORY_CEILING_MB = 500;

/** Link-dense Markdown: headings, paragraphs with links and code, short lists. */
function markdownOf(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = `## Section ${i}\n\nSome text with a [link](other.md#section-${i}) and \`code\` and *emphasis*.\n\n- item [x](other.md)\n- item two\n\n`;
    parts.push(part);
    length += part.length;
  }
  return parts.join("").slice(0, bytes);
}

/** `depth` levels of a list, each one indented under the one before. */
function nestedList(depth: number): string {
  const lines: string[] = [];
  for (let level = 0; level < depth; level++) lines.push(`${"  ".repeat(level)}- level ${level} [x](other.md)`);
  return `${lines.join("\n")}\n`;
}

const CASES: Record<string, () => string> = {
  "markdown-2MB": () => markdownOf(2 * 1024 * 1024),
  "markdown-5MB": () => markdownOf(5 * 1024 * 1024),
  "markdown-20MB": () => markdownOf(20 * 1024 * 1024),
  "nested-list-1000": () => nestedList(1000),
  "markdown-at-default-limit": () => markdownOf(DEFAULT_MAX_FILE_BYTES),
  // 450 levels: about 230 KB, the deepest list under the default limit.
  "nested-list-450": () => nestedList(450),
};

/** Cases run with a raised limit, to show what parsing would cost without the gate. */
const RAISED_LIMIT: Record<string, number> = { "nested-list-1000-limit-raised": 2 * 1024 * 1024 };
CASES["nested-list-1000-limit-raised"] = () => nestedList(1000);

/** In the child: one case, one JSON line on stdout. */
async function runCase(name: string): Promise<void> {
  const text = CASES[name]!();
  const files: RepoFiles = {
    paths: ["docs/INDICE.md", "docs/big.md", "docs/other.md"],
    read: async (path) => (path === "docs/big.md" ? text : path === "docs/INDICE.md" ? "[big](big.md)\n" : "# Other\n"),
  };
  const started = process.hrtime.bigint();
  const result = await runEngine("docs", files, {
    docs: defaultDocsConfig,
    restrictions: defaultRestrictionsConfig,
    maxFileBytes: RAISED_LIMIT[name] ?? DEFAULT_MAX_FILE_BYTES,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const big = result.findings.filter((finding) => finding.path === "docs/big.md");
  process.stdout.write(
    `${JSON.stringify({
      bytes: Buffer.byteLength(text),
      ms: Math.round(ms),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      outcome: big.some((finding) => finding.ruleId === "too-large") ? "too-large notice" : `parsed (${big.length} findings)`,
    })}\n`,
  );
}

export async function benchFileLimits(): Promise<Record<string, unknown>> {
  const cases = await runCasesInOwnProcesses<{ peak_rss_mb: number }>(fileURLToPath(import.meta.url), Object.keys(CASES), "file-limits");
  let worstRss = 0;
  for (const [name, figures] of Object.entries(cases)) if (RAISED_LIMIT[name] === undefined) worstRss = Math.max(worstRss, figures.peak_rss_mb);
  return {
    max_file_bytes: DEFAULT_MAX_FILE_BYTES,
    memory_ceiling_mb: MEMORY_CEILING_MB,
    /** Over the cases run with the default limit. */
    worst_peak_rss_mb: worstRss,
    under_ceiling: worstRss < MEMORY_CEILING_MB,
    cases,
  };
}

const caseFlag = process.argv.indexOf("--case");
if (caseFlag !== -1) {
  await runCase(process.argv[caseFlag + 1]!);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchFileLimits(), null, 2));
}
