// Does a fragment land somewhere on GitHub's rendered page of a Markdown file?
import { anchorKey, type ParsedMarkdown } from "./parse-markdown.js";

/** GitHub line links: #L10, #L10-L20, with optional columns on ranges (#L3C24-L88). */
const LINE_LINK = /^L\d+(?:C\d+)?-L\d+(?:C\d+)?$|^L\d+$/;

export function isLineLink(fragment: string): boolean {
  return LINE_LINK.test(fragment);
}

/** Looks like a line link, so a malformed one deserves its own message. */
export function looksLikeLineLink(fragment: string): boolean {
  return /^L\d/.test(fragment);
}

/**
 * `#top` is the top of any HTML page (HTML spec, matched ASCII
 * case-insensitively); `#readme` is the id GitHub gives the rendered Markdown
 * container. An empty fragment is the top of the page too.
 */
const IMPLICIT_ANCHORS = new Set(["", "top", "readme"]);

export function hasAnchor(parsed: ParsedMarkdown, fragment: string, decodedFragment: string): boolean {
  const key = anchorKey(decodedFragment);
  return (
    IMPLICIT_ANCHORS.has(key) ||
    isLineLink(decodedFragment) ||
    parsed.anchorKeys.has(key) ||
    parsed.anchorKeys.has(anchorKey(fragment))
  );
}

/** Up to `limit` anchors of the file, closest to the fragment first. */
export function suggestAnchors(parsed: ParsedMarkdown, fragment: string, limit = 5): string[] {
  const wanted = anchorKey(fragment);
  const candidates = [...new Set([...parsed.headingSlugs, ...parsed.htmlAnchors])].filter((anchor) => anchor !== "");
  return candidates
    .map((anchor, order) => ({ anchor, order, distance: editDistance(wanted, anchorKey(anchor)) }))
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, limit)
    .map(({ anchor }) => `#${anchor}`);
}

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const left = [...a];
  const right = [...b];
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}
