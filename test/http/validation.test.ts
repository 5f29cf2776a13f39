// Request validation: typed data, or one 400 that names every bad field.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HttpError } from "../../src/http/http-error.js";
import { fieldErrors, fieldName, queryObject, validate } from "../../src/http/validation.js";

const schema = z.strictObject({
  cycle_id: z.string(),
  duration_seconds: z.number().min(0),
  metadata: z.object({ owner: z.string() }).optional(),
});

function refusal(value: unknown): HttpError {
  try {
    validate(schema, value, "request body");
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("the value was accepted");
}

describe("validate", () => {
  it("returns the parsed value", () => {
    expect(validate(schema, { cycle_id: "c1", duration_seconds: 3 }, "request body")).toEqual({ cycle_id: "c1", duration_seconds: 3 });
  });

  it("refuses with 400, naming each bad field once in the message and every problem in the details", () => {
    const error = refusal({ duration_seconds: -1, metadata: { owner: 7 }, colour: "blue" });
    expect(error.status).toBe(400);
    expect(error.message).toBe("Invalid request body: 4 fields are wrong");
    expect(error.details).toEqual([
      { field: "cycle_id", message: "is required" },
      { field: "duration_seconds", message: expect.stringMatching(/>=\s*0/) },
      { field: "metadata.owner", message: expect.stringMatching(/expected string/) },
      { field: "colour", message: "is not a known field" },
    ]);
  });

  it("says '1 field is' for a single bad field", () => {
    expect(refusal({ cycle_id: "c1" }).message).toBe("Invalid request body: 1 field is wrong");
  });
});

describe("fieldErrors and fieldName", () => {
  it("puts a prefix before each path, and names the whole body when there is no path", () => {
    const result = z.array(z.object({ cycle_id: z.string() })).safeParse([{ cycle_id: "ok" }, {}]);
    expect(fieldErrors(result.error!, ["records"])).toEqual([{ field: "records.1.cycle_id", message: "is required" }]);
    expect(fieldName([])).toBe("(body)");
  });
});

describe("queryObject", () => {
  it("keeps the last value of a repeated parameter", () => {
    expect(queryObject(new URLSearchParams("days=7&repo=a/b&days=30"))).toEqual({ days: "30", repo: "a/b" });
  });
});
