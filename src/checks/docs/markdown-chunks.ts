// Where a Markdown file may be cut so that each piece tokenises on its own
// exactly as it does inside the whole file. micromark's cost grows faster than
// the input (closing a container copies the document's event list) and its
// events take hundreds of bytes per input byte, so a large file is tokenised
// piece by piece and each piece's events are dropped once read.
//
// A cut goes at the start of a line that follows a blank line and begins in
// column 1 with a character that cannot continue a list item (`-`, `+`, `*`,
// a digit) or be mistaken for a byte order mark, or before a bullet item in
// column 1. There, every container (block quote, list item) has ended: a
// blank line closes a block quote and an unindented line after a blank line
// is never part of a list item. Only two
// top-level blocks run on over blank lines: fenced code and HTML blocks of
// kinds 1-5 (`<pre>`, `<!--`, `<?`, `<!X`, `<![CDATA[`). This scan skips
// cuts inside them as far as it can tell; the tokeniser confirms each cut
// (see parse-markdown.ts) and joins the pieces where the scan was wrong.

const FENCE_OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HTML_BLOCK_ENDS: Array<[RegExp, RegExp]> = [
  [/^ {0,3}<(?:pre|script|style|textarea)(?:[ \t>]|$)/i, /<\/(?:pre|script|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];
const BLANK = /^[ \t]*\r?$/;
/** First characters of a line that may start a piece after a blank line. */
const CUT_BEFORE = /^[^ \t\r\-+*0-9\uFEFF]/;
/**
 * A bullet item in column 1 starts a piece even without a blank line before
 * it: it ends whatever item, block quote or paragraph came before (a bullet
 * with text interrupts a paragraph; it is never a lazy line), so a long list
 * is cut between its top-level items.
 */
const TOP_LEVEL_BULLET = /^[-+*][ \t]+[^ \t\r]/;

/**
 * Offsets (the first is 0) where pieces of about `pieceChars` characters or
 * more begin. A source with no safe cut is one piece.
 */
export function pieceStarts(source: string, pieceChars: number): number[] {
  const starts = [0];
  let fence: { marker: string; length: number } | undefined;
  let htmlEnd: RegExp | undefined;
  let previousBlank = false;
  for (let lineStart = 0; lineStart < source.length; ) {
    const newline = source.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? source.length : newline;
    const line = source.slice(lineStart, lineEnd);
    const outside = fence === undefined && htmlEnd === undefined;
    const cuttable = previousBlank ? CUT_BEFORE.test(line) || TOP_LEVEL_BULLET.test(line) : TOP_LEVEL_BULLET.test(line);
    if (outside && cuttable && lineStart - starts[starts.length - 1]! >= pieceChars) {
      starts.push(lineStart);
    }
    if (fence !== undefined) {
      const closing = FENCE_OPENING.exec(line);
      if (closing !== null && closing[1]![0] === fence.marker && closing[1]!.length >= fence.length && /^[ \t]*\r?$/.test(closing[2]!)) {
        fence = undefined;
      }
    } else if (htmlEnd !== undefined) {
      if (htmlEnd.test(line)) htmlEnd = undefined;
    } else {
      const opening = FENCE_OPENING.exec(line);
      // An info string after backticks may not contain a backtick.
      if (opening !== null && !(opening[1]![0] === "`" && opening[2]!.includes("`"))) {
        fence = { marker: opening[1]![0]!, length: opening[1]!.length };
      } else {
        const html = HTML_BLOCK_ENDS.find(([start]) => start.test(line));
        // The end condition may be met on the opening line itself.
        if (html !== undefined && !html[1].test(line.replace(html[0], ""))) htmlEnd = html[1];
      }
    }
    previousBlank = BLANK.test(line);
    lineStart = lineEnd + 1;
  }
  return starts;
}
