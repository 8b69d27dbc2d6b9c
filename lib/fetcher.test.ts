import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError, apiFetch } from "./fetcher.ts";

/**
 * The browser fetcher against a real local HTTP server: an idempotent call (one user action) keeps its
 * one Idempotency-Key across its retries of a lost or failed response, each action gets a new key, and
 * a 4xx or a plain call is not retried.
 */

type TSeen = { key: string | undefined; body: string };
let server: http.Server;
let base: string;
const seen: TSeen[] = [];
/** status codes to answer, in order; then 200 */
let plan: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      seen.push({ key: req.headers["idempotency-key"] as string | undefined, body });
      const status = plan.shift() ?? 200;
      if (status === 0) {
        // the connection drops without an answer, as when a proxy or the network loses the response
        req.socket.destroy();
        return;
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status === 200 ? { n: seen.length } : { error: { code: status === 409 ? "CONFLICT" : "INTERNAL", message: `status ${status}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  plan = [];
});

describe("apiFetch with isIdempotent", () => {
  it("retries a dropped connection and a 503 with the same key and body, then answers", async () => {
    plan = [0, 503];
    const answer = await apiFetch<{ n: number }>(`${base}/x`, { method: "POST", json: { a: 1 }, isIdempotent: true });
    expect(answer).toEqual({ n: 3 });
    expect(seen).toHaveLength(3);
    expect(seen[0]!.key).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(new Set(seen.map((s) => s.body))).toEqual(new Set(['{"a":1}']));
  });

  it("sends a new key for each action", async () => {
    await apiFetch(`${base}/x`, { method: "POST", isIdempotent: true });
    await apiFetch(`${base}/x`, { method: "POST", isIdempotent: true });
    expect(seen[0]!.key).not.toBe(seen[1]!.key);
  });

  it("does not retry a 409, and gives up after its retries", async () => {
    plan = [409];
    await expect(apiFetch(`${base}/x`, { method: "POST", isIdempotent: true })).rejects.toMatchObject({ code: "CONFLICT", status: 409 });
    expect(seen).toHaveLength(1);
    seen.length = 0;
    plan = [500, 500, 500];
    await expect(apiFetch(`${base}/x`, { method: "POST", isIdempotent: true, retries: 2 })).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveLength(3);
  });

  it("a plain call sends no key and is not retried", async () => {
    plan = [503];
    await expect(apiFetch(`${base}/x`, { method: "POST" })).rejects.toMatchObject({ status: 503 });
    expect(seen).toEqual([{ key: undefined, body: "" }]);
  });
});
