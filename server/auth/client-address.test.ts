import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseAddress, parseTrustedProxies, resolveClientAddress, UNKNOWN_ADDRESS } from "./client-address.ts";
import { installPeerAddressStamp, peerAddressFrom } from "./peer-address.ts";

const none = parseTrustedProxies("");
const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.10 fd00::/8");

describe("normaliseAddress", () => {
  it("unwraps IPv4-mapped IPv6, brackets and ports, and refuses non-addresses", () => {
    expect(normaliseAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normaliseAddress("203.0.113.9:51000")).toBe("203.0.113.9");
    expect(normaliseAddress("evil, 1.2.3.4")).toBeNull();
    expect(normaliseAddress("unknown")).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("matches addresses and CIDRs, IPv4 and IPv6", () => {
    expect(proxies.has("10.20.30.40")).toBe(true);
    expect(proxies.has("192.168.1.10")).toBe(true);
    expect(proxies.has("192.168.1.11")).toBe(false);
    expect(proxies.has("fd12::1")).toBe(true);
    expect(proxies.has("127.0.0.1")).toBe(false);
  });

  it("names a bad entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/"10.0.0.0\/33"/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/"proxy.internal"/);
  });
});

describe("resolveClientAddress", () => {
  // Finding 2: the first X-Forwarded-For entry was believed, and the client writes it.
  it("ignores X-Forwarded-For from an untrusted peer however it is rotated", () => {
    for (const xff of ["1.1.1.1", "2.2.2.2, 3.3.3.3", null]) {
      expect(resolveClientAddress({ peer: "203.0.113.7", forwardedFor: xff, trusted: none })).toBe("203.0.113.7");
    }
  });

  it("reads right to left through trusted proxies only, never the client's own leftmost entries", () => {
    // client forged "6.6.6.6"; the real client 198.51.100.4 reached proxy 10.1.1.1, which reached 192.168.1.10
    const xff = "6.6.6.6, 198.51.100.4, 10.1.1.1";
    expect(resolveClientAddress({ peer: "192.168.1.10", forwardedFor: xff, trusted: proxies })).toBe("198.51.100.4");
    expect(resolveClientAddress({ peer: "::ffff:10.9.9.9", forwardedFor: "198.51.100.4", trusted: proxies })).toBe("198.51.100.4");
    // a trusted proxy passing garbage: stop at the proxy
    expect(resolveClientAddress({ peer: "10.9.9.9", forwardedFor: "not-an-ip", trusted: proxies })).toBe("10.9.9.9");
    // only proxies all the way: the leftmost is the client
    expect(resolveClientAddress({ peer: "10.9.9.9", forwardedFor: "10.1.1.1", trusted: proxies })).toBe("10.1.1.1");
  });

  it("without a known peer, every client shares one bucket (XFF is not believed)", () => {
    expect(resolveClientAddress({ peer: null, forwardedFor: "1.2.3.4", trusted: proxies })).toBe(UNKNOWN_ADDRESS);
  });
});

describe("peer address stamp (what route handlers see of the TCP peer)", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    installPeerAddressStamp();
    server = http.createServer((req, res) => {
      const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]));
      res.end(JSON.stringify({ peer: peerAddressFrom(headers) }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("carries the socket's address, and a forged stamp header is overwritten", async () => {
    const forged = await fetch(url, { headers: { "x-modloop-peer": "0000 6.6.6.6", "x-forwarded-for": "6.6.6.6" } }).then((r) => r.json());
    expect(forged).toEqual({ peer: "127.0.0.1" });
  });

  it("refuses a stamp without this process's secret", () => {
    expect(peerAddressFrom(new Headers({ "x-modloop-peer": "guess 6.6.6.6" }))).toBeNull();
  });
});
