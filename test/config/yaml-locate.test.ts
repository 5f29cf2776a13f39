// Problems of .github/iact.yml placed on their line: YAML syntax errors, and
// zod issues traced back through the document to the key or value at fault.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { locateProblems, parseYamlText, type YamlText } from "../../src/config/yaml-locate.js";

function document(text: string): YamlText {
  const parsed = parseYamlText(text);
  if (!parsed.ok) throw new Error(`not YAML: ${JSON.stringify(parsed.problems)}`);
  return parsed.document;
}

const schema = z.strictObject({
  dora: z.strictObject({ production: z.array(z.string()), incidents: z.strictObject({ window_hours: z.number() }) }).partial(),
});

/** The problems of one file, the repository's own. */
function problemsOf(text: string) {
  const yaml = document(text);
  const result = schema.safeParse(yaml.document.toJS());
  return result.success ? [] : locateProblems(result.error.issues, [yaml]);
}

describe("parseYamlText", () => {
  it("gives the value of valid YAML", () => {
    expect(parseYamlText("a: 1\nb: [x]\n")).toMatchObject({ ok: true, value: { a: 1, b: ["x"] } });
  });

  it("gives syntax errors with their line, and refuses duplicate keys", () => {
    const parsed = parseYamlText("a: 1\na: 2\n");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]).toMatchObject({ path: "", line: 2 });
    expect(parsed.problems[0]!.message).toMatch(/^YAML syntax error: /);
  });
});

describe("locateProblems", () => {
  it("points a wrong value at the value, and an unknown key at the key", () => {
    const problems = problemsOf("dora:\n  incidents:\n    window_hours: soon\n  color: blue\n");
    expect(problems).toEqual([
      expect.objectContaining({ path: "dora.incidents.window_hours", line: 3, column: 19 }),
      expect.objectContaining({ path: "dora.color", line: 4, column: 3, message: 'unknown setting "color"' }),
    ]);
    expect(problems[0]).not.toHaveProperty("source"); // the repository's own file goes unnamed
  });

  it("points into a list by index", () => {
    const [problem] = problemsOf("dora:\n  production:\n    - prod\n    - 42\n");
    expect(problem).toMatchObject({ path: "dora.production.1", line: 4 });
  });

  it("places a problem in the file that holds the deepest part of its path, and names a file other than the repository's own", () => {
    // The repository's own file (first) only opens `dora`; the wrong value comes from the organisation's file it extends.
    const documents = [document("dora: {}\n"), document("dora:\n  incidents:\n    window_hours: soon\n")];
    const result = schema.safeParse({ dora: { incidents: { window_hours: "soon" } } });
    const [problem] = locateProblems(result.error!.issues, documents, (index) => (index === 0 ? undefined : "acme/.github"));
    expect(problem).toMatchObject({ path: "dora.incidents.window_hours", line: 3, source: "acme/.github" });
  });
});
