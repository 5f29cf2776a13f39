// Where check-run links point when a payload has no repository.html_url.
import { describe, expect, it } from "vitest";
import { githubWebRoot, repositoryWebUrl } from "../../src/github/repository-web-url.js";

describe("repository web URL", () => {
  it.each([
    ["https://api.github.com", "https://github.com"],
    ["https://ghe.example.com/api/v3", "https://ghe.example.com"],
    ["http://ghe.local:8443/api/v3", "http://ghe.local:8443"],
  ])("takes the web root of %s to be %s", (apiBaseUrl, webRoot) => {
    expect(githubWebRoot(apiBaseUrl)).toBe(webRoot);
  });

  it("prefers the payload's html_url", () => {
    expect(repositoryWebUrl({ full_name: "octo/cat", html_url: "https://ghe.example.com/octo/cat" }, "https://api.github.com")).toBe("https://ghe.example.com/octo/cat");
  });

  it("builds it from the web root and the full name without one", () => {
    expect(repositoryWebUrl({ full_name: "octo/cat" }, "https://ghe.example.com/api/v3")).toBe("https://ghe.example.com/octo/cat");
  });
});
