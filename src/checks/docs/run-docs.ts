// The docs-structure engine: pure apart from RepoFiles.read. One numbered
// pipeline (select -> parse -> check links -> check index -> scan for the
// retired folder -> sort), each step a function below.
import picomatch from "picomatch";

import { limitConcurrency } from "../../lib/concurrency.js";
import type { EngineResult, Finding, FindingLevel, RepoFiles, RuleDescription } from "../types.js";
import { hasAnchor, isLineLink, looksLikeLineLink, suggestAnchors } from "./anchor-match.js";
import { fileErrorFinding, tooLargeFinding } from "../file-gate.js";
import type { DocsConfig } from "./config.js";
import { parseLinkTarget, percentDecode } from "./link-target.js";
import { MarkdownBlockTooLargeError, parseMarkdown, type MarkdownLink, type ParsedMarkdown } from "./parse-markdown.js";
import { docsRules, type DocsRuleId } from "./rules.js";
import { isMarkdownPath, TreeIndex } from "./tree-index.js";

const READ_CONCURRENCY = 32;

export async function runDocs(files: RepoFiles, config: DocsConfig): Promise<EngineResult> {
  if (!config.enabled) return { rules: [], findings: [] };

  const rules = activeRules(config);
  const levels = new Map(rules.map((rule) => [rule.id as DocsRuleId, rule.level]));
  const run = new DocsRun(files, config, levels);

  // 1. Which files are docs: Markdown under the root, include/exclude applied, retired folders skipped.
  const checkedPaths = selectCheckedFiles(files.paths, config);
  // 2. Read and parse each of them once.
  await run.loadAll(checkedPaths);
  // 3. Links, images and anchors of every docs file (and the index entries when the index is one of them).
  for (const path of checkedPaths) await run.checkLinks(path);
  // 4. The index: it must exist, and so must its entries (also when it lies outside the root).
  await run.checkIndex(checkedPaths);
  // 5. Plain-text mentions of the retired folder.
  for (const path of checkedPaths) await run.checkRetiredMentions(path);

  return { rules, findings: sortFindings(run.findings) };
}

function activeRules(config: DocsConfig): RuleDescription[] {
  const active: RuleDescription[] = [];
  for (const rule of docsRules) {
    const configured = config.rules[rule.id as DocsRuleId];
    if (configured === "off") continue;
    active.push({ ...rule, level: configured ?? rule.level });
  }
  return active;
}

export function selectCheckedFiles(paths: readonly string[], config: DocsConfig): string[] {
  const included = picomatch(config.include, { dot: true });
  const excluded = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : () => false;
  return paths.filter(
    (path) =>
      path.startsWith(config.root) &&
      included(path) &&
      !excluded(path) &&
      !config.retired.some((folder) => path.startsWith(folder)),
  );
}

interface LoadedFile {
  source: string;
  parsed: ParsedMarkdown;
}

/** Where a link's finding goes: its file and position. */
interface LinkSite {
  path: string;
  link: MarkdownLink;
}

class DocsRun {
  readonly findings: Finding[] = [];
  private readonly tree: TreeIndex;
  private readonly loaded = new Map<string, Promise<LoadedFile | undefined>>();
  /** Retired-folder findings already reported for links, so a mention in the same URL is not reported twice. */
  private readonly retiredLinkSpans = new Map<string, Array<{ line: number; from: number; to: number }>>();

  constructor(
    private readonly files: RepoFiles,
    private readonly config: DocsConfig,
    private readonly levels: ReadonlyMap<DocsRuleId, FindingLevel>,
  ) {
    this.tree = new TreeIndex(files.paths);
  }

  async loadAll(paths: readonly string[]): Promise<void> {
    const limit = limitConcurrency(READ_CONCURRENCY);
    await Promise.all(paths.map((path) => limit(() => this.load(path))));
  }

  /** Reads and parses a file once; later calls share the result. */
  load(path: string): Promise<LoadedFile | undefined> {
    let pending = this.loaded.get(path);
    if (pending === undefined) {
      pending = this.files.read(path).then((source) => {
        if (source === undefined) return undefined;
        try {
          return { source, parsed: parseMarkdown(source) };
        } catch (error) {
          // One file's failure is that file's finding, never the run's.
          this.findings.push(
            error instanceof MarkdownBlockTooLargeError ? tooLargeFinding(path, error.message) : fileErrorFinding(path, error),
          );
          return undefined;
        }
      });
      this.loaded.set(path, pending);
    }
    return pending;
  }

