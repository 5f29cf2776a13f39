import { describe, expect, it } from "vitest";
import { blankPython, lexPython } from "../../../src/checks/restrictions/python-lexer.js";
import { findAssignments, parsePython, staticValue } from "../../../src/checks/restrictions/python-source.js";

function kinds(source: string): string[] {
  return lexPython(source).tokens.map((token) => `${token.kind}:${token.kind === "string" ? token.value : token.text}`);
}

describe("python lexer", () => {
  it.each([
    { name: "comment after code", source: "x = 1  # send_mail()\n", expected: ["name:x", "op:=", "number:1", "comment:# send_mail()", "newline:\n"] },
    { name: "a comment-only line adds no statement", source: "# only\nx\n", expected: ["comment:# only", "name:x", "newline:\n"] },
    { name: "prefixes r b u f and combinations", source: "rb'\\d' Rb\"a\" u'x' F'y'\n", expected: ["string:\\d", "string:a", "string:x", "string:y", "newline:\n"] },
    { name: "escapes are decoded in plain strings only", source: "'a\\'b' r'a\\'b' 'tab\\tx'\n", expected: ["string:a'b", "string:a\\'b", "string:tab\tx", "newline:\n"] },
    { name: "triple quotes span lines and keep single quotes", source: "'''a\n'b'\nc'''\n", expected: ["string:a\n'b'\nc", "newline:\n"] },
    { name: "a backslash continues the logical line", source: "x = \\\n  1\n", expected: ["name:x", "op:=", "number:1", "newline:\n"] },
    { name: "brackets continue the logical line", source: "x = (\n  1,\n)\n", expected: ["name:x", "op:=", "op:(", "number:1", "op:,", "op:)", "newline:\n"] },
    { name: "f-string with nested same quotes (3.12)", source: 'f"{d["k"]:>{w}} #x" + y\n', expected: ['string:{d["k"]:>{w}} #x', "op:+", "name:y", "newline:\n"] },
    { name: "f-string doubled braces and a quote as fill", source: "f\"{{x}} {v:'>10}\" z\n", expected: ["string:{{x}} {v:'>10}", "name:z", "newline:\n"] },
    { name: "a name that looks like a prefix is a name", source: "rb = f\n", expected: ["name:rb", "op:=", "name:f", "newline:\n"] },
  ])("$name", ({ source, expected }) => {
    expect(kinds(source)).toEqual(expected);
  });

  it("reports an unterminated string with its line instead of throwing", () => {
    const result = lexPython("x = 1\ny = 'abc\nz = 2\n");
    expect(result.errors).toEqual([{ line: 2, column: 6, message: "unterminated string literal" }]);
    expect(result.tokens.some((token) => token.text === "z")).toBe(true);
  });

  it("blankPython keeps code at its columns and blanks comments and string bodies", () => {
    expect(blankPython("print('hi')  # note\ns = '''a\nb'''\n")).toBe("print('  ')        \ns = ''' \n '''\n");
  });

  it("finds plain and annotated assignments, not comparisons or attributes", () => {
    const source = parsePython("s.py", "A = 1\nB: int = 2\nC = D = 'x'\nE == 3\nobj.F = 4\nif x: G = 5\n");
    expect(findAssignments(source).map((assignment) => assignment.name)).toEqual(["A", "B", "C", "D", "G"]);
  });

  it.each([
    { source: "X = 'a' \"b\"", expected: { kind: "literal", value: "ab" } },
    { source: "X = ('a'\n  'b')", expected: { kind: "literal", value: "ab" } },
    { source: "X = -1_000", expected: { kind: "literal", value: -1000 } },
    { source: "X = None", expected: { kind: "literal", value: null } },
    { source: "X = f'a{b}'", expected: { kind: "expression" } },
    { source: "X = get('a')", expected: { kind: "expression" } },
  ])("staticValue of $source", ({ source, expected }) => {
    const [assignment] = findAssignments(parsePython("s.py", source));
    expect(staticValue(assignment?.value ?? [])).toEqual(expected);
  });
});
