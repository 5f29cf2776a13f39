// The hash chain of the audit log, without a database: what an entry's
// content is, how its hashes are made, and where a sequence of stored
// entries stops agreeing with them.
//   content_hash = sha256(canonical JSON of [at, actor, action, target, request_id, details])
//   entry_hash   = sha256(previous_hash + content_hash)
// The first entry's previous_hash is 64 zeros. An entry changed in place
// breaks its own content hash; one removed or inserted breaks the link of
// the entry after it.
import { createHash } from "node:crypto";
import { canonicalJson } from "../lib/canonical-json.js";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditContent {
  at: Date;
  actor: string;
  action: string;
  target: string;
  requestId: string | null;
  details: unknown;
}

export interface ChainedEntry extends AuditContent {
  id: bigint;
  contentHash: string;
  previousHash: string;
  entryHash: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function contentHash(content: AuditContent): string {
  return sha256(canonicalJson([content.at.toISOString(), content.actor, content.action, content.target, content.requestId, content.details]));
}

export function entryHash(previousHash: string, content: string): string {
  return sha256(previousHash + content);
}

export type ChainBreak = { id: bigint; reason: string };

/**
 * Checks entries in id order, continuing from `previousHash` (the entry
 * before the first one given). Returns the first break, or the hash the next
 * entry must link to.
 */
export function verifyChain(entries: readonly ChainedEntry[], previousHash: string): { broken: ChainBreak } | { lastHash: string } {
  let expectedPrevious = previousHash;
  for (const entry of entries) {
    const content = contentHash(entry);
    if (content !== entry.contentHash) return { broken: { id: entry.id, reason: "its content does not match its content hash (changed after it was written)" } };
    if (entry.previousHash !== expectedPrevious) {
      return { broken: { id: entry.id, reason: "it does not link to the entry before it (an entry was removed or inserted before it)" } };
    }
    if (entryHash(entry.previousHash, content) !== entry.entryHash) return { broken: { id: entry.id, reason: "its entry hash does not match its content and link" } };
    expectedPrevious = entry.entryHash;
  }
  return { lastHash: expectedPrevious };
}
