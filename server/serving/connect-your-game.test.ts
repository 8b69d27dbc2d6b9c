import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "@/lib/webhooks/signature.ts";
import { getPool } from "../db/pool.ts";
import { stopBoss } from "../jobs/boss.ts";
import { startWorker, type TWorkerHandle } from "../worker/worker.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { claimItems } from "../queue/claim-items.ts";
import { submitDecision } from "../queue/submit-decision.ts";
import { promoteModelVersion } from "../registry/promote-model-version.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createWebhook } from "../webhooks/create-webhook.ts";
import { eventually, startApiProcess, startReceiver, type TApiProcess } from "./api-test-harness.ts";

/**
 * "Done when" of issue 11, in one test: a game's chat pipeline gets a key (the CLI) and a base URL,
 * sends its lines, the flagged ones reach a moderator's queue, the moderator's decision (through the
 * server function the queue route calls) reaches the game's webhook, signed, and the next promoted
 * model answers the next call.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TModelFixture;
let api: TApiProcess;
let worker: TWorkerHandle;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

async function apikeyCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/apikey.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDb.url },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  process.env.MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST = "1";
  process.env.MODLOOP_WEBHOOK_RETRY_DELAY_S = "1";
  testDb = await createTestDatabase();
  fx = await seedModelFixture({ labelled: 200, unlabelled: 0, slug: "arena" });
  await trainModelVersion({ workspaceId: fx.workspaceId, activate: true });
  receiver = await startReceiver();
  worker = await startWorker({ hasSweep: false, log: () => {} });
  api = await startApiProcess({ databaseUrl: testDb.url });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await worker?.stop({ timeoutMs: 5000 });
  await stopBoss({ graceful: false });
  await receiver?.close();
  await releaseModelSessions();
  await testDb?.drop();
  delete process.env.MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST;
  delete process.env.MODLOOP_WEBHOOK_RETRY_DELAY_S;
});

describe("npm run apikey", () => {
  it("explains itself and refuses a create without a name", async () => {
    const help = await apikeyCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--name <name>/);
    expect(help.stdout).toMatch(/npm run apikey -- create --name \S+/);
    expect(help.stdout).toMatch(/--workspace <slug>/);
    const nameless = await apikeyCli(["create", "--workspace", "arena"]);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toMatch(/create needs --name/);
    const unknown = await apikeyCli(["create", "--name", "x", "--workspace", "nowhere"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No workspace "nowhere"/);
  });
});

describe("connect your game", () => {
  it("key and base URL → flagged lines reach moderators → their decision reaches the webhook → the next promoted model answers", async () => {
    // 1. an admin creates a key for the game (shown once) and registers the game's webhook
    const created = await apikeyCli(["create", "--name", "chat pipeline", "--scopes", "classify,ingest,decisions:read", "--workspace", "arena"]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^mlk_[A-Za-z0-9_-]{43}$/);
    const listed = await apikeyCli(["list", "--workspace", "arena"]);
    expect(listed.stdout).toMatch(new RegExp(`${key.slice(0, 10)}….*active.*chat pipeline.*classify,ingest,decisions:read.*last used never`));
    expect(listed.stdout).not.toContain(key);
    const hook = await createWebhook({ workspaceId: fx.workspaceId, input: { url: receiver.url, events: ["decision.final", "model.promoted"] } });

    // 2. the game's pipeline sends a match's chat to <base URL>/api/v1/classify
    const base = `${api.url}/w/arena`;
    const lines = [
      { text: "gg wp everyone", externalId: "msg-1" },
      { text: "uninstall you clown", externalId: "msg-2" },
      { text: "nice shot mate", externalId: "msg-3" },
      { text: "fuck this game you idiot", externalId: "msg-4" },
    ].map((l) => ({ ...l, game: "arena", conversationId: "match-42", speakerId: `p${l.externalId.slice(-1)}` }));
    const res = await fetch(`${base}/api/v1/classify`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ texts: lines }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { modelVersion: string; results: { externalId: string; isFlagged: boolean }[] };
    const flaggedIds = answer.results.filter((r) => r.isFlagged).map((r) => r.externalId);
    expect(flaggedIds).toEqual(["msg-2", "msg-4"]);

    // 3. the flagged lines reach a moderator's queue (the friendly ones do not: route flagged, 1% audit)
    const { rows: users } = await getPool().query<{ id: number }>(
      `INSERT INTO app_user (email, name, password_hash) VALUES ('mod@arena.test', 'mod', 'x') RETURNING id`,
    );
    const moderatorId = users[0].id;
    const cards = await eventually("the flagged lines in the queue", async () => {
      const { rows } = await getPool().query(
        `SELECT count(*)::int AS n FROM queue_item q JOIN excerpt e ON e.id = q.excerpt_id WHERE e.external_id = ANY ($1)`,
        [flaggedIds],
      );
      return rows[0].n === 2 ? claimItems({ workspaceId: fx.workspaceId, userId: moderatorId, limit: 10 }) : undefined;
    });
    const served = cards.map((c) => c.text);
    expect(served).toEqual(expect.arrayContaining(["uninstall you clown", "fuck this game you idiot"]));
    const card = cards.find((c) => c.text === "uninstall you clown")!;
    expect(card).toMatchObject({ game: "arena", conversationId: "match-42", speakerId: "p2", isFlagged: true });
    expect(card.suggestion?.categoryId).toBe(fx.categoryIds.insult);

    // 4. the moderator confirms the suggestion; the final label reaches the game's webhook, signed
    await submitDecision({ workspaceId: fx.workspaceId, userId: moderatorId, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds.insult });
    const delivery = await eventually("decision.final at the game", async () => receiver.received.find((r) => JSON.parse(r.body).type === "decision.final"));
    expect(verifySignature({ secret: hook.secret, header: delivery.headers["modloop-signature"] as string, body: delivery.body })).toBe(true);
    expect(JSON.parse(delivery.body).data).toMatchObject({
      externalId: "msg-2",
      category: { name: "Insult" },
      isToxic: true,
      conversationId: "match-42",
      speakerId: "p2",
    });
    // … and the polling feed says the same
    const feed = (await (await fetch(`${base}/api/v1/decisions`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      decisions: { externalId: string }[];
    };
    expect(feed.decisions.map((d) => d.externalId)).toEqual(["msg-2"]);

    // 5. a new model is trained on the new label and promoted: the next call is answered by it, no restart
    const next = await trainModelVersion({ workspaceId: fx.workspaceId });
    await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: next.modelVersionId, isConfirmed: true });
    await eventually("model.promoted at the game", async () => receiver.received.find((r) => JSON.parse(r.body).type === "model.promoted"));
    const after = await eventually("the next call answered by the new model", async () => {
      const r = await fetch(`${base}/api/v1/classify`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ texts: [{ text: "report him", externalId: "msg-5" }] }),
      });
      const body = (await r.json()) as { modelVersion: string };
      return body.modelVersion === next.version ? body : undefined;
    });
    expect(after.modelVersion).not.toBe(answer.modelVersion);

    // the admin revokes the key: the pipeline is refused
    const { rows: keyRows } = await getPool().query<{ id: number }>(`SELECT id FROM api_key WHERE name = 'chat pipeline'`);
    const revoked = await apikeyCli(["revoke", String(keyRows[0].id), "--workspace", "arena"]);
    expect(revoked.stderr).toMatch(/revoked at/);
    await eventually("the key refused", async () => {
      const r = await fetch(`${base}/api/v1/classify`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ texts: ["hi"], store: false }),
      });
      return r.status === 401 ? true : undefined;
    });
  }, 120_000);
});
