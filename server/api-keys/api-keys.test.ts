import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "@/lib/serving/api-key.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { ApiKeyCache } from "../serving/api-key-cache.ts";
import { createApiKey } from "./create-api-key.ts";
import { listApiKeys } from "./list-api-keys.ts";
import { revokeApiKey } from "./revoke-api-key.ts";

/** The server functions behind the admin UI's key page and `npm run apikey`. */
let drop: () => Promise<void>;
let ws: number;
let otherWs: number;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('a', 'A'), ('b', 'B') RETURNING id`);
  [ws, otherWs] = rows.map((r) => r.id);
});

afterAll(async () => {
  await drop();
});

describe("API keys", () => {
  it("are created with a name, scopes (default classify + ingest), a limit and an expiry; only the hash is stored", async () => {
    const created = await createApiKey({ workspaceId: ws, input: { name: "  pipeline  " } });
    expect(created).toMatchObject({
      name: "pipeline",
      scopes: ["classify", "ingest"],
      rateLimitPerMinute: null,
      expiresAt: null,
      status: "active",
      lastUsedAt: null,
    });
    const { rows } = await getPool().query(`SELECT key_hash, prefix FROM api_key WHERE id = $1`, [created.id]);
    expect(rows[0].key_hash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(rows)).not.toContain(created.key);
    const limited = await createApiKey({
      workspaceId: ws,
      input: { name: "reader", scopes: ["decisions:read"], rateLimitPerMinute: 600, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    expect(limited).toMatchObject({ scopes: ["decisions:read"], rateLimitPerMinute: 600, status: "active" });
  });

  it("refuse bad settings naming the field", async () => {
    await expect(createApiKey({ workspaceId: ws, input: { name: "" } })).rejects.toThrow(/name: name is empty/);
    await expect(createApiKey({ workspaceId: ws, input: { name: "x", scopes: ["admin"] as never } })).rejects.toThrow(/scopes\[0\]/);
    await expect(createApiKey({ workspaceId: ws, input: { name: "x", scopes: [] } })).rejects.toThrow(/at least one scope/);
    await expect(createApiKey({ workspaceId: ws, input: { name: "x", scopes: ["classify", "classify"] } })).rejects.toThrow(/listed twice/);
    await expect(createApiKey({ workspaceId: ws, input: { name: "x", rateLimitPerMinute: 0 } })).rejects.toThrow(/rateLimitPerMinute/);
    await expect(createApiKey({ workspaceId: ws, input: { name: "x", expiresAt: new Date(Date.now() - 1000) } })).rejects.toThrow(
      /expiresAt: pick a time in the future/,
    );
    await expect(createApiKey({ workspaceId: 99_999, input: { name: "x" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("are listed per workspace without secrets, and revoked only in their own workspace", async () => {
    const listed = await listApiKeys({ workspaceId: ws });
    expect(listed.map((k) => k.name)).toEqual(["reader", "pipeline"]);
    expect(JSON.stringify(listed)).not.toMatch(/key_hash|mlk_[A-Za-z0-9_-]{43}/);
    expect(await listApiKeys({ workspaceId: otherWs })).toEqual([]);
    await expect(revokeApiKey({ workspaceId: otherWs, keyId: listed[0].id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokeApiKey({ workspaceId: ws, keyId: 2 ** 40 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const revoked = await revokeApiKey({ workspaceId: ws, keyId: listed[0].id });
    expect(revoked.status).toBe("revoked");
    // revoking again keeps the first time
    expect((await revokeApiKey({ workspaceId: ws, keyId: listed[0].id })).revokedAt).toBe(revoked.revokedAt);
    await getPool().query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [listed[1].id]);
    expect((await listApiKeys({ workspaceId: ws })).map((k) => k.status)).toEqual(["revoked", "expired"]);
  });

  it("of an archived workspace still read decisions but classify and ingest nothing (409 naming the workspace)", async () => {
    const key = await createApiKey({ workspaceId: otherWs, input: { name: "game", scopes: ["classify", "ingest", "decisions:read"] } });
    const cache = new ApiKeyCache({ ttlMs: 0, instances: 1 });
    expect((await cache.authenticate(key.key, "ingest")).workspaceId).toBe(otherWs);
    await getPool().query(`UPDATE workspace SET archived_at = now() WHERE id = $1`, [otherWs]);
    for (const scope of ["classify", "ingest"] as const) {
      await expect(cache.authenticate(key.key, scope)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/"b" is archived/) });
    }
    expect((await cache.authenticate(key.key, "decisions:read")).workspaceId).toBe(otherWs);
    await getPool().query(`UPDATE workspace SET archived_at = NULL WHERE id = $1`, [otherWs]);
    expect((await cache.authenticate(key.key, "classify")).workspaceId).toBe(otherWs);
  });
});
