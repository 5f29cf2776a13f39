import { describe, expect, it } from "vitest";
import { defaultRestrictionsConfig, runRestrictions } from "../../../src/checks/restrictions/index.js";
import { memoryFiles } from "./memory-files.js";

/** Deterministic pseudo-random text built from characters that matter to the parsers. */
function garbage(seed: number, length: number): string {
  const alphabet = "ab_-.[]{}()'\"`#\\\n\r\t =:;,@/+*$r fFbB{}redis send_mail\"\"\" '''";
  let state = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

describe("robustness", () => {
  it("never throws on malformed manifests and Python, and every finding has a valid range", async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const text = garbage(seed, 400);
      const files = memoryFiles({
        "requirements.txt": text,
        "pyproject.toml": text,
        Pipfile: text,
        "setup.cfg": text,
        "package.json": text,
        "p/settings.py": text,
        "p/code.py": text,
      });
      const result = await runRestrictions(files, defaultRestrictionsConfig);
      for (const finding of result.findings) {
        expect(finding.startLine).toBeGreaterThanOrEqual(1);
        expect(finding.endLine).toBeGreaterThanOrEqual(finding.startLine);
      }
    }
  });
});