  async checkLinks(path: string): Promise<void> {
    const file = await this.load(path);
    if (file === undefined) return;
    const indexEntries = path === this.config.index && this.levels.has("index-entry-missing");
    for (const link of usedLinks(file.parsed)) {
      await this.checkLink({ path, link }, indexEntries ? "index-entry-missing" : "broken-link");
    }
  }

  async checkIndex(checkedPaths: readonly string[]): Promise<void> {
    const level = this.levels.get("index-entry-missing");
    if (level === undefined) return;
    const index = this.config.index;
    if (!this.tree.isFile(index)) {
      // A repository with no docs at all (most of an organisation's repos)
      // has nothing to index; only a docs tree without its index is wrong.
      if (checkedPaths.length === 0) return;
      this.report("index-entry-missing", {
        path: index,
        startLine: 1,
        endLine: 1,
        message: `Index file ${index} does not exist: create it, or set checks.docs.index to the docs index of this repository`,
      });
      return;
    }
    if (checkedPaths.includes(index)) return; // its entries were checked with the other docs files
    const file = await this.load(index);
    for (const link of file === undefined ? [] : usedLinks(file.parsed)) {
      const target = parseLinkTarget(link.url, index);
      if (target.kind === "path") this.checkTargetExists({ path: index, link }, target, "index-entry-missing");
    }
  }

  async checkRetiredMentions(path: string): Promise<void> {
    if (!this.levels.has("retired-folder-reference")) return;
    const file = await this.load(path);
    if (file !== undefined) this.scanMentions(path, file);
  }

  private async checkLink(site: LinkSite, missingRule: DocsRuleId): Promise<void> {
    const target = parseLinkTarget(site.link.url, site.path);
    if (target.kind === "ignored") return;
    if (target.kind === "empty-url") {
      const what = isImage(site.link) ? "Image target" : "Link target";
      this.reportAtLink(missingRule, site, `${what} "${target.written}" has no address after the scheme, so it goes nowhere`);
      return;
    }
    if (target.kind === "same-file") {
      await this.checkFragment(site, site.path, target.fragment);
      return;
    }
    this.checkRetiredLink(site, target.written, target.resolved);
    if (!this.checkTargetExists(site, target, missingRule)) return;
    if (target.fragment !== undefined && target.resolved !== undefined) {
      await this.checkFragment(site, target.resolved, target.fragment);
    }
  }

  /** Reports a missing target under `rule`; true when the target exists. */
  private checkTargetExists(
    site: LinkSite,
    target: { written: string; resolved: string | undefined },
    rule: DocsRuleId,
  ): boolean {
    const { written, resolved } = target;
    const what = rule === "index-entry-missing" ? "Index entry" : isImage(site.link) ? "Image target" : "Link target";
    if (resolved === undefined) {
      this.reportAtLink(rule, site, `${what} "${written}" points outside the repository (above its root)`);
      return false;
    }
    if (this.tree.isFile(resolved) || this.tree.isFolder(resolved)) return true;
    const sameButCase = this.tree.caseInsensitiveMatch(resolved);
    const hint = sameButCase === undefined ? "" : `; did you mean ${sameButCase}? (paths are case-sensitive)`;
    this.reportAtLink(rule, site, `${what} "${written}" does not exist (resolved to ${resolved})${hint}`);
    return false;
  }

  private async checkFragment(site: LinkSite, targetPath: string, fragment: string): Promise<void> {
    if (!this.levels.has("missing-anchor")) return;
    const decoded = percentDecode(fragment);
    if (decoded === "" || isLineLink(decoded)) return;

    let markdownPath = targetPath;
    if (this.tree.isFolder(targetPath) && !this.tree.isFile(targetPath)) {
      const readme = this.tree.readmeOf(targetPath);
      if (readme === undefined) {
        this.reportAtLink(
          "missing-anchor",
          site,
          `Anchor "#${fragment}" not found: ${targetPath || "the repository root"}/ is a folder without a Markdown README, so its page has no headings`,
        );
        return;
      }
      markdownPath = readme;
    }
    if (!isMarkdownPath(markdownPath)) {
      // Only GitHub line links are meaningful in other files; anything else is not checked.
      if (looksLikeLineLink(decoded)) {
        this.reportAtLink(
          "missing-anchor",
          site,
          `"#${fragment}" is not a valid GitHub line link into ${markdownPath} (use #L10 or #L10-L20)`,
        );
      }
      return;
    }
    const file = await this.load(markdownPath);
    if (file === undefined || hasAnchor(file.parsed, fragment, decoded)) return;
    const suggestions = suggestAnchors(file.parsed, decoded);
    const where = markdownPath === targetPath ? markdownPath : `${markdownPath} (the README shown for ${targetPath}/)`;
    const there = suggestions.length > 0 ? `; headings there: ${suggestions.join(", ")}` : "; it has no headings or HTML anchors";
    this.reportAtLink("missing-anchor", site, `Anchor "#${fragment}" not found in ${where}${there}`);
  }

