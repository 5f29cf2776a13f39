import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import GithubSlugger from "github-slugger";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { BINARY_FILE, FILE_CHECK_ERROR, FILE_TOO_LARGE, INVALID_UTF8 } from "../../../src/checks/file-gate.js";
import { securityConfigSchema, securityRules } from "../../../src/checks/security/index.js";

const docsPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/rules/security.md");

describe("docs/rules/security.md", () => {
  it("has a section for every rule and every file-gate notice, whose slug is its docsAnchor", async () => {
    const markdown = await readFile(docsPath, "utf8");
    const slugger = new GithubSlugger();
    const anchors = [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slugger.slug(match[1] ?? ""));
    for (const rule of [...securityRules, FILE_TOO_LARGE, BINARY_FILE, INVALID_UTF8, FILE_CHECK_ERROR]) expect(anchors).toContain(rule.docsAnchor);
  });

  it("its configuration example is valid", async () => {
    const markdown = await readFile(docsPath, "utf8");
    const examples = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
    const reference = examples.at(-1)!;
    const document = parseYaml(reference) as { checks: { security: unknown } };
    const parsed = securityConfigSchema.safeParse(document.checks.security);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.auditModels).toEqual(["AuditLog", "compliance.models.AccessRecord"]);
  });
});
