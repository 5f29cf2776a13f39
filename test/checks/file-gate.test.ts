import { describe, expect, it } from "vitest";
import { defaultDocsConfig } from "../../src/checks/docs/index.js";
import {
  BINARY_FILE,
  DEFAULT_MAX_FILE_BYTES,
  FILE_CHECK_ERROR,
  FILE_TOO_LARGE,
  firstInvalidUtf8Offset,
  INVALID_UTF8,
  judgeFile,
  utf8Length,
} from "../../src/checks/file-gate.js";
import { defaultRestrictionsConfig } from "../../src/checks/restrictions/index.js";
import { runEngine, type ChecksConfig } from "../../src/checks/run-engine.js";
import { memoryFiles } from "./restrictions/memory-files.js";

const config = (maxFileBytes?: number): ChecksConfig => ({
  restrictions: defaultRestrictionsConfig,
  docs: { ...defaultDocsConfig, index: "docs/README.md" },
  ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
});

describe("judgeFile", () => {
  const cases: Array<{ name: string; text: string; max: number; check: boolean; rule?: string; message?: RegExp }> = [
    { name: "plain text under the limit", text: "# Title\n", max: 1024, check: true },
    { name: "exactly at the limit", text: "a".repeat(1024), max: 1024, check: true },
    { name: "one byte over the limit", text: "a".repeat(1025), max: 1024, check: false, rule: "too-large", message: /1,025 bytes is over the 1,024-byte limit/ },
    // 400 characters, 1,200 bytes: the limit counts bytes, not characters.
    { name: "multi-byte text over the limit in bytes only", text: "€".repeat(400), max: 1024, check: false, rule: "too-large", message: /1,200 bytes/ },
    { name: "astral characters count 4 bytes", text: "😀".repeat(256), max: 1024, check: true },
    { name: "NUL in the first bytes is binary", text: "PNG\0\0\u0001data", max: 1024, check: false, rule: "binary-file", message: /NUL byte at offset 3/ },
    { name: "NUL after the sniffed prefix is text", text: `${"a".repeat(9000)}\0`, max: 1 << 20, check: true },
    { name: "invalid UTF-8 is checked with one notice", text: "ok é \uFFFD then \uFFFD", max: 1024, check: true, rule: "invalid-utf8", message: /byte offset 6/ },
    { name: "too large wins over binary", text: `\0${"a".repeat(2000)}`, max: 1024, check: false, rule: "too-large" },
    { name: "empty file", text: "", max: 1024, check: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const verdict = judgeFile(c.text, c.max);
      expect(verdict.check).toBe(c.check);
      expect(verdict.notice?.ruleId).toBe(c.rule);
      if (c.message) expect(verdict.notice?.message).toMatch(c.message);
    });
  }

  it("reads the byte offset of invalid UTF-8 back from Node's decoder", () => {
    const bytes = Buffer.concat([Buffer.from("héllo "), Buffer.from([0xc3, 0x28]), Buffer.from(" end")]);
    expect(firstInvalidUtf8Offset(bytes.toString("utf8"))).toBe(7);
    expect(firstInvalidUtf8Offset(new TextDecoder().decode(bytes))).toBe(7);
    expect(utf8Length("héllo ")).toBe(7);
  });

  it("defaults to a limit in bytes", () => {
    expect(DEFAULT_MAX_FILE_BYTES).toBeGreaterThanOrEqual(256 * 1024);
  });
});

describe("runEngine through the file gate", () => {
  it("docs: a too-large file gets one notice and the other files are still checked", async () => {
    const files = memoryFiles({
      "docs/README.md": "[ok](a.md) [broken](missing.md)\n",
      "docs/a.md": "# A\n",
      "docs/huge.md": `# Huge\n${"[x](nowhere.md)\n".repeat(200)}`,
    });
    const result = await runEngine("docs", files, config(1024));
    expect(result.findings.map((f) => [f.path, f.ruleId, f.level])).toEqual([
      ["docs/README.md", "index-entry-missing", "failure"],
      ["docs/huge.md", "too-large", "notice"],
    ]);
  });

  it("docs: a binary .md is skipped with a notice, invalid UTF-8 is reported once and still checked", async () => {
    const files = memoryFiles({
      "docs/README.md": "[a](a.md)\n",
      "docs/a.md": "# A\n\uFFFD [b](b.md)\n\uFFFD\n",
      "docs/logo.md": "\u0089PNG\r\n\u001a\n\0\0\0IHDR [x](gone.md)",
    });
    const result = await runEngine("docs", files, config());
    expect(result.findings.map((f) => [f.path, f.ruleId])).toEqual([
      ["docs/a.md", "invalid-utf8"],
      ["docs/a.md", "broken-link"],
      ["docs/logo.md", "binary-file"],
    ]);
  });

  it("restrictions: a too-large requirements file is a notice, not a missing include, and other manifests are read", async () => {
    const files = memoryFiles({
      "requirements.txt": "-r big.txt\nredis>=4\n",
      "big.txt": `${"django>=4\n".repeat(500)}`,
    });
    const result = await runEngine("restrictions", files, config(1024));
    expect(result.findings.map((f) => [f.path, f.ruleId])).toEqual([
      ["big.txt", "too-large"],
      ["requirements.txt", "no-redis-dependency"],
    ]);
  });

  it("restrictions: a binary settings module is skipped with a notice", async () => {
    const files = memoryFiles({ "app/settings.py": "\0\0CACHES = 'redis'" });
    const result = await runEngine("restrictions", files, config());
    expect(result.findings.map((f) => f.ruleId)).toEqual(["binary-file"]);
  });
});

describe("the file-gate rules are documented", () => {
  for (const doc of ["docs/rules/restrictions.md", "docs/rules/docs.md"]) {
    it(`${doc} has a heading for each of them`, async () => {
      const { readFile } = await import("node:fs/promises");
      const { default: GithubSlugger } = await import("github-slugger");
      const markdown = await readFile(doc, "utf8");
      const slugger = new GithubSlugger();
      const anchors = [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slugger.slug(match[1] ?? ""));
      for (const rule of [FILE_TOO_LARGE, BINARY_FILE, INVALID_UTF8, FILE_CHECK_ERROR]) expect(anchors).toContain(rule.docsAnchor);
    });
  }
});
