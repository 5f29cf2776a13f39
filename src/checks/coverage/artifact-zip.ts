// A workflow artifact is a zip that anyone who can open a pull request can
// fill, so it is opened defensively, in memory: the sizes the zip declares
// are read first (fflate's filter) and the archive is refused, whole, when
// an entry or their sum exceeds the limit, before anything is inflated.
// fflate inflates each entry into a buffer of its declared size, so an entry
// that lies about its size is cut there (and then fails to parse) instead of
// growing. Directories and entries past the entry limit are skipped.
import { unzipSync } from "fflate";

export interface ArtifactLimits {
  /** Largest sum of the entries' declared (inflated) sizes. */
  maxInflatedBytes: number;
  /** Most entries read; a report artifact holds a handful. */
  maxEntries?: number;
}

export const DEFAULT_MAX_ENTRIES = 1_000;

export interface ArtifactEntry {
  name: string;
  bytes: Uint8Array;
}

export type ArtifactContents =
  | { ok: true; entries: ArtifactEntry[] }
  | { ok: false; code: "too-large" | "corrupt" | "empty"; reason: string };

export function readArtifactZip(zip: Uint8Array, limits: ArtifactLimits): ArtifactContents {
  if (zip.byteLength === 0) return { ok: false, code: "empty", reason: "the download is empty (0 bytes)" };
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let declared = 0;
  let entries = 0;
  let refusal: ArtifactContents | undefined;
  try {
    const files = unzipSync(zip, {
      filter(file) {
        if (refusal || file.name.endsWith("/")) return false;
        entries += 1;
        if (entries > maxEntries) {
          refusal = { ok: false, code: "too-large", reason: `it holds more than ${maxEntries.toLocaleString("en-US")} files` };
          return false;
        }
        declared += file.originalSize;
        if (declared > limits.maxInflatedBytes) {
          refusal = { ok: false, code: "too-large", reason: `its files unpack to more than ${formatBytes(limits.maxInflatedBytes)} (${file.name} alone declares ${formatBytes(file.originalSize)})` };
          return false;
        }
        return true;
      },
    });
    if (refusal) return refusal;
    const list = Object.entries(files).map(([name, bytes]) => ({ name, bytes }));
    if (list.length === 0) return { ok: false, code: "empty", reason: "the zip holds no file" };
    return { ok: true, entries: list };
  } catch (error) {
    if (refusal) return refusal;
    return { ok: false, code: "corrupt", reason: `it is not a readable zip (${error instanceof Error ? error.message : String(error)})` };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, "")} KB`;
  return `${bytes} bytes`;
}
