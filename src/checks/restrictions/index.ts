// The restrictions rule engine (RNF-002: no Redis, no email/SMTP, Django
// sessions in the database) and the repository's own restriction rules.
// Pure: it reads files only through RepoFiles.

export { defaultRestrictionsConfig, restrictionsConfigSchema, type RestrictionsConfig } from "./config.js";
export { restrictionRules } from "./rules.js";
export { runRestrictions } from "./engine.js";
