// httpStatusOf reads the status of an HTTP error and nothing else.
import { describe, expect, it } from "vitest";
import { httpStatusOf } from "../../src/lib/http-status.js";

describe("httpStatusOf", () => {
  it("reads the status an error carries, as Octokit's RequestError does", () => {
    expect(httpStatusOf(Object.assign(new Error("Not Found"), { status: 404 }))).toBe(404);
  });

  it.each([
    ["a plain Error", new Error("boom")],
    ["a string", "boom"],
    ["undefined", undefined],
    ["null", null],
    ["a non-numeric status", { status: "404" }],
  ])("is undefined for %s", (_label, error) => {
    expect(httpStatusOf(error)).toBeUndefined();
  });
});
