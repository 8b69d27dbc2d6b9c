import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "@/lib/webhooks/signature.ts";
import { createApiKey } from "../api-keys/create-api-key.ts";
import { getPool } from "../db/pool.ts";
import { stopBoss } from "../jobs/boss.ts";
import { startWorker, type TWorkerHandle } from "../worker/worker.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { submitDecision } from "../queue/submit-decision.ts";
import { undoLastDecision } from "../queue/undo-last-decision.ts";
import { promoteModelVersion } from "../registry/promote-model-version.ts";
import { eventually, startApiProcess, startReceiver, type TApiProcess } from "../serving/api-test-harness.ts";
import { freePort } from "../test/free-port.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createWebhook } from "./create-webhook.ts";
import { deleteWebhook } from "./delete-webhook.ts";
import { deliverWebhook } from "./deliver-webhook.ts";
import { listWebhookDeliveries } from "./list-webhook-deliveries.ts";
import { listWebhooks } from "./list-webhooks.ts";
import { redeliverWebhook } from "./redeliver-webhook.ts";
import { updateWebhook } from "./update-webhook.ts";

/**
 * Webhooks end to end: events captured by triggers (and the API's live store) in the transaction of
 * the change, dispatched by a real worker into pg-boss jobs, delivered signed to a local receiver,
 * retried with backoff after a 500 or while the receiver is down, and logged for the admin.
 */

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TModelFixture;
let worker: TWorkerHandle;
let api: TApiProcess;
let apiKey: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let secret: string;
let webhookId: number;
let excerptId: string;
const failFirstOf = new Set<string>();

type TBody = { id: string; type: string; createdAt: string; workspace: string; data: Record<string, unknown> };
const bodies = () => receiver.received.map((r) => JSON.parse(r.body) as TBody);

