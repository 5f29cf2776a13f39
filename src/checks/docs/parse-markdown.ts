// One pass over one Markdown file: its links (inline, images, reference
// definitions, raw HTML <a href>/<img src>), the anchors it defines (heading
// slugs as GitHub makes them, HTML id and <a name>) and where its code blocks
// are. Each file is parsed once; the engine caches the result per path.
//
// The file is cut into small pieces where no block runs on (markdown-chunks.ts)
// and each piece is tokenised by micromark and read before the next, so time
// and memory grow in step with the file; every reference definition of the
// file is known to every piece. Each piece's event stream is read directly:
// building the full mdast tree (mdast-util-from-markdown) cost more than the
// tokenising itself and this engine reads only a few node kinds. The reading
// below keeps mdast's semantics for everything it extracts (link URLs are the
// concatenated decoded destination, heading text is the mdast text of the
// heading, image labels swallow whatever they contain); the differential test
// in test/checks/docs/parse-markdown-equivalence.test.ts holds it to that.
import GithubSlugger from "github-slugger";
import { parse, postprocess, preprocess } from "micromark";
import { decodeString } from "micromark-util-decode-string";
import type { Event, Token } from "micromark-util-types";

import { findHtmlStartTags } from "./html-tags.js";
import { pieceStarts } from "./markdown-chunks.js";

export type LinkKind = "link" | "image" | "definition" | "html-link" | "html-image";

export interface MarkdownLink {
  kind: LinkKind;
  /** Destination as the Markdown parser decoded it (escapes and entities resolved, not percent-decoded). */
  url: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  /** Definitions only: the label, normalised as references match it ({@link labelKey}). */
  label?: string;
}

export interface ParsedMarkdown {
  links: MarkdownLink[];
  /** Heading anchors in document order, exactly as github-slugger produces them. */
  headingSlugs: string[];
  /** `id` of any element and `name` of `<a>` in raw HTML, as written. */
  htmlAnchors: string[];
  /** Every anchor normalised with {@link anchorKey}. */
  anchorKeys: Set<string>;
  /** [start, end) source offsets of fenced and indented code blocks. */
  codeBlocks: Array<[number, number]>;
  /** Labels ({@link labelKey}) that some reference link or image (`[a][b]`, `[b][]`, `[b]`) uses. */
  referencedLabels: Set<string>;
}

/** A reference label as CommonMark matches it: whitespace collapsed, trimmed, case-folded. */
export function labelKey(label: string): string {
  return label.replace(/[\t\n\r ]+/g, " ").trim().toLowerCase().toUpperCase().toLowerCase();
}

/**
 * GitHub matches fragments case-insensitively, and whether the emoji
 * variation selector U+FE0F survives in a slug is disputed, so both sides of a
 * comparison drop it.
 */
export function anchorKey(anchor: string): string {
  return anchor.toLowerCase().replaceAll("\uFE0F", "");
}

/**
 * Nothing in a file without these characters is a link, heading, HTML or
 * code (indented code needs 4 spaces or a tab, fenced code a ` or ~), so
 * there is nothing to tokenise. Setext headings need a `=` or `-` underline.
 */
