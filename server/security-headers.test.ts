import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  createNonce,
  isPagePath,
} from "@/server/security-headers";

const directive = (policy: string, name: string) =>
  policy
    .split("; ")
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1);

describe("contentSecurityPolicy", () => {
  it("runs only scripts carrying the page's nonce", () => {
    const policy = contentSecurityPolicy("abc123==");
    const scripts = directive(policy, "script-src");
    expect(scripts).toContain("'nonce-abc123=='");
    expect(scripts).toContain("'strict-dynamic'");
    expect(scripts).not.toContain("unsafe-inline");
    expect(scripts).not.toContain("unsafe-eval");
    expect(directive(policy, "object-src")).toBe("'none'");
  });

  it("takes no inline <style> element in production, only style attributes", () => {
    const policy = contentSecurityPolicy("n");
    expect(directive(policy, "style-src-elem")).toBe("'self'");
    expect(directive(policy, "style-src-attr")).toBe("'unsafe-inline'");
  });

  it("forbids framing the page", () => {
    expect(directive(contentSecurityPolicy("n"), "frame-ancestors")).toBe(
      "'none'",
    );
  });

  it("allows eval only in development", () => {
    expect(
      directive(contentSecurityPolicy("n", { dev: true }), "script-src"),
    ).toContain("'unsafe-eval'");
  });
});

describe("createNonce", () => {
  it("is new each time, in the form Next looks for", () => {
    const a = createNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(createNonce()).not.toBe(a);
  });
});

describe("isPagePath", () => {
  it("is every URL but the API's and the build's static assets", () => {
    for (const url of ["/", "/staff/dashboard", "/tickets/1?x=1", "/apiary"])
      expect(isPagePath(url), url).toBe(true);
    for (const url of ["/api/staff/queue", "/api", "/_next/static/chunks/a.js"])
      expect(isPagePath(url), url).toBe(false);
  });
});
