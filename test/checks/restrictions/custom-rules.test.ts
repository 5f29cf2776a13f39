import { describe, expect, it } from "vitest";
import { restrictionsConfigSchema, runRestrictions } from "../../../src/checks/restrictions/index.js";
import { briefsFor, findingsFor } from "./helpers.js";
import { memoryFiles } from "./memory-files.js";

const builtInsOff = {
  "no-redis-dependency": "off",
  "no-redis-settings": "off",
  "no-email-sending": "off",
  "session-engine-db": "off",
};

interface Case {
  name: string;
  files: Record<string, string>;
  expected: string[];
  rule?: Record<string, unknown>;
}

function custom(rule: Record<string, unknown>): Record<string, unknown> {
  return { rules: builtInsOff, custom: [{ message: "Not allowed here.", ...rule }] };
}

describe("custom forbidden-dependency", () => {
  const rule = custom({ id: "no-memcached", type: "forbidden-dependency", names: ["python-memcached", "pymemcache", "memjs"] });

  it.each<Case>([
    { name: "a PyPI name after normalisation", files: { "requirements.txt": "Python_Memcached==1.62\n" }, expected: ["no-memcached requirements.txt:1 failure"] },
    { name: "an npm name", files: { "package.json": '{"dependencies": {"memjs": "1"}}' }, expected: ["no-memcached package.json:1 failure"] },
    { name: "other packages pass", files: { "requirements.txt": "Django\n" }, expected: [] },
  ])("$name", async ({ files, expected }) => {
    expect(await briefsFor(files, rule)).toEqual(expected);
  });

  it("limits itself to its ecosystems (package.json is not even read)", async () => {
    const files = memoryFiles({ "package.json": '{"dependencies": {"pymemcache": "1"}}' });
    const config = restrictionsConfigSchema.parse(
      custom({ id: "no-memcached", type: "forbidden-dependency", names: ["pymemcache"], ecosystems: ["python"] }),
    );
    expect((await runRestrictions(files, config)).findings).toEqual([]);
    expect(files.readPaths()).toEqual([]);
  });

  it("carries the rule's message and level", async () => {
    const [finding] = await findingsFor(
      { "requirements.txt": "pymemcache\n" },
      custom({ id: "no-memcached", type: "forbidden-dependency", names: ["pymemcache"], level: "warning", message: "Use the database cache." }),
    );
    expect(finding).toMatchObject({ ruleId: "no-memcached", level: "warning", title: "no-memcached" });
    expect(finding?.message).toContain("Use the database cache.");
  });
});

describe("custom forbidden-pattern", () => {
  it.each<Case>([
    {
      name: "python: code matches, comments and strings do not",
      rule: { id: "no-print", type: "forbidden-pattern", pattern: "\\bprint\\(", language: "python" },
      files: { "app/a.py": "# print(x)\ns = 'print(x)'\n'''\nprint(x)\n'''\nprint(s)\n", "app/b.js": "print(x)\n" },
      expected: ["no-print app/a.py:6 failure"],
    },
    {
      name: "javascript: code matches, comments, strings and template text do not; substitutions do",
      rule: { id: "no-eval", type: "forbidden-pattern", pattern: "\\beval\\(", language: "javascript" },
      files: {
        "web/a.ts": "// eval(x)\nconst s = 'eval(x)';\n/* eval(\n*/ const t = `eval( ${eval(y)}`;\nconst r = /eval('/;\neval(z);\n",
      },
      expected: ["no-eval web/a.ts:4 failure", "no-eval web/a.ts:6 failure"],
    },
    {
      name: "any: raw text in the given paths, with flags",
      rule: { id: "no-todo", type: "forbidden-pattern", pattern: "todo:", flags: "i", paths: ["docs/**"] },
      files: { "docs/a.md": "ok\nTODO: write\n", "src/a.py": "# TODO: x\n" },
      expected: ["no-todo docs/a.md:2 failure"],
    },
  ])("$name", async ({ rule, files, expected }) => {
    expect(await briefsFor(files, custom(rule ?? {}))).toEqual(expected);
  });

  it("reports the match's columns", async () => {
    const [finding] = await findingsFor(
      { "a.py": "x = 1; print(x)\n" },
      custom({ id: "no-print", type: "forbidden-pattern", pattern: "print\\(", language: "python" }),
    );
    expect(finding).toMatchObject({ startLine: 1, startColumn: 8, endColumn: 14 });
  });
});

describe("custom required-setting", () => {
  const rule = custom({ id: "debug-off", type: "required-setting", setting: "DEBUG", value: false, message: "Production runs with DEBUG off." });

  it.each<Case>([
    { name: "set to the value", files: { "p/settings.py": "DEBUG = False\n" }, expected: [] },
    { name: "set to another value", files: { "p/settings.py": "DEBUG = True\n" }, expected: ["debug-off p/settings.py:1 failure"] },
    { name: "a comment does not set it", files: { "p/settings.py": "# DEBUG = False\nX = 1\n" }, expected: ["debug-off p/settings.py:1 failure"] },
    { name: "not literal", files: { "p/settings.py": "DEBUG = env.bool('DEBUG')\n" }, expected: ["debug-off p/settings.py:1 warning"] },
    { name: "no settings module at all: nothing to check", files: { "README.md": "x" }, expected: [] },
  ])("$name", async ({ files, expected }) => {
    expect(await briefsFor(files, rule)).toEqual(expected);
  });
});

describe("custom required-path and forbidden-path", () => {
  it("a required glob that matches nothing is reported on .github/iact.yml", async () => {
    const rule = custom({ id: "has-license", type: "required-path", paths: ["LICENSE*", "docs/**/*.md"] });
    expect(await briefsFor({ "LICENSE": "MIT", "src/a.py": "" }, rule)).toEqual(["has-license .github/iact.yml:1 failure"]);
    expect(await briefsFor({ "LICENSE.md": "MIT", "docs/a/b.md": "" }, rule)).toEqual([]);
  });

  it("each file matching a forbidden glob is reported, ignored paths excepted", async () => {
    const rule = custom({ id: "no-env-files", type: "forbidden-path", paths: ["**/.env", "**/*.pem"], ignore: ["test/**"] });
    expect(await briefsFor({ ".env": "", "a/key.pem": "", "test/fixture.pem": "", "node_modules/x/.env": "" }, rule)).toEqual([
      "no-env-files .env:1 failure",
      "no-env-files a/key.pem:1 failure",
    ]);
  });
});
