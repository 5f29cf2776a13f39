// A parser that throws on one file: that file gets a file-check-error
// finding, the others are still checked. The parsers are wrapped to throw on
// a marker, since no known input makes them throw.
import { describe, expect, it, vi } from "vitest";
import { defaultDocsConfig } from "../../src/checks/docs/index.js";
import { defaultRestrictionsConfig } from "../../src/checks/restrictions/index.js";
import { runEngine } from "../../src/checks/run-engine.js";
import type * as ParseMarkdown from "../../src/checks/docs/parse-markdown.js";
import type * as PythonSource from "../../src/checks/restrictions/python-source.js";
import { memoryFiles } from "./restrictions/memory-files.js";

vi.mock("../../src/checks/docs/parse-markdown.js", async (importOriginal) => {
  const original = await importOriginal<typeof ParseMarkdown>();
  return {
    ...original,
    parseMarkdown: (source: string) => {
      if (source.includes("BOOM")) throw new RangeError("Maximum call stack size exceeded");
      return original.parseMarkdown(source);
    },
  };
});

vi.mock("../../src/checks/restrictions/python-source.js", async (importOriginal) => {
  const original = await importOriginal<typeof PythonSource>();
  return {
    ...original,
    parsePython: (path: string, text: string) => {
      if (text.includes("BOOM")) throw new RangeError("Invalid array length");
      return original.parsePython(path, text);
    },
  };
});

const config = { restrictions: defaultRestrictionsConfig, docs: { ...defaultDocsConfig, index: "docs/README.md" } };

describe("one file's failure is that file's finding", () => {
  it("docs", async () => {
    const files = memoryFiles({ "docs/README.md": "[gone](gone.md)\n", "docs/bad.md": "BOOM [x](y.md)\n" });
    const result = await runEngine("docs", files, config);
    expect(result.findings.map((f) => [f.path, f.ruleId, f.level])).toEqual([
      ["docs/README.md", "index-entry-missing", "failure"],
      ["docs/bad.md", "file-check-error", "warning"],
    ]);
    expect(result.findings[1]?.message).toContain("Maximum call stack size exceeded");
  });

  it("docs: a block too large to tokenise is a too-large notice naming its line", async () => {
    const deepList = Array.from({ length: 300 }, (_, level) => `${"  ".repeat(level)}- level ${level} [x](gone.md)`).join("\n");
    const files = memoryFiles({ "docs/README.md": "[deep](deep.md)\n", "docs/deep.md": `# Deep\n\n${deepList}\n` });
    const result = await runEngine("docs", files, config);
    expect(result.findings.map((f) => [f.path, f.ruleId, f.level])).toEqual([["docs/deep.md", "too-large", "notice"]]);
    expect(result.findings[0]?.message).toMatch(/^Not checked: from line 1, [\d,]+ characters of Markdown have no place to cut them/);
  });

  it("restrictions", async () => {
    const files = memoryFiles({ "a/settings.py": "BOOM\n", "b/settings.py": 'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}\n' });
    const result = await runEngine("restrictions", files, config);
    expect(result.findings.map((f) => [f.path, f.ruleId])).toEqual([
      ["a/settings.py", "file-check-error"],
      ["b/settings.py", "no-redis-settings"],
    ]);
  });
});
