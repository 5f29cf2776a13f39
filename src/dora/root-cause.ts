// "Root cause: <sha>" in an incident's body names the change that caused it
// (the Four Keys convention, kept so teams can move over).

// A whole line; any case; 7-40 hex digits not followed by more word characters.
// Tolerates what people type around it in markdown: list/quote markers, bold,
// backticks ("- **Root cause:** `abc1234`").
const ROOT_CAUSE_LINE = /^[ \t>*_-]*root[ \t]+cause[*_]*[ \t]*:[*_]*[ \t]*`?([0-9a-f]{7,40})`?(?![0-9a-z])/im;

/** The lowercase sha of the first "Root cause: <sha>" line, or undefined. */
export function parseRootCause(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  return ROOT_CAUSE_LINE.exec(body)?.[1]?.toLowerCase();
}
