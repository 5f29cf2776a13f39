// The mdast-based parser this engine used before it read micromark events
// directly, kept as the reference the event reader must agree with.
import GithubSlugger from "github-slugger";
import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";

import { findHtmlStartTags } from "../../../src/checks/docs/html-tags.js";
import { anchorKey, type LinkKind, type ParsedMarkdown } from "../../../src/checks/docs/parse-markdown.js";

export function parseMarkdownWithMdast(source: string): ParsedMarkdown {
  // Plain CommonMark, no GFM extensions: they change nothing this engine reads
  // (autolink literals are external URLs; table cells, strikethrough and task
  // items parse their links the same way), and they cost ~45% more parse time.
  // The one GFM construct that would mislead, a footnote definition `[^1]: text`,
  // is recognised below by its label.
  const tree: Root = fromMarkdown(blankFrontMatter(source));
  const parsed: ParsedMarkdown = {
    links: [],
    headingSlugs: [],
    htmlAnchors: [],
    anchorKeys: new Set(),
    codeBlocks: [],
    referencedLabels: new Set(),
  };
  const slugger = new GithubSlugger();
  visit(tree, parsed, slugger);
  for (const anchor of parsed.headingSlugs) parsed.anchorKeys.add(anchorKey(anchor));
  for (const anchor of parsed.htmlAnchors) parsed.anchorKeys.add(anchorKey(anchor));
  return parsed;
}

function visit(node: Nodes, parsed: ParsedMarkdown, slugger: GithubSlugger): void {
  switch (node.type) {
    case "code": {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start !== undefined && end !== undefined) parsed.codeBlocks.push([start, end]);
      return;
    }
    case "heading":
      parsed.headingSlugs.push(slugger.slug(headingText(node)));
      break;
    case "definition":
      // Without the GFM footnote extension `[^note]: text` parses as a definition.
      if (!node.label?.startsWith("^")) {
        addLink(parsed, node.type, node.url, node);
        const link = parsed.links[parsed.links.length - 1];
        if (link) link.label = node.identifier;
      }
      break;
    case "linkReference":
    case "imageReference":
      parsed.referencedLabels.add(node.identifier);
      break;
    case "link":
    case "image":
      addLink(parsed, node.type, node.url, node);
      break;
    case "html":
      addHtml(parsed, node);
      return;
    default:
      break;
  }
  if ("children" in node) {
    for (const child of node.children) visit(child, parsed, slugger);
  }
}

/** Text GitHub slugs: rendered text only, so no HTML and no image alt. */
function headingText(node: Nodes): string {
  if (node.type === "html") return "";
  if ("value" in node) return node.value;
  if ("children" in node) {
    let text = "";
    for (const child of node.children) text += headingText(child);
    return text;
  }
  return "";
}

function addLink(parsed: ParsedMarkdown, kind: LinkKind, url: string, node: Nodes): void {
  const position = node.position;
  if (position === undefined) return;
  parsed.links.push({
    kind,
    url,
    startLine: position.start.line,
    startColumn: position.start.column,
    endLine: position.end.line,
    endColumn: position.end.column,
  });
}

function addHtml(parsed: ParsedMarkdown, node: Extract<Nodes, { type: "html" }>): void {
  const start = node.position?.start;
  if (start === undefined) return;
  for (const tag of findHtmlStartTags(node.value)) {
    const id = tag.attributes.get("id");
    if (id) parsed.htmlAnchors.push(id);
    const name = tag.attributes.get("name");
    // HTML's "indicated part of the document": any element by id, but only <a> by name.
    if (name && tag.name === "a") parsed.htmlAnchors.push(name);

    const url = tag.name === "a" ? tag.attributes.get("href") : tag.name === "img" ? tag.attributes.get("src") : undefined;
    if (url === undefined) continue;
    const before = node.value.slice(0, tag.offset);
    const newlines = before.split("\n").length - 1;
    const line = start.line + newlines;
    const column = newlines === 0 ? start.column + tag.offset : tag.offset - before.lastIndexOf("\n");
    parsed.links.push({
      kind: tag.name === "a" ? "html-link" : "html-image",
      url,
      startLine: line,
      startColumn: column,
      endLine: line,
      endColumn: column + (node.value.indexOf(">", tag.offset) - tag.offset + 1),
    });
  }
}

/**
 * YAML front matter is rendered by GitHub as a table, not Markdown: blank it
 * (same length, same lines) so `title: x` + `---` is not read as a heading.
 */
function blankFrontMatter(source: string): string {
  const opening = /^---[ \t]*\r?\n/.exec(source);
  if (opening === null) return source;
  const closing = /\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/g;
  closing.lastIndex = opening[0].length - 1;
  const match = closing.exec(source);
  if (match === null) return source;
  const end = match.index + match[0].length;
  return source.slice(0, end).replace(/[^\r\n]/g, " ") + source.slice(end);
}
