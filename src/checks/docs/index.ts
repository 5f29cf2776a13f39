// Public API of the docs-structure engine (TASK-006). GitHub reading, check-run
// reporting and the CLI build on these four names only.
export { docsConfigSchema, defaultDocsConfig, type DocsConfig } from "./config.js";
export { docsRules } from "./rules.js";
export { runDocs } from "./run-docs.js";