const MARKDOWN_SYNTAX = /[[<#`~=\-\t]| {4}/;

/**
 * Pieces are cut at the first safe place after this many characters (see
 * markdown-chunks.ts). Small pieces keep tokenising linear and let their
 * events die young: on 2 MB of docs, 256 took 5 s and 163 MB, 4 KiB 8.5 s and
 * 339 MB, 64 KiB 15 s and 463 MB (CPU time on a loaded machine).
 */
const PIECE_CHARS = 256;

/**
 * The largest piece tokenised. micromark's time and memory grow faster than
 * the size of one piece (a deeply nested list, a long run of `[`, one list
 * item holding a long sub-list), so a file with a larger uncuttable block is
 * not parsed: 64 KiB of nested list takes seconds and a 1,000-level list,
 * 1 MB with no cut, took 21 s of CPU and 575 MB.
 */
export const MAX_PIECE_CHARS = 64 * 1024;

/** A file whose Markdown has a block too large to tokenise in bounded time and memory. */
export class MarkdownBlockTooLargeError extends Error {}

/**
 * `pieceChars` is the size at which the file is cut into pieces; tests pass 1
 * to cut at every safe place.
 */
export function parseMarkdown(source: string, pieceChars = PIECE_CHARS): ParsedMarkdown {
  const parsed: ParsedMarkdown = {
    links: [],
    headingSlugs: [],
    htmlAnchors: [],
    anchorKeys: new Set(),
    codeBlocks: [],
    referencedLabels: new Set(),
  };
  if (MARKDOWN_SYNTAX.test(source)) {
    const slugger = new GithubSlugger();
    for (const reading of readPieces(blankFrontMatter(source), pieceChars)) {
      parsed.links.push(...reading.links);
      parsed.headingSlugs.push(...reading.headingTexts.map((text) => slugger.slug(text)));
      parsed.htmlAnchors.push(...reading.htmlAnchors);
      parsed.codeBlocks.push(...reading.codeBlocks);
      for (const label of reading.referencedLabels) parsed.referencedLabels.add(label);
    }
  }
  for (const anchor of parsed.headingSlugs) parsed.anchorKeys.add(anchorKey(anchor));
  for (const anchor of parsed.htmlAnchors) parsed.anchorKeys.add(anchorKey(anchor));
  return parsed;
}

/** What one piece of a file holds; heading slugs are made over the whole file, in order. */
interface PieceReading {
  links: MarkdownLink[];
  headingTexts: string[];
  htmlAnchors: string[];
  codeBlocks: Array<[number, number]>;
  referencedLabels: Set<string>;
}

/**
 * micromark's list of defined reference labels (`parser.defined`), shared by
 * every piece of a file, answering in constant time, and noting the labels a
 * piece asked for that were not (yet) defined: a definition later in the file
 * makes `[x]` a reference, so such a piece is read again once all are known.
 */
class DefinedLabels extends Array<string> {
  private readonly known = new Set<string>();
  missed = new Set<string>();

  override push(...labels: string[]): number {
    for (const label of labels) this.known.add(label);
    return super.push(...labels);
  }

  override includes(label: string): boolean {
    if (this.known.has(label)) return true;
    this.missed.add(label);
    return false;
  }

  has(label: string): boolean {
    return this.known.has(label);
  }
}

/**
 * Tokenises the file piece by piece, one micromark parser for the whole file
 * (absolute lines and offsets, shared definitions), reading each piece's
 * events and dropping them before the next.
 */
function readPieces(source: string, pieceChars: number): PieceReading[] {
  // Plain CommonMark, no GFM extensions: they change nothing this engine reads
  // (autolink literals are external URLs; table cells, strikethrough and task
  // items parse their links the same way), and they cost ~45% more parse time.
  // The one GFM construct that would mislead, a footnote definition `[^1]: text`,
  // is recognised below by its label.
  const parser = parse();
  const defined = new DefinedLabels();
  parser.defined = defined;
  const starts = pieceStarts(source, pieceChars);
  starts.push(source.length);
  for (let index = 0; index + 1 < starts.length; index++) {
    const size = starts[index + 1]! - starts[index]!;
    if (size <= MAX_PIECE_CHARS) continue;
    const line = lineEndings(source.slice(0, starts[index])) + 1;
    throw new MarkdownBlockTooLargeError(
      `Not checked: from line ${line}, ${size.toLocaleString("en-US")} characters of Markdown have no place to cut them (over ${MAX_PIECE_CHARS.toLocaleString("en-US")}; a long list item, deeply nested list or block quote, or a paragraph without blank lines)`,
    );
  }
  const pieces: Array<{ start: Point; end: number; reading: PieceReading; missed: Set<string> }> = [];
  let from: Point = { line: 1, column: 1, offset: 0 };
  for (let index = 0; index + 1 < starts.length; index++) {
    let end = starts[index + 1]!;
    defined.missed = new Set();
    let events = tokenise(parser, source, from, end);
    // A cut inside a block the scan did not see: join the next piece.
    while (end < source.length && endsOpen(events, source, end)) {
      index++;
      end = starts[index + 1]!;
      events = tokenise(parser, source, from, end);
    }
    pieces.push({ start: from, end, reading: readEvents(events), missed: defined.missed });
    from = { line: from.line + lineEndings(source.slice(from.offset, end)), column: 1, offset: end };
  }
  for (const piece of pieces) {
    if (![...piece.missed].some((label) => defined.has(label))) continue;
    piece.reading = readEvents(tokenise(parser, source, piece.start, piece.end));
  }
  return pieces.map((piece) => piece.reading);
}

type Point = { line: number; column: number; offset: number };

function tokenise(parser: ReturnType<typeof parse>, source: string, from: Point, end: number): Event[] {
  // Lines marked lazy by a previous piece: its end of file looked like a lazy line.
  parser.lazy = {};
  return postprocess(parser.document(from).write(preprocess()(source.slice(from.offset, end), undefined, true)));
}

/** Line endings as micromark counts them. */
function lineEndings(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** Indented code cannot run on past a cut, but checking it costs nothing. */
const BLOCKS_THAT_RUN_ON = new Set(["codeFenced", "htmlFlow", "codeIndented"]);

/**
 * Whether fenced code or an HTML block is still open where the piece ends, so
 * that in the whole file it would run on into the next piece. Closed ones end
 * before the piece's last line (a blank line, or the line before a bullet
 * item: a block ending on it is taken as open, and the next piece joined).
 */
function endsOpen(events: Event[], source: string, end: number): boolean {
  const lastLineStart = source.lastIndexOf("\n", end - 2) + 1;
  return events.some(
    ([phase, token]) => phase === "exit" && BLOCKS_THAT_RUN_ON.has(token.type) && token.end.offset >= lastLineStart,
  );
}

/** A link or image being read; `url` stays undefined for references (`[a][b]`), which are not links. */
interface OpenLink {
  link: MarkdownLink | undefined;
  resource: boolean;
  /** Text of the label (`[text]`) and of a full reference (`[text][label]`), for reference links. */
  labelText?: string;
  referenceString?: string;
}

/**
 * Reads what the rules need from micromark's events, as mdast would have it.
 * Line endings count as text where mdast keeps them (`canContainEols`): the
 * only places they occur where it does not are links' resources, hidden here.
 */
function readEvents(events: Event[]): PieceReading {
  const parsed: PieceReading = { links: [], headingTexts: [], htmlAnchors: [], codeBlocks: [], referencedLabels: new Set() };
  const openLinks: OpenLink[] = [];
  /** Links and images in an image's label are its alt text in mdast, not nodes. */
  let imageDepth = 0;
  /** Text of the heading being read, undefined outside headings. */
  let heading: string | undefined;
  /** Inside a heading: depth of regions whose text is not the heading's (images, HTML, resources, references). */
  let headingHidden = 0;
  /** Buffer of a destination, definition label or raw HTML being read. */
  let buffer: string | undefined;
  let html: { start: Token; value: string } | undefined;
  let definition: { link: MarkdownLink; label: string } | undefined;
  let atHardBreak = false;
  let slurpLineEnding = false;

  const collecting = () => buffer !== undefined || html !== undefined || (heading !== undefined && headingHidden === 0);
  const append = (text: string) => {
    if (buffer !== undefined) buffer += text;
    if (html !== undefined) html.value += text;
    if (heading !== undefined && headingHidden === 0) heading += text;
  };

  for (const [phase, token, context] of events) {
    const type = token.type;
    if (phase === "enter") {
      switch (type) {
        case "atxHeading":
        case "setextHeading":
          heading = "";
          headingHidden = 0;
          break;
        case "link":
        case "image":
        case "autolink": {
          const link = imageDepth === 0 ? startLink(type === "image" ? "image" : "link", token) : undefined;
          if (link !== undefined) parsed.links.push(link);
          openLinks.push({ link, resource: type === "autolink" });
          if (type === "image") {
            imageDepth++;
            if (heading !== undefined) headingHidden++;
          }
          break;
        }
        case "resource":
        case "reference":
        case "htmlText":
          if (heading !== undefined) headingHidden++;
          if (type === "htmlText") html = { start: token, value: "" };
          break;
        case "htmlFlow":
          html = { start: token, value: "" };
          break;
        case "resourceDestinationString":
        case "definitionDestinationString":
        case "definitionLabelString":
          buffer = "";
          break;
        case "definition":
          definition = { link: startLink("definition", token), label: "" };
          break;
        case "codeFenced":
        case "codeIndented":
          parsed.codeBlocks.push([token.start.offset, token.end.offset]);
          break;
        default:
          break;
      }
      continue;
    }

    switch (type) {
      case "data":
      case "characterEscapeValue":
      case "codeTextData":
      case "htmlFlowData":
      case "htmlTextData":
        // Most data is paragraph text nobody collects: slice only when it is wanted.
        if (collecting()) append(context.sliceSerialize(token));
        break;
      case "autolinkProtocol":
      case "autolinkEmail": {
        const text = context.sliceSerialize(token);
        append(text);
        const open = openLinks[openLinks.length - 1];
        if (open?.link !== undefined) open.link.url = type === "autolinkEmail" ? `mailto:${text}` : text;
        break;
      }
      case "characterReference":
        // The whole `&...;` decodes exactly as mdast decodes its value part.
        append(decodeString(context.sliceSerialize(token)));
        break;
      case "lineEnding":
        if (atHardBreak) {
          atHardBreak = false;
        } else if (!slurpLineEnding && collecting()) {
          append(context.sliceSerialize(token));
        }
        break;
      case "hardBreakEscape":
      case "hardBreakTrailing":
        atHardBreak = true;
        break;
      case "setextHeadingText":
        slurpLineEnding = true;
        break;
      case "resourceDestinationString":
        {
          const open = openLinks[openLinks.length - 1];
          if (open?.link !== undefined) open.link.url = buffer ?? "";
        }
        buffer = undefined;
        break;
      case "definitionDestinationString":
        if (definition !== undefined) definition.link.url = buffer ?? "";
        buffer = undefined;
        break;
      case "definitionLabelString":
        if (definition !== undefined) definition.label = buffer ?? "";
        buffer = undefined;
        break;
      case "definition":
        // Without the GFM footnote extension `[^note]: text` parses as a definition.
        if (definition !== undefined && !definition.label.startsWith("^")) {
          endLink(definition.link, token);
          definition.link.label = labelKey(definition.label);
          parsed.links.push(definition.link);
        }
        definition = undefined;
        break;
      case "labelText":
      case "referenceString": {
        const open = openLinks[openLinks.length - 1];
        if (open !== undefined) open[type] = context.sliceSerialize(token);
        break;
      }
      case "resource": {
        const open = openLinks[openLinks.length - 1];
        if (open !== undefined) open.resource = true;
        if (heading !== undefined) headingHidden--;
        break;
      }
      case "reference":
        if (heading !== undefined) headingHidden--;
        break;
      case "link":
      case "image":
      case "autolink": {
        const open = openLinks.pop();
        if (type === "image") {
          imageDepth--;
          if (heading !== undefined) headingHidden--;
        }
        if (open?.link === undefined) break;
        if (!open.resource) {
          const label = open.referenceString ?? open.labelText;
          if (label !== undefined) parsed.referencedLabels.add(labelKey(label));
        }
        if (open.resource) endLink(open.link, token);
        else parsed.links.splice(parsed.links.lastIndexOf(open.link), 1);
        break;
      }
      case "htmlText":
        if (heading !== undefined) headingHidden--;
        if (html !== undefined && imageDepth === 0) addHtml(parsed, html.value, html.start);
        html = undefined;
        break;
      case "htmlFlow":
        if (html !== undefined) addHtml(parsed, html.value, html.start);
        html = undefined;
        break;
      case "atxHeading":
      case "setextHeading":
        parsed.headingTexts.push(heading ?? "");
        heading = undefined;
        slurpLineEnding = false;
        break;
      default:
        break;
    }
  }
  return parsed;
}

function startLink(kind: LinkKind, token: Token): MarkdownLink {
  return {
    kind,
    url: "",
    startLine: token.start.line,
    startColumn: token.start.column,
    endLine: token.end.line,
    endColumn: token.end.column,
  };
}

function endLink(link: MarkdownLink, token: Token): void {
  link.endLine = token.end.line;
  link.endColumn = token.end.column;
}

function addHtml(parsed: PieceReading, value: string, start: Token): void {
  for (const tag of findHtmlStartTags(value)) {
    const id = tag.attributes.get("id");
    if (id) parsed.htmlAnchors.push(id);
    const name = tag.attributes.get("name");
    // HTML's "indicated part of the document": any element by id, but only <a> by name.
    if (name && tag.name === "a") parsed.htmlAnchors.push(name);

    const url = tag.name === "a" ? tag.attributes.get("href") : tag.name === "img" ? tag.attributes.get("src") : undefined;
    if (url === undefined) continue;
    const before = value.slice(0, tag.offset);
    const newlines = before.split("\n").length - 1;
    const line = start.start.line + newlines;
    const column = newlines === 0 ? start.start.column + tag.offset : tag.offset - before.lastIndexOf("\n");
    parsed.links.push({
      kind: tag.name === "a" ? "html-link" : "html-image",
      url,
      startLine: line,
      startColumn: column,
      endLine: line,
      endColumn: column + (value.indexOf(">", tag.offset) - tag.offset + 1),
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