  private checkRetiredLink(site: LinkSite, written: string, resolved: string | undefined): void {
    if (resolved === undefined || !this.levels.has("retired-folder-reference")) return;
    const folder = this.config.retired.find((retired) => `${resolved}/`.startsWith(retired));
    if (folder === undefined) return;
    this.reportAtLink(
      "retired-folder-reference",
      site,
      `Link to the retired folder ${folder} ("${written}" resolves to ${resolved || "/"}): link to the current docs instead`,
    );
    const spans = this.retiredLinkSpans.get(site.path) ?? [];
    for (let line = site.link.startLine; line <= site.link.endLine; line++) {
      const from = line === site.link.startLine ? site.link.startColumn : 1;
      const to = line === site.link.endLine ? site.link.endColumn : Number.MAX_SAFE_INTEGER;
      spans.push({ line, from, to });
    }
    this.retiredLinkSpans.set(site.path, spans);
  }

  private scanMentions(path: string, file: LoadedFile): void {
    const { source, parsed } = file;
    let lineStarts: number[] | undefined;
    for (const folder of this.config.retired) {
      const bare = folder.slice(0, -1);
      if (!source.includes(bare)) continue;
      lineStarts ??= computeLineStarts(source);
      for (const match of source.matchAll(mentionPattern(bare))) {
        const offset = match.index;
        if (parsed.codeBlocks.some(([start, end]) => offset >= start && offset < end)) continue;
        const { line, column } = positionOf(lineStarts, offset);
        const coveredByLink = this.retiredLinkSpans
          .get(path)
          ?.some((span) => span.line === line && column >= span.from && column < span.to);
        if (coveredByLink) continue;
        this.report("retired-folder-reference", {
          path,
          startLine: line,
          endLine: line,
          startColumn: column,
          endColumn: column + match[0].length,
          message: `Mentions the retired folder ${folder} ("${match[0]}"): point readers to the current docs instead`,
        });
      }
    }
  }

  private reportAtLink(rule: DocsRuleId, site: LinkSite, message: string): void {
    const { link } = site;
    const singleLine = link.startLine === link.endLine;
    this.report(rule, {
      path: site.path,
      startLine: link.startLine,
      endLine: link.endLine,
      ...(singleLine ? { startColumn: link.startColumn, endColumn: link.endColumn } : {}),
      message,
    });
  }

  private report(rule: DocsRuleId, finding: Omit<Finding, "ruleId" | "level">): void {
    const level = this.levels.get(rule);
    if (level === undefined) return;
    this.findings.push({ ruleId: rule, level, ...finding });
  }
}

/**
 * The links a reader can follow: a reference definition no reference uses
 * (`[old]: gone.md` left behind) is never rendered by GitHub, so it is not checked.
 */
function usedLinks(parsed: ParsedMarkdown): MarkdownLink[] {
  return parsed.links.filter((link) => link.kind !== "definition" || (link.label !== undefined && parsed.referencedLabels.has(link.label)));
}

function isImage(link: MarkdownLink): boolean {
  return link.kind === "image" || link.kind === "html-image";
}

const mentionPatterns = new Map<string, RegExp>();

/** The folder as a whole path segment (not `my_docs_legacy`), with the path that follows it. */
function mentionPattern(bareFolder: string): RegExp {
  let pattern = mentionPatterns.get(bareFolder);
  if (pattern === undefined) {
    const escaped = bareFolder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    pattern = new RegExp(`(?<![\\p{L}\\p{N}_-])${escaped}(?![\\p{L}\\p{N}_-])(?:/[^\\s)\\]"'\`<>]*)?`, "gu");
    mentionPatterns.set(bareFolder, pattern);
  }
  return pattern;
}

function computeLineStarts(source: string): number[] {
  const starts = [0];
  for (let index = source.indexOf("\n"); index !== -1; index = source.indexOf("\n", index + 1)) {
    starts.push(index + 1);
  }
  return starts;
}

function positionOf(lineStarts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.startLine - b.startLine ||
      (a.startColumn ?? 0) - (b.startColumn ?? 0) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
