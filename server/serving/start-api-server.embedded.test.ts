import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../api-keys/create-api-key.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { migrate } from "../db/migrate.ts";
import { closePools, getPool } from "../db/pool.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture } from "../model/model-fixtures.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { freePort } from "../test/free-port.ts";
import { eventually } from "./api-test-harness.ts";
import { startApiServer, type TApiServer } from "./start-api-server.ts";

/**
 * The machine API as `npm start` runs it without DATABASE_URL: in the same process, on the embedded
 * PostgreSQL (PGlite over its socket), without LISTEN (caches fall back to their time limit).
 */
let dir: string;
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let api: TApiServer;
let key: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "modloop-embedded-api-"));
  embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  process.env.DATABASE_URL = embedded.url;
  process.env.MODLOOP_DB_KIND = "pglite";
  await migrate(embedded.url);
  const fx = await seedModelFixture({ labelled: 80, unlabelled: 0, slug: "demo" });
  await trainModelVersion({ workspaceId: fx.workspaceId, activate: true });
  key = (await createApiKey({ workspaceId: fx.workspaceId, input: { name: "demo" } })).key;
  api = await startApiServer({ port: await freePort(), host: "127.0.0.1", config: { MODLOOP_API_CACHE_MS: 500 }, log: () => {} });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await releaseModelSessions();
  await closePools();
  await embedded?.stop();
  await rm(dir, { recursive: true, force: true });
  delete process.env.MODLOOP_DB_KIND;
});

describe("the machine API on the embedded database", () => {
  it("classifies, stores through the live store (no COPY, no LISTEN) and answers Perspective requests", async () => {
    const res = await fetch(`${api.url}/api/v1/classify`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
      body: JSON.stringify({
        texts: [
          { text: "fuck this game", externalId: "e-1" },
          { text: "gg wp", externalId: "e-2" },
        ],
      }),
    });
    expect(res.status).toBe(200);
    await eventually("stored", async () => {
      const { rows } = await getPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM excerpt e JOIN prediction p ON p.excerpt_id = e.id WHERE e.external_id IN ('e-1', 'e-2')`,
      );
      return rows[0].n === 2 ? true : undefined;
    });
    const analyzed = await fetch(`${api.url}/v1alpha1/comments:analyze?key=${key}`, {
      method: "POST",
      body: JSON.stringify({ comment: { text: "you idiot" }, requestedAttributes: { TOXICITY: {} } }),
    });
    expect(
      ((await analyzed.json()) as { attributeScores: { TOXICITY: { summaryScore: { value: number } } } }).attributeScores.TOXICITY.summaryScore.value,
    ).toBeGreaterThan(0.5);
    const health = (await (await fetch(`${api.url}/api/v1/health`)).json()) as { isListening: boolean };
    expect(health.isListening).toBe(false);
  });

  it("reports a taken port in words", async () => {
    await expect(startApiServer({ port: api.port, host: "127.0.0.1", log: () => {} })).rejects.toThrow(/Port \d+ is taken.*MODLOOP_API_PORT/);
  });
});
