// The security rule engine (plan TASK-017 security scans, and the audit-log
// rule of TASK-004): committed secrets, Django production settings, audit
// models that can be changed. Pure: it reads files only through RepoFiles.

export { defaultSecurityConfig, securityConfigSchema, type SecurityConfig } from "./config.js";
export { securityRules } from "./rules.js";
export { runSecurity } from "./engine.js";
