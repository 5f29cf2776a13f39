import { describe, expect, it } from "vitest";
import { escapeHtml, html, trustedHtml } from "../../../src/http/dashboard/html.js";

describe("html tag", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`"><img src=x onerror=alert(1)>`, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"],
    ["it's & co", "it&#39;s &amp; co"],
    ["plain", "plain"],
  ])("escapes %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
    expect(html`<p title="${input}">${input}</p>`.text).toBe(`<p title="${expected}">${expected}</p>`);
  });

  it("keeps markup built by html`` or marked trusted, escapes inside arrays, drops null, undefined and false", () => {
    const item = (name: string) => html`<li>${name}</li>`;
    expect(html`<ul>${["a", "<b>"].map(item)}</ul>`.text).toBe("<ul><li>a</li><li>&lt;b&gt;</li></ul>");
    expect(html`${trustedHtml("<hr>")}${null}${undefined}${false}${0}`.text).toBe("<hr>0");
    expect(html`${["<x>", html`<y>`]}`.text).toBe("&lt;x&gt;<y>");
  });
});
