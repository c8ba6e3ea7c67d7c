import { describe, expect, it } from "vitest";
import { repoView, webRootFromApiUrl } from "../../src/github/repo-view.js";

describe("repoView", () => {
  it("keeps the payload's html_url, the only source that names a GHES host for sure", () => {
    expect(repoView({ owner: "o", repo: "r", htmlUrl: "https://ghe.corp/o/r" }, "https://api.github.com").htmlUrl).toBe("https://ghe.corp/o/r");
  });

  it("derives the web root from the API root when a job has no html_url", () => {
    expect(webRootFromApiUrl("https://api.github.com")).toBe("https://github.com");
    expect(webRootFromApiUrl("https://ghe.example.com/api/v3")).toBe("https://ghe.example.com");
    expect(webRootFromApiUrl("http://ghe.local:8080/api/v3/")).toBe("http://ghe.local:8080");
    expect(repoView({ owner: "o", repo: "r" }, "https://ghe.example.com/api/v3").htmlUrl).toBe("https://ghe.example.com/o/r");
  });
});
