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

function problemsOf(...texts: string[]) {
  const documents = texts.map(document);
  const result = schema.safeParse(documents[0]!.document.toJS());
  if (result.success) return [];
  return locateProblems(result.error.issues, documents, (index) => (index === 0 ? undefined : `extended file ${index}`));
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
  });

  it("points into a list by index", () => {
    const [problem] = problemsOf("dora:\n  production:\n    - prod\n    - 42\n");
    expect(problem).toMatchObject({ path: "dora.production.1", line: 4 });
  });

  it("places a problem in the document that holds the deepest part of its path, and names that document", () => {
    // The first document is the merged view the schema saw; the second is where the value really came from.
    const [problem] = problemsOf("dora:\n  incidents:\n    window_hours: soon\n", "other: 1\n");
    expect(problem).not.toHaveProperty("source");
    const documents = [document("dora: {}\n"), document("dora:\n  incidents:\n    window_hours: soon\n")];
    const result = schema.safeParse({ dora: { incidents: { window_hours: "soon" } } });
    const [fromExtended] = locateProblems(result.error!.issues, documents, (index) => (index === 0 ? undefined : "acme/.github"));
    expect(fromExtended).toMatchObject({ line: 3, source: "acme/.github" });
  });
});
