// Benchmark of the docs-structure engine (TASK-006) against remark-validate-links
// on the same generated tree: 5,000 Markdown files, 100,000 links, with a known
// set of deliberately broken links and anchors. Run alone:
//   npx tsx bench/docs-check.ts
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

import { remark } from "remark";
import remarkValidateLinks from "remark-validate-links";

import { docsConfigSchema, runDocs } from "../src/checks/docs/index.js";
import type { RepoFiles } from "../src/checks/types.js";
import { seededRandom } from "../test/support/seeded-random.js";

const SEED = 20251107;
const SECTIONS = 50;
const PAGES_PER_SECTION = 100; // 50 * 100 = 5,000 files, the first one being the index
const LINKS_PER_FILE = 20; // 100,000 links
const BROKEN_FILES = 500;
const BROKEN_SAME_FILE_ANCHORS = 250;
const BROKEN_OTHER_FILE_ANCHORS = 250;

type ErrorKind = "broken-file" | "broken-anchor-same-file" | "broken-anchor-other-file";

interface GeneratedTree {
  files: Map<string, string>;
  markdownFiles: number;
  links: number;
  /** "path:line" -> kind of the deliberate error on that line. */
  deliberate: Map<string, ErrorKind>;
}

const pagePath = (section: number, page: number) =>
  section === 0 && page === 0
    ? "docs/INDICE.md"
    : `docs/s${String(section).padStart(2, "0")}/p${String(page).padStart(3, "0")}.md`;

export function generateTree(): GeneratedTree {
  const random = seededRandom(SEED);
  const pick = (n: number) => Math.floor(random() * n);
  const totalLinks = SECTIONS * PAGES_PER_SECTION * LINKS_PER_FILE;

  // Which link slots carry a deliberate error, and which kind.
  const errorSlots = new Map<number, ErrorKind>();
  const kinds: ErrorKind[] = [
    ...Array<ErrorKind>(BROKEN_FILES).fill("broken-file"),
    ...Array<ErrorKind>(BROKEN_SAME_FILE_ANCHORS).fill("broken-anchor-same-file"),
    ...Array<ErrorKind>(BROKEN_OTHER_FILE_ANCHORS).fill("broken-anchor-other-file"),
  ];
  for (const kind of kinds) {
    let slot = pick(totalLinks);
    while (errorSlots.has(slot)) slot = pick(totalLinks);
    errorSlots.set(slot, kind);
  }

  const files = new Map<string, string>();
  const deliberate = new Map<string, ErrorKind>();
  const headingSlugs = ["section-1", "section-2", "section-3", "section-4", "section-5", "notes", "notes-1"];

  let slot = 0;
  for (let section = 0; section < SECTIONS; section++) {
    for (let page = 0; page < PAGES_PER_SECTION; page++) {
      const path = pagePath(section, page);
      // The index lives in docs/, one level above the sections.
      const fromSection = path === "docs/INDICE.md" ? -1 : section;
      const link = (toSection: number, toPage: number) => {
        const target = pagePath(toSection, toPage);
        if (fromSection === -1) return target.slice("docs/".length);
        if (target === "docs/INDICE.md") return "../INDICE.md";
        return toSection === fromSection ? target.slice(target.lastIndexOf("/") + 1) : `../${target.slice("docs/".length)}`;
      };
      const lines = [`# Page ${section}-${page}`, "", "Texto introductorio de la página.", ""];
      for (let i = 0; i < LINKS_PER_FILE; i++, slot++) {
        const error = errorSlots.get(slot);
        const toSection = pick(SECTIONS);
        const toPage = pick(PAGES_PER_SECTION);
        let destination: string;
        if (error === "broken-file") destination = `${link(toSection, toPage).replace(/\.md$/, "")}-missing.md`;
        else if (error === "broken-anchor-same-file") destination = `#no-such-heading-${i}`;
        else if (error === "broken-anchor-other-file") destination = `${link(toSection, toPage)}#no-such-heading`;
        else {
          const roll = random();
          if (roll < 0.35) destination = link(toSection, toPage);
          else if (roll < 0.65) destination = `${link(toSection, toPage)}#${headingSlugs[pick(headingSlugs.length)]}`;
          else if (roll < 0.85) destination = `#${headingSlugs[pick(headingSlugs.length)]}`;
          else if (roll < 0.95) destination = fromSection === -1 ? "img/logo.png" : "../img/logo.png";
          else destination = `https://example.com/page/${pick(1000)}`;
        }
        if (error !== undefined) deliberate.set(`${path}:${lines.length + 1}`, error);
        const image = destination.endsWith(".png") ? "!" : "";
        lines.push(`- Ver ${image}[enlace ${i}](${destination}) para más detalles.`);
        if (i % 4 === 3) lines.push("", `## Section ${(i + 1) / 4}`, "", "Párrafo de relleno con *énfasis* y `código`.", "");
      }
      lines.push("", "## Notes", "", "Uno.", "", "## Notes", "", "Dos.", "");
      files.set(path, lines.join("\n"));
    }
  }
  files.set("docs/img/logo.png", "");
  return { files, markdownFiles: SECTIONS * PAGES_PER_SECTION, links: totalLinks, deliberate };
}

