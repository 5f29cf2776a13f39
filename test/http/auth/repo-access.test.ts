// The pure rules of tokens restricted to repositories (src/http/auth/repo-access.ts).
import { describe, expect, it } from "vitest";
import { assertRepoReadable, describeRestriction, mayReadRepo, repoRestriction } from "../../../src/http/auth/repo-access.js";
import type { RepoRestriction } from "../../../src/http/auth/principal.js";

const web: RepoRestriction = { repos: ["acme/web"], owners: [] };
const widgets: RepoRestriction = { repos: [], owners: ["widgets"] };
const mixed: RepoRestriction = { repos: ["acme/web", "Other/App"], owners: ["widgets"] };
const none: RepoRestriction = { repos: [], owners: [] };

describe("mayReadRepo", () => {
  it.each([
    [null, "anyone/anything", true],
    [web, "acme/web", true],
    [web, "ACME/Web", true],
    [web, "acme/api", false],
    [web, "acme/web-old", false],
    [widgets, "widgets/x", true],
    [widgets, "Widgets/y", true],
    [widgets, "widgetsx/y", false],
    [mixed, "other/app", true],
    [mixed, "other/else", false],
    [none, "acme/web", false],
  ] as const)("%j may read %s: %s", (restriction, repo, expected) => {
    expect(mayReadRepo(restriction, repo)).toBe(expected);
  });
});

describe("repoRestriction (the CLI's --repo/--owner)", () => {
  it("is null (every repository) without any, and deduplicates", () => {
    expect(repoRestriction([], [])).toBeNull();
    expect(repoRestriction(["a/b", "a/b"], ["c"])).toEqual({ repos: ["a/b"], owners: ["c"] });
  });
  it.each([[["just-a-name"], []], [["a/b/c"], []], [[], ["a/b"]]] as const)("refuses repos %j owners %j", (repos, owners) => {
    expect(() => repoRestriction(repos, owners)).toThrow(/--(repo|owner) must be/);
  });
});

describe("assertRepoReadable", () => {
  const restricted = { scopes: new Set(["read"] as const), restriction: mixed };
  it("lets unrestricted callers (and public routes) through with or without repo", () => {
    expect(() => assertRepoReadable(undefined, undefined)).not.toThrow();
    expect(() => assertRepoReadable({ scopes: new Set(["read"] as const), restriction: null }, undefined)).not.toThrow();
  });
  it("answers 400 without repo and 403 outside the list for a restricted caller", () => {
    expect(() => assertRepoReadable(restricted, undefined)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => assertRepoReadable(restricted, "acme/api")).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining("acme/api") }));
    expect(() => assertRepoReadable(restricted, "widgets/z")).not.toThrow();
  });
  it("describes a restriction in words", () => {
    expect(describeRestriction(mixed)).toBe("acme/web, Other/App and every repository of widgets");
    expect(describeRestriction({ repos: [], owners: [] })).toBe("no repository");
  });
});