beforeAll(async () => {
  process.env.MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST = "1";
  process.env.MODLOOP_WEBHOOK_RETRY_DELAY_S = "1";
  testDb = await createTestDatabase();
  fx = await seedModelFixture({ labelled: 120, unlabelled: 0, slug: "hooks" });
  await trainModelVersion({ workspaceId: fx.workspaceId, activate: true });
  const { rows } = await getPool().query<{ id: string }>(
    `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, game) VALUES ($1, 'x:chat-77', 'chat-77', 'uninstall you clown', 'arena') RETURNING id::text`,
    [fx.workspaceId],
  );
  excerptId = rows[0].id;
  // in the review queue, so the moderator's undo can hand it back
  await getPool().query(`INSERT INTO queue_item (excerpt_id, workspace_id, priority) VALUES ($1, $2, 0.5)`, [excerptId, fx.workspaceId]);
  // the first delivery of each event type marked here is answered 500, the retry 200
  receiver = await startReceiver((r) => {
    const body = JSON.parse(r.body) as TBody;
    if (failFirstOf.has(body.type)) {
      failFirstOf.delete(body.type);
      return 500;
    }
    return 200;
  });
  const hook = await createWebhook({
    workspaceId: fx.workspaceId,
    input: { name: "game backend", url: receiver.url, events: ["decision.final", "excerpt.flagged", "model.promoted"] },
  });
  secret = hook.secret;
  webhookId = hook.id;
  worker = await startWorker({ hasSweep: false, log: () => {} });
  apiKey = (await createApiKey({ workspaceId: fx.workspaceId, input: { name: "game" } })).key;
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

describe("webhook settings", () => {
  it("need https (plain http only for a local receiver with the dev setting), known events, and stay in their workspace", async () => {
    const input = { url: "http://example.com/hook", events: ["decision.final" as const] };
    await expect(createWebhook({ workspaceId: fx.workspaceId, input })).rejects.toThrow(/https only/);
    await expect(createWebhook({ workspaceId: fx.workspaceId, input: { ...input, url: "https://user:pw@example.com/" } })).rejects.toThrow(/credentials/);
    await expect(createWebhook({ workspaceId: fx.workspaceId, input: { ...input, url: "not a url" } })).rejects.toThrow(/is not a URL/);
    await expect(createWebhook({ workspaceId: fx.workspaceId, input: { url: "https://example.com", events: ["label.changed"] as never } })).rejects.toThrow(
      /events\[0\]/,
    );
    await expect(createWebhook({ workspaceId: fx.workspaceId, input: { url: "https://example.com", events: [] } })).rejects.toThrow(/at least one event/);
    delete process.env.MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST;
    await expect(createWebhook({ workspaceId: fx.workspaceId, input: { ...input, url: "http://127.0.0.1:9/hook" } })).rejects.toThrow(
      /MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST=1/,
    );
    process.env.MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST = "1";
    const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('elsewhere', 'elsewhere') RETURNING id`);
    await expect(updateWebhook({ workspaceId: rows[0].id, webhookId, patch: { isActive: false } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteWebhook({ workspaceId: rows[0].id, webhookId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listWebhooks({ workspaceId: rows[0].id })).toEqual([]);
    const listed = await listWebhooks({ workspaceId: fx.workspaceId });
    expect(listed).toEqual([expect.objectContaining({ id: webhookId, url: receiver.url, isActive: true })]);
    expect(listed[0]).not.toHaveProperty("secret");
  });

  it("an event is captured only with the change: a rolled-back label change leaves none", async () => {
    const client = await getPool().connect();
    try {
      await client.query("BEGIN");
      await client.query(`UPDATE excerpt SET current_category_id = $2 WHERE id = $1`, [excerptId, fx.categoryIds.ok]);
      expect((await client.query(`SELECT count(*)::int AS n FROM webhook_event`)).rows[0].n).toBe(1);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect((await getPool().query(`SELECT count(*)::int AS n FROM webhook_event`)).rows[0].n).toBe(0);
  });
});

describe("delivery", () => {
  it("decision.final reaches the receiver signed, off the decision's path, and is retried after a 500", async () => {
    failFirstOf.add("decision.final");
    await submitDecision({ workspaceId: fx.workspaceId, userId: fx.userId, excerptId, kind: "label", categoryId: fx.categoryIds.insult });
    // the decision committed an outbox row and returned; delivery is the worker's business, later
    expect(receiver.received).toHaveLength(0);
    expect((await getPool().query(`SELECT count(*)::int AS n FROM webhook_event WHERE type = 'decision.final'`)).rows[0].n).toBe(1);
    const delivered = await eventually("decision.final delivered after its retry", async () => {
      const ok = receiver.received.filter((r) => (JSON.parse(r.body) as TBody).type === "decision.final");
      return ok.length >= 2 ? ok : undefined;
    });
    // retried after pg-boss's backoff (MODLOOP_WEBHOOK_RETRY_DELAY_S=1 here)
    expect(delivered[1].at - delivered[0].at).toBeGreaterThanOrEqual(900);
    for (const r of delivered) {
      expect(r.headers["modloop-event"]).toBe("decision.final");
      expect(verifySignature({ secret, header: r.headers["modloop-signature"] as string, body: r.body })).toBe(true);
      expect(verifySignature({ secret: "wrong", header: r.headers["modloop-signature"] as string, body: r.body })).toBe(false);
      expect(r.headers["modloop-signature"]).toContain(`t=${r.headers["modloop-timestamp"]}`);
    }
    const body = JSON.parse(delivered[1].body) as TBody;
    expect(body).toMatchObject({
      type: "decision.final",
      workspace: "hooks",
      data: { excerptId, externalId: "chat-77", isToxic: true, game: "arena", category: { id: fx.categoryIds.insult, name: "Insult", isNonToxic: false } },
    });
    // the same event both times (a receiver dedupes on id)
    expect(JSON.parse(delivered[0].body).id).toBe(body.id);
    const log = await eventually("the delivery logged as delivered", async () => {
      const { deliveries } = await listWebhookDeliveries({ workspaceId: fx.workspaceId });
      const d = deliveries.find((x) => x.eventType === "decision.final");
      return d?.status === "delivered" ? d : undefined;
    });
    expect(log).toMatchObject({ webhookId, attempts: 2, responseStatus: 200, lastError: null });
  });

  it("an undo sends the label the excerpt stands at now (none)", async () => {
    await undoLastDecision({ workspaceId: fx.workspaceId, userId: fx.userId });
    const undone = await eventually("the undo delivered", async () => bodies().find((b) => b.type === "decision.final" && b.data.category === null));
    expect(undone.data).toMatchObject({ externalId: "chat-77", category: null, isToxic: null, previousCategoryId: fx.categoryIds.insult });
  });

  it("model.promoted on a promotion", async () => {
    const next = await trainModelVersion({ workspaceId: fx.workspaceId });
    await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: next.modelVersionId, isConfirmed: true });
    const promoted = await eventually("model.promoted delivered", async () => bodies().find((b) => b.type === "model.promoted"));
    expect(promoted.data).toMatchObject({ modelVersionId: next.modelVersionId, version: next.version });
  });

  it("excerpt.flagged for a stored live line over the threshold, once however often it is retried", async () => {
    const send = () =>
      fetch(`${api.url}/api/v1/classify`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          texts: [
            { text: "fuck this game you idiot", externalId: "live-1", speakerId: "p9" },
            { text: "gg wp", externalId: "live-2" },
          ],
        }),
      });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const flagged = await eventually("excerpt.flagged delivered", async () => bodies().find((b) => b.type === "excerpt.flagged"));
    expect(flagged.data).toMatchObject({ externalId: "live-1", speakerId: "p9", text: "fuck this game you idiot", isQueued: true });
    expect(flagged.data.toxicScore as number).toBeGreaterThan(0.5);
    await new Promise((r) => setTimeout(r, 1500));
    expect(bodies().filter((b) => b.type === "excerpt.flagged")).toHaveLength(1);
  });

  it("a receiver that is down loses nothing: attempts continue until it is back", async () => {
    const port = await freePort();
    const down = await createWebhook({
      workspaceId: fx.workspaceId,
      input: { name: "down", url: `http://127.0.0.1:${port}/hook`, events: ["decision.final"] },
    });
    await submitDecision({ workspaceId: fx.workspaceId, userId: fx.userId, excerptId, kind: "label", categoryId: fx.categoryIds.profanity });
    const failing = await eventually("a refused attempt logged", async () => {
      const { deliveries } = await listWebhookDeliveries({ workspaceId: fx.workspaceId, webhookId: down.id });
      return deliveries[0]?.attempts >= 1 ? deliveries[0] : undefined;
    });
    expect(failing).toMatchObject({ status: "pending", responseStatus: null, lastError: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
    // the receiver comes up on that port
    const got: string[] = [];
    const server = http.createServer((req, res) => {
      let b = "";
      req.on("data", (c) => (b += c));
      req.on("end", () => {
        got.push(b);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      const done = await eventually(
        "delivered once the receiver is back",
        async () => {
          const { deliveries } = await listWebhookDeliveries({ workspaceId: fx.workspaceId, webhookId: down.id });
          return deliveries[0]?.status === "delivered" ? deliveries[0] : undefined;
        },
        40_000,
      );
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      expect(JSON.parse(got[0]).data.category.name).toBe("Profanity");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deleteWebhook({ workspaceId: fx.workspaceId, webhookId: down.id });
    }
  }, 60_000);

  it("the last failed attempt marks the delivery failed; an admin can redeliver it", async () => {
    const { deliveries } = await listWebhookDeliveries({ workspaceId: fx.workspaceId, status: "delivered", limit: 1 });
    const target = deliveries[0];
    await getPool().query(`UPDATE webhook_delivery SET status = 'pending' WHERE id = $1`, [target.id]);
    await updateWebhook({ workspaceId: fx.workspaceId, webhookId, patch: { url: `http://127.0.0.1:${await freePort()}/gone` } });
    const outcome = await deliverWebhook({ deliveryId: target.id, isLastAttempt: true });
    expect(outcome.status).toBe("failed");
    const failed = (await listWebhookDeliveries({ workspaceId: fx.workspaceId, status: "failed" })).deliveries;
    expect(failed.map((d) => d.id)).toEqual([target.id]);
    await updateWebhook({ workspaceId: fx.workspaceId, webhookId, patch: { url: receiver.url } });
    const before = receiver.received.length;
    await redeliverWebhook({ workspaceId: fx.workspaceId, deliveryId: target.id });
    await expect(redeliverWebhook({ workspaceId: fx.workspaceId, deliveryId: target.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await eventually("redelivered", async () => {
      const { deliveries: d } = await listWebhookDeliveries({ workspaceId: fx.workspaceId });
      return d.find((x) => x.id === target.id)?.status === "delivered" && receiver.received.length > before ? true : undefined;
    });
    await expect(redeliverWebhook({ workspaceId: fx.workspaceId + 1000, deliveryId: target.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a webhook turned off gets no new events, and its queued deliveries are cancelled", async () => {
    await updateWebhook({ workspaceId: fx.workspaceId, webhookId, patch: { isActive: false } });
    const before = (await getPool().query(`SELECT count(*)::int AS n FROM webhook_event`)).rows[0].n;
    await submitDecision({ workspaceId: fx.workspaceId, userId: fx.userId, excerptId, kind: "label", categoryId: fx.categoryIds.ok });
    expect((await getPool().query(`SELECT count(*)::int AS n FROM webhook_event`)).rows[0].n).toBe(before);
    const { rows } = await getPool().query<{ id: string }>(
      `INSERT INTO webhook_event (workspace_id, type, payload) VALUES ($1, 'decision.final', '{}') RETURNING id::text`,
      [fx.workspaceId],
    );
    const { rows: d } = await getPool().query<{ id: string }>(
      `INSERT INTO webhook_delivery (webhook_id, event_id, workspace_id) VALUES ($1, $2, $3) RETURNING id::text`,
      [webhookId, rows[0].id, fx.workspaceId],
    );
    expect((await deliverWebhook({ deliveryId: d[0].id, isLastAttempt: false })).status).toBe("cancelled");
  });

  it("the log forgets finished deliveries after 30 days, never pending ones", async () => {
    const { rows } = await getPool().query<{ id: string }>(
      `INSERT INTO webhook_event (workspace_id, type, payload, created_at, dispatched_at)
       VALUES ($1, 'decision.final', '{}', now() - interval '40 days', now() - interval '40 days'),
              ($1, 'decision.final', '{}', now() - interval '40 days', now() - interval '40 days') RETURNING id::text`,
      [fx.workspaceId],
    );
    await getPool().query(
      `INSERT INTO webhook_delivery (webhook_id, event_id, workspace_id, status) VALUES ($1, $2, $4, 'delivered'), ($1, $3, $4, 'pending')`,
      [webhookId, rows[0].id, rows[1].id, fx.workspaceId],
    );
    const { pruneWebhookLog } = await import("./prune-webhook-log.ts");
    expect(await pruneWebhookLog()).toEqual({ deletedEvents: 1 });
    const { rows: left } = await getPool().query<{ id: string }>(`SELECT event_id::text AS id FROM webhook_delivery WHERE event_id = ANY ($1::bigint[])`, [
      rows.map((r) => r.id),
    ]);
    expect(left.map((r) => r.id)).toEqual([rows[1].id]);
  });
});
