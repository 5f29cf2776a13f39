// Nesting of JSON values and the __proto__ key, measured without recursion.
import { describe, expect, it } from "vitest";
import { jsonNesting, prototypeKeyPath } from "../../src/lib/json-nesting.js";

describe("jsonNesting", () => {
  it.each([
    ["a number", 1, 0],
    ["null", null, 0],
    ["a string", "text", 0],
    ["an empty object", {}, 1],
    ["an empty array", [], 1],
    ["an object holding an array", { a: [1] }, 2],
    ["the deepest branch counts", { shallow: 1, deep: { deeper: [[{}]] }, other: [] }, 5],
  ])("%s nests %i levels", (_label, value, levels) => {
    expect(jsonNesting(value)).toBe(levels);
  });

  it("measures a value far deeper than the stack allows recursion", () => {
    const levels = 200_000;
    expect(jsonNesting(JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`))).toBe(levels);
  });
});

describe("prototypeKeyPath", () => {
  it.each([
    ["no such key", '{"a":{"b":[1,{"c":2}]}}', undefined],
    ["at the top", '{"__proto__":{}}', "__proto__"],
    ["inside an array", '{"a":[{"x":1},{"__proto__":null}]}', "a.1.__proto__"],
    ["a key that only contains it", '{"my__proto__":1}', undefined],
  ])("%s", (_label, text, path) => {
    expect(prototypeKeyPath(JSON.parse(text))).toBe(path);
  });
});
