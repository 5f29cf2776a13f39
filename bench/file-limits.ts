// Bounded work of the docs engine on hostile files: 2, 5 and 20 MB Markdown
// files, a 1,000-level nested list, files just under the default size limit
// and blocks just under the largest piece the parser tokenises (the largest
// inputs the engine actually parses), beside the figures from before the
// parser cut files into pieces. Each case runs in its
// own child process so its peak RSS is its own. Run alone:
//   npx tsx bench/file-limits.ts
import { fileURLToPath } from "node:url";

import { defaultDocsConfig } from "../src/checks/docs/index.js";
import { MAX_PIECE_CHARS } from "../src/checks/docs/parse-markdown.js";
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

/** One top-level list whose every item holds a sub-list: cut between items. */
function longList(bytes: number): string {
  const item = "- item [x](other.md)\n  - sub-item [y](other.md#section-1)\n";
  return item.repeat(Math.ceil(bytes / item.length)).slice(0, bytes);
}

const MB = 1024 * 1024;
const CASES: Record<string, () => string> = {
  "markdown-2MB": () => markdownOf(2 * MB),
  "markdown-5MB": () => markdownOf(5 * MB),
  "markdown-20MB": () => markdownOf(20 * MB),
  "nested-list-1000": () => nestedList(1000),
  "markdown-at-default-limit": () => markdownOf(DEFAULT_MAX_FILE_BYTES),
  "long-list-at-default-limit": () => longList(DEFAULT_MAX_FILE_BYTES),
  // The worst inputs found: one block with no safe cut, just under and over the largest piece parsed.
  "nested-list-largest-parsed": () => {
    let depth = 1;
    while (nestedList(depth + 1).length < MAX_PIECE_CHARS) depth++;
    return nestedList(depth);
  },
  "brackets-largest-parsed": () => `${"[".repeat(MAX_PIECE_CHARS - 1)}\n`,
  "brackets-at-default-limit": () => `${"[".repeat(DEFAULT_MAX_FILE_BYTES - 1)}\n`,
};

/** Cases run with a raised limit, to show what parsing costs above the default. */
const RAISED_LIMIT: Record<string, number> = { "markdown-5MB-limit-raised": 6 * MB };
CASES["markdown-5MB-limit-raised"] = () => markdownOf(5 * MB);

/**
 * The same cases before pieces (parse-markdown.ts tokenised the whole file
 * at once, default limit 256 KiB), measured on the same loaded 2-core machine.
 */
const BEFORE = {
  max_file_bytes: 256 * 1024,
  "markdown-256KiB": { ms: 34_028, peak_rss_mb: 357 },
  "nested-list-450": { ms: 8_977, peak_rss_mb: 316 },
  "markdown-2MB-limit-raised": { ms: 13_000, peak_rss_mb: 1_350, note: "figure from the report that opened this work" },
  "nested-list-1000-limit-raised": { ms: 57_000, peak_rss_mb: 582, note: "at a 2 MiB limit, measured earlier" },
  "long-list-512KiB-limit-raised": {
    ms: 600_000,
    note: "stopped after 10 minutes; 64 KiB took 22 s (one tokenisation of the list, as the whole-file parse did)",
  },
};

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
    before: BEFORE,
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
