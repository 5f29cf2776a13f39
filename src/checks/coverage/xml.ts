// The one way the coverage gate reads XML (Cobertura, JUnit). Report files
// come from a workflow's artifacts, so anyone who can open a pull request
// writes them: a document that declares entities (<!ENTITY>, the "billion
// laughs" and external-entity attacks) is refused before parsing, and the
// parser expands no entity at all. The five predefined entities and numeric
// character references are decoded by `xmlText` in the few strings we show.
import { XMLParser, XMLValidator } from "fast-xml-parser";

export type XmlNode = Record<string, unknown>;

export type XmlOutcome = { ok: true; document: XmlNode } | { ok: false; reason: string; entities?: true };

const ENTITY_DECLARATION = /<!ENTITY/i;

export function parseXml(text: string, arrays: ReadonlySet<string>): XmlOutcome {
  if (ENTITY_DECLARATION.test(text)) {
    return { ok: false, entities: true, reason: "it declares XML entities (<!ENTITY>), which iact-bot refuses to expand" };
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    return { ok: false, reason: `line ${validation.err.line}: ${validation.err.msg}` };
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => arrays.has(name),
  });
  try {
    const document: unknown = parser.parse(text);
    if (typeof document !== "object" || document === null) return { ok: false, reason: "it holds no XML element" };
    return { ok: true, document: document as XmlNode };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** A string value of the parsed document with the predefined entities and character references decoded; anything else left as written. */
export function xmlText(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]+);/g, (whole, body: string) => {
    if (body.startsWith("#x") || body.startsWith("#")) {
      const code = body.startsWith("#x") ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[body] ?? whole;
  });
}

/** The element's text: a plain string, or `#text` beside attributes. */
export function elementText(node: unknown): string | undefined {
  if (typeof node === "string") return xmlText(node);
  if (typeof node === "object" && node !== null) return xmlText((node as XmlNode)["#text"]);
  return undefined;
}

/** The children named `name` as an array (the parser makes listed names arrays; anything else is wrapped). */
export function children(node: unknown, name: string): XmlNode[] {
  if (typeof node !== "object" || node === null) return [];
  const value = (node as XmlNode)[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  // An element without attributes parses as its text ("" when empty): keep the text, as `#text`.
  return list.map((item) => (typeof item === "object" && item !== null ? (item as XmlNode) : { "#text": typeof item === "string" ? item : "" }));
}

export function attribute(node: XmlNode, name: string): string | undefined {
  return xmlText(node[`@_${name}`]);
}
