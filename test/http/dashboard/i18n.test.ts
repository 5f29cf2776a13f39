import { describe, expect, it } from "vitest";
import { format, languageFromAcceptLanguage, MESSAGES } from "../../../src/http/dashboard/i18n.js";

describe("languageFromAcceptLanguage", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["es", "es"],
    ["es-MX,es;q=0.9", "es"],
    ["fr-FR, es;q=0.8, en;q=0.9", "en"],
    ["fr, de", undefined],
    ["en;q=0, es;q=0.1", "es"],
    ["EN-gb", "en"],
  ])("%j -> %j", (header, expected) => {
    expect(languageFromAcceptLanguage(header)).toBe(expected);
  });
});

describe("messages", () => {
  it("Spanish has every English message, and none is empty", () => {
    expect(Object.keys(MESSAGES.es).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const text of [...Object.values(MESSAGES.en), ...Object.values(MESSAGES.es)]) expect(text.length).toBeGreaterThan(0);
  });

  it("fills placeholders and leaves unknown ones", () => {
    expect(format("Page {page} of {pages}", { page: 2, pages: 5 })).toBe("Page 2 of 5");
    expect(format("{missing}", {})).toBe("{missing}");
  });
});
