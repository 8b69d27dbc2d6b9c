import { describe, expect, it } from "vitest";
import { newNonce, pageContentSecurityPolicy } from "./security-headers.ts";

describe("pageContentSecurityPolicy", () => {
  it("allows scripts only by nonce (no unsafe-inline), forbids framing and plugins", () => {
    const csp = pageContentSecurityPolicy({ nonce: "abc123==", isDev: false, isHttps: false });
    const directive = (name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));
    expect(directive("script-src")).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(directive("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive("object-src")).toBe("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("adds eval only in development, and upgrade-insecure-requests only over https", () => {
    expect(pageContentSecurityPolicy({ nonce: "n", isDev: true, isHttps: false })).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy({ nonce: "n", isDev: false, isHttps: true })).toContain("upgrade-insecure-requests");
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
