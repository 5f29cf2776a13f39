import type { RuleDescription } from "../types.js";

export const DOCS_RULE_IDS = [
  "broken-link",
  "missing-anchor",
  "index-entry-missing",
  "retired-folder-reference",
] as const;

export type DocsRuleId = (typeof DOCS_RULE_IDS)[number];

/** Default levels; docsAnchor is the `##` heading slug in docs/rules/docs.md. */
export const docsRules: RuleDescription[] = [
  {
    id: "broken-link",
    title: "Relative links and images point to files of the repository",
    level: "failure",
    docsAnchor: "broken-link",
  },
  {
    id: "missing-anchor",
    title: "Link fragments (#anchor) exist in the target Markdown file",
    level: "warning",
    docsAnchor: "missing-anchor",
  },
  {
    id: "index-entry-missing",
    title: "Every file listed in the docs index exists",
    level: "failure",
    docsAnchor: "index-entry-missing",
  },
  {
    id: "retired-folder-reference",
    title: "No links to or mentions of the retired docs folder",
    level: "failure",
    docsAnchor: "retired-folder-reference",
  },
];
