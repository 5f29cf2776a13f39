import { describe, expect, it } from "vitest";
import { DEFAULT_HOTFIX_PATTERNS, isHotfix, parseRevert, parseRootCause } from "../../src/dora/index.js";

const FULL = "0123456789abcdef0123456789abcdef01234567";

describe("parseRootCause", () => {
  it.each([
    { body: "Checkout down.\n\nRoot cause: abc1234\n", expected: "abc1234" },
    { body: "ROOT CAUSE: ABC1234DEF", expected: "abc1234def" },
    { body: `root cause:${FULL}`, expected: FULL },
    { body: "- **Root cause:** `abc1234`", expected: "abc1234" },
    { body: "> Root cause: abc1234 (the cart refactor)", expected: "abc1234" },
    // too short, too long, not hex, not at the start of a line, absent
    { body: "Root cause: abc123", expected: undefined },
    { body: `Root cause: ${FULL}0`, expected: undefined },
    { body: "Root cause: config drift", expected: undefined },
    { body: "We think the root cause: abc1234", expected: undefined },
    { body: "", expected: undefined },
    { body: null, expected: undefined },
  ])("$body -> $expected", ({ body, expected }) => {
    expect(parseRootCause(body)).toBe(expected);
  });
});

describe("parseRevert", () => {
  it.each([
    { message: 'Revert "Add cart"', body: undefined, expected: { revertedTitle: "Add cart" } },
    // squash-merged revert PR: GitHub appends the PR number after the quote, and the reverted title had its own
    { message: 'Revert "Add cart (#12)" (#13)', body: undefined, expected: { revertedTitle: "Add cart" } },
    {
      message: 'Revert "Add cart"\n\nThis reverts commit ABC1234DEF.',
      body: undefined,
      expected: { revertedTitle: "Add cart", revertedSha: "abc1234def" },
    },
    { message: 'Revert "Revert "Add cart""', body: undefined, expected: { revertedTitle: 'Revert "Add cart"' } },
    { message: "Undo cart", body: "This reverts commit abc1234.", expected: { revertedSha: "abc1234" } },
    {
      message: 'Revert "Add cart"',
      body: "Reverts acme/shop#12",
      expected: { revertedTitle: "Add cart", revertedPullRequest: { repo: "acme/shop", number: 12 } },
    },
    { message: "Reverted flag", body: "Reverts #12", expected: { revertedPullRequest: { number: 12 } } },
    { message: "Fix revert button", body: undefined, expected: undefined },
    { message: "Revert button colour", body: undefined, expected: undefined },
  ])("$message / $body", ({ message, body, expected }) => {
    expect(parseRevert(message, body)).toEqual(expected);
  });
});

describe("isHotfix with the default patterns", () => {
  it.each([
    { subject: { labels: ["HotFix"] }, expected: true },
    { subject: { labels: ["hotfix-candidate"] }, expected: false },
    { subject: { headRef: "hotfix/payment" }, expected: true },
    { subject: { headRef: "refs/heads/hotfix-123" }, expected: true },
    { subject: { headRef: "feature/hotfix" }, expected: false },
    { subject: { title: "Hotfix: payment rounding" }, expected: true },
    { subject: { title: "hotfix payment" }, expected: true },
    { subject: { title: "fix: payment rounding" }, expected: false },
    { subject: { title: "Hotfixes overview doc" }, expected: false },
    { subject: {}, expected: false },
  ])("$subject -> $expected", ({ subject, expected }) => {
    expect(isHotfix(subject)).toBe(expected);
  });

  it("uses configured patterns, including /g ones, statelessly", () => {
    const patterns = { ...DEFAULT_HOTFIX_PATTERNS, titles: [/^urgent/gi] };
    expect(isHotfix({ title: "URGENT: db" }, patterns)).toBe(true);
    // a stateful /g regexp would fail the second identical call
    expect(isHotfix({ title: "URGENT: db" }, patterns)).toBe(true);
    expect(isHotfix({ title: "Hotfix: db" }, patterns)).toBe(false);
  });
});
