import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import GithubSlugger from "github-slugger";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { restrictionRules, restrictionsConfigSchema } from "../../../src/checks/restrictions/index.js";
import { CUSTOM_RULES_DOCS_ANCHOR } from "../../../src/checks/restrictions/rules.js";

const docsPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/rules/restrictions.md");

describe("docs/rules/restrictions.md", () => {
  it("has a ## section for every rule, whose slug is the rule's docsAnchor", async () => {
    const markdown = await readFile(docsPath, "utf8");
    const slugger = new GithubSlugger();
    const anchors = [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slugger.slug(match[1] ?? ""));
    for (const anchor of [...restrictionRules.map((rule) => rule.docsAnchor), CUSTOM_RULES_DOCS_ANCHOR]) {
      expect(anchors).toContain(anchor);
    }
  });

  it("its example configuration is valid", async () => {
    const markdown = await readFile(docsPath, "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1];
    const document = parseYaml(example ?? "") as { checks: { restrictions: unknown } };
    const parsed = restrictionsConfigSchema.safeParse(document.checks.restrictions);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.custom.map((rule) => rule.id)).toEqual(["no-memcached", "no-print", "debug-off", "has-audit-tests", "no-env-files"]);
  });
});
