// Hotfix detection, used by the rework rate. Patterns are configuration; the
// defaults are deliberately narrow so that ordinary "fix:" commits are not
// counted as rework.
import { matchesAny } from "./patterns.js";

export interface HotfixPatterns {
  /** Matched against each PR label. */
  labels: RegExp[];
  /** Matched against the PR head branch / deployment ref, without "refs/heads/". */
  branches: RegExp[];
  /** Matched against the PR title, or the first line of a direct-push commit. */
  titles: RegExp[];
}

/** label `hotfix`, branch `hotfix/*` or `hotfix-*`, title starting with the word "hotfix" ("hotfix: ...", "Hotfix ..."). */
export const DEFAULT_HOTFIX_PATTERNS: HotfixPatterns = {
  labels: [/^hotfix$/i],
  branches: [/^hotfix[/-]/i],
  titles: [/^hotfix\b/i],
};

export interface HotfixSubject {
  labels?: readonly string[];
  /** Branch name; a leading "refs/heads/" is ignored. */
  headRef?: string;
  title?: string;
}

export function isHotfix(subject: HotfixSubject, patterns: HotfixPatterns = DEFAULT_HOTFIX_PATTERNS): boolean {
  if (subject.labels?.some((label) => matchesAny(patterns.labels, label))) return true;
  if (subject.headRef !== undefined && matchesAny(patterns.branches, subject.headRef.replace(/^refs\/heads\//, ""))) {
    return true;
  }
  return subject.title !== undefined && matchesAny(patterns.titles, subject.title.trim());
}