function inMemory(files: Map<string, string>): RepoFiles {
  return {
    paths: [...files.keys()].sort(),
    read: (path) => Promise.resolve(files.get(path)),
  };
}

function score(found: Array<{ key: string; kind: ErrorKind | "other" }>, deliberate: Map<string, ErrorKind>) {
  const byKind: Record<ErrorKind, number> = {
    "broken-file": 0,
    "broken-anchor-same-file": 0,
    "broken-anchor-other-file": 0,
  };
  const matched = new Set<string>();
  let unexpected = 0;
  for (const { key, kind } of found) {
    const wanted = deliberate.get(key);
    if (wanted !== undefined && wanted === kind && !matched.has(key)) {
      matched.add(key);
      byKind[wanted]++;
    } else if (wanted === undefined) {
      unexpected++;
    }
  }
  return { deliberateFound: matched.size, byKind, unexpected };
}

export async function benchDocsCheck(): Promise<Record<string, unknown>> {
  const generationStart = performance.now();
  const tree = generateTree();
  const generationMs = performance.now() - generationStart;
  const dir = await mkdtemp(join(tmpdir(), "iact-docs-bench-"));
  try {
    for (const [path, text] of tree.files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }

    // iact-bot: in-memory RepoFiles, default config.
    const engineStart = performance.now();
    const result = await runDocs(inMemory(tree.files), docsConfigSchema.parse({}));
    const engineMs = performance.now() - engineStart;
    const engineKind = (ruleId: string, message: string): ErrorKind | "other" =>
      ruleId === "broken-link"
        ? "broken-file"
        : ruleId === "missing-anchor"
          ? message.includes("#no-such-heading-")
            ? "broken-anchor-same-file"
            : "broken-anchor-other-file"
          : "other";
    const engineScore = score(
      result.findings.map((finding) => ({
        key: `${finding.path}:${finding.startLine}`,
        kind: engineKind(finding.ruleId, finding.message),
      })),
      tree.deliberate,
    );

    // remark-validate-links: remark API, one file at a time, read from disk, repository: false.
    const processor = remark().use(remarkValidateLinks, { repository: false });
    const remarkStart = performance.now();
    const remarkFound: Array<{ key: string; kind: ErrorKind | "other" }> = [];
    let remarkWarnings = 0;
    for (const path of tree.files.keys()) {
      if (!path.endsWith(".md")) continue;
      const value = await readFile(join(dir, path), "utf8");
      const file = await processor.process({ cwd: dir, path, value });
      for (const message of file.messages) {
        remarkWarnings++;
        const kind: ErrorKind | "other" =
          message.ruleId === "missing-file"
            ? "broken-file"
            : message.ruleId === "missing-heading"
              ? "broken-anchor-same-file"
              : message.ruleId === "missing-heading-in-file"
                ? "broken-anchor-other-file"
                : "other";
        remarkFound.push({ key: `${path}:${message.line ?? 0}`, kind });
      }
    }
    const remarkMs = performance.now() - remarkStart;

    return {
      tree: {
        markdownFiles: tree.markdownFiles,
        links: tree.links,
        deliberateErrors: {
          total: tree.deliberate.size,
          "broken-file": BROKEN_FILES,
          "broken-anchor-same-file": BROKEN_SAME_FILE_ANCHORS,
          "broken-anchor-other-file": BROKEN_OTHER_FILE_ANCHORS,
        },
        generationMs: Math.round(generationMs),
      },
      iactBot: {
        ms: Math.round(engineMs),
        findings: result.findings.length,
        byRule: countBy(result.findings.map((finding) => finding.ruleId)),
        ...engineScore,
      },
      remarkValidateLinks: {
        mode: "remark API per file, repository: false (no unified-engine file set)",
        ms: Math.round(remarkMs),
        warnings: remarkWarnings,
        byRule: countBy(remarkFound.map((found) => found.kind)),
        ...score(remarkFound, tree.deliberate),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await benchDocsCheck(), null, 2));
}
