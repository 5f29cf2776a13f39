// Bounded work: what a file must be before an engine parses it. A file over
// the size limit, a binary file, or one whose parsing throws gets one finding
// of its own and is skipped; the other files of the run are still checked.
// Invalid UTF-8 is reported once per file (the file is still checked, with
// U+FFFD in place of the bad bytes). Pure: it sees only decoded text.
import type { Finding, RepoFiles, RuleDescription } from "./types.js";

/**
 * Default of `checks.maxFileBytes`. The Markdown parser tokenises a file in
 * small pieces, so its memory stays flat (2 MB of docs: about 5 s of CPU and
 * 240 MB peak for the whole process; 5 MB about 10 s and 280 MB; see
 * bench/file-limits.ts): 2 MiB keeps a file's parse to a few seconds.
 */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** How much of a file is searched for a NUL byte, as git does to call a file binary. */
export const BINARY_SNIFF_CHARS = 8000;

export const FILE_TOO_LARGE: RuleDescription = {
  id: "too-large",
  title: "File too large to check",
  level: "notice",
  docsAnchor: "too-large",
};

export const BINARY_FILE: RuleDescription = {
  id: "binary-file",
  title: "Binary file not checked",
  level: "notice",
  docsAnchor: "binary-file",
};

export const INVALID_UTF8: RuleDescription = {
  id: "invalid-utf8",
  title: "File is not valid UTF-8",
  level: "notice",
  docsAnchor: "invalid-utf8",
};

export const FILE_CHECK_ERROR: RuleDescription = {
  id: "file-check-error",
  title: "File could not be checked",
  level: "warning",
  docsAnchor: "file-check-error",
};

/** Byte length of `text` in UTF-8 (a lone surrogate counts 3: the encoder writes U+FFFD). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Byte offset of the first invalid UTF-8 sequence, read back from the decoded
 * text: decoders put U+FFFD where bytes are invalid and decode everything
 * before it unchanged, so the offset is the UTF-8 length of the text before
 * the first U+FFFD. (A U+FFFD written in the file is reported the same way.)
 */
export function firstInvalidUtf8Offset(text: string): number | undefined {
  const at = text.indexOf("\uFFFD");
  return at === -1 ? undefined : utf8Length(text.slice(0, at));
}

export type FileVerdict =
  | { check: true; notice?: Omit<Finding, "path"> }
  | { check: false; notice: Omit<Finding, "path"> };

function fileNotice(rule: RuleDescription, message: string): Omit<Finding, "path"> {
  return { ruleId: rule.id, level: rule.level, title: rule.title, startLine: 1, endLine: 1, message };
}

/** Whether a file's text may be parsed; at most one notice per file. */
export function judgeFile(text: string, maxBytes: number): FileVerdict {
  // UTF-16 units never outnumber UTF-8 bytes, and never fall below a third of them.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    const size = utf8Length(text);
    return {
      check: false,
      notice: fileNotice(
        FILE_TOO_LARGE,
        `Not checked: ${size.toLocaleString("en-US")} bytes is over the ${maxBytes.toLocaleString("en-US")}-byte limit (checks.maxFileBytes in .github/iact.yml)`,
      ),
    };
  }
  const nul = text.slice(0, BINARY_SNIFF_CHARS).indexOf("\0");
  if (nul !== -1) {
    return {
      check: false,
      notice: fileNotice(BINARY_FILE, `Not checked: binary file (a NUL byte at offset ${utf8Length(text.slice(0, nul))})`),
    };
  }
  const invalid = firstInvalidUtf8Offset(text);
  if (invalid !== undefined) {
    return {
      check: true,
      notice: fileNotice(
        INVALID_UTF8,
        `Invalid UTF-8 (or a U+FFFD character) at byte offset ${invalid}: the file is checked with U+FFFD in place of the bad bytes`,
      ),
    };
  }
  return { check: true };
}

/** The `too-large` notice for a file whose parser found it too large in some other way than its size. */
export function tooLargeFinding(path: string, message: string): Finding {
  return { ...fileNotice(FILE_TOO_LARGE, message), path };
}

/** One finding for a file whose parsing threw, so the run reports the rest. */
export function fileErrorFinding(path: string, error: unknown): Finding {
  const reason = error instanceof Error ? error.message : String(error);
  return { ...fileNotice(FILE_CHECK_ERROR, `Not checked: ${reason.slice(0, 300)}`), path };
}

/**
 * RepoFiles whose read() returns undefined for files that must not be parsed
 * (too large, binary), and which records one finding per judged file.
 */
export function gateFiles(files: RepoFiles, maxBytes: number): RepoFiles & { readonly findings: Finding[] } {
  const findings: Finding[] = [];
  const judged = new Map<string, Promise<string | undefined>>();
  return {
    paths: files.paths,
    findings,
    read(path: string) {
      let pending = judged.get(path);
      if (pending === undefined) {
        pending = files.read(path).then((text) => {
          if (text === undefined) return undefined;
          const verdict = judgeFile(text, maxBytes);
          if (verdict.notice !== undefined) findings.push({ ...verdict.notice, path });
          return verdict.check ? text : undefined;
        });
        judged.set(path, pending);
      }
      return pending;
    },
  };
}
