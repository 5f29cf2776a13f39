// Start tags in raw HTML of a Markdown file (`<a href>`, `<img src>`, `id`,
// `<a name>`). A small tokenizer is enough: GitHub's sanitiser only keeps
// plain attributes, and HTML comments are blanked first so they never match.

export interface HtmlStartTag {
  name: string;
  /** Attribute names lowercased; the first occurrence wins, as in HTML. */
  attributes: Map<string, string>;
  /** Offset of "<" in the scanned text. */
  offset: number;
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const START_TAG =
  /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function findHtmlStartTags(html: string): HtmlStartTag[] {
  if (!html.includes("<")) return [];
  const text = html.replace(COMMENT, (comment) => " ".repeat(comment.length));
  const tags: HtmlStartTag[] = [];
  for (const match of text.matchAll(START_TAG)) {
    const attributes = new Map<string, string>();
    for (const attribute of (match[2] ?? "").matchAll(ATTRIBUTE)) {
      const name = (attribute[1] ?? "").toLowerCase();
      if (!attributes.has(name)) {
        attributes.set(name, decodeHtmlEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ""));
      }
    }
    tags.push({ name: (match[1] ?? "").toLowerCase(), attributes, offset: match.index });
  }
  return tags;
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeHtmlEntities(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === "#") {
      const codePoint = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(codePoint) && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
