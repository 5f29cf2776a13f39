import { describe, expect, it } from "vitest";

import { defaultDocsConfig, docsConfigSchema } from "../../../src/checks/docs/index.js";

describe("docsConfigSchema", () => {
  it("gives the defaults for a missing or empty section", () => {
    const defaults = {
      enabled: true,
      root: "docs/",
      index: "docs/INDICE.md",
      retired: ["docs_legacy/"],
      include: ["**/*.md", "**/*.markdown", "**/*.mdown", "**/*.mkdn", "**/*.mkd", "**/*.mdwn"],
      exclude: [],
      rules: {},
    };
    expect(docsConfigSchema.parse(undefined)).toEqual(defaults);
    expect(docsConfigSchema.parse({})).toEqual(defaults);
    expect(defaultDocsConfig).toEqual(defaults);
  });

  it.each([
    { input: { root: "docs" }, key: "root", output: "docs/" },
    { input: { root: "./manual/" }, key: "root", output: "manual/" },
    { input: { root: "/" }, key: "root", output: "" },
    { input: { root: "." }, key: "root", output: "" },
    { input: { index: "./docs/README.md" }, key: "index", output: "docs/README.md" },
    { input: { retired: "old" }, key: "retired", output: ["old/"] },
    { input: { retired: ["docs_legacy/", "/archive"] }, key: "retired", output: ["docs_legacy/", "archive/"] },
  ])("normalises $key $input", ({ input, key, output }) => {
    expect(docsConfigSchema.parse(input)[key as keyof typeof input]).toEqual(output);
  });

  it.each([
    { name: "an unknown top-level key", input: { roots: "docs/" }, path: [], code: "unrecognized_keys" },
    {
      name: "an unknown rule id",
      input: { rules: { "broken-links": "off" } },
      path: ["rules"],
      code: "unrecognized_keys",
    },
    { name: "an unknown level", input: { rules: { "broken-link": "error" } }, path: ["rules", "broken-link"], code: "invalid_value" },
    { name: "a root above the repository", input: { root: "../docs" }, path: ["root"], code: "custom" },
    { name: "the repository root as retired folder", input: { retired: ["/"] }, path: ["retired", 0], code: "custom" },
    { name: "a non-list include", input: { include: "**/*.md" }, path: ["include"], code: "invalid_type" },
  ])("rejects $name, with its path", ({ input, path, code }) => {
    const result = docsConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path, code });
  });

  it("names the unknown keys in the error", () => {
    const result = docsConfigSchema.safeParse({ rules: { "broken-links": "off" } });
    expect(result.error?.issues[0]).toMatchObject({ keys: ["broken-links"] });
  });
});
