import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors.ts";
import { submitAdjudication } from "../adjudication/submit-adjudication.ts";
import { getPool } from "../db/pool.ts";
import { claimItems } from "../queue/claim-items.ts";
import { forgetQueueSettings } from "../queue/get-queue-settings.ts";
import { seedQueueFixture, type TQueueFixture } from "../queue/queue-fixtures.ts";
import { activateVersion } from "../registry/activate-version.ts";
import { submitDecision, type TSubmitDecisionOptions } from "../queue/submit-decision.ts";
import { undoLastDecision } from "../queue/undo-last-decision.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { pruneIdempotentRequests, runIdempotent, runIdempotentInline } from "./run-idempotent.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;
let keySeq = 0;
const newKey = () => `test-key-${++keySeq}-${Date.now()}`;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 200, users: 6, randomShare: 0 });
});
afterAll(() => testDb.drop());
beforeEach(() => forgetQueueSettings());

async function decisionsOn(excerptId: string) {
  const { rows } = await getPool().query(`SELECT id::text, kind::text, reverses_id::text, user_id FROM decision WHERE excerpt_id = $1 ORDER BY id`, [
    excerptId,
  ]);
  return rows as { id: string; kind: string; reverses_id: string | null; user_id: number }[];
}
async function labelOf(excerptId: string): Promise<number | null> {
  const { rows } = await getPool().query(`SELECT current_category_id FROM excerpt WHERE id = $1`, [excerptId]);
  return rows[0].current_category_id;
}

/** The decisions route: the same scope and operation the app sends. */
function decide(key: string | null, options: Omit<TSubmitDecisionOptions, "workspaceId">) {
  const scope = { userId: options.userId, workspaceId: fx.workspaceId, key, operation: "queue.decide", request: options };
  return runIdempotent(scope, () => submitDecision({ workspaceId: fx.workspaceId, ...options }));
}
function undo(key: string | null, userId: number) {
  const scope = { userId, workspaceId: fx.workspaceId, key, operation: "queue.undo", request: null };
  return runIdempotent(scope, async () => (await undoLastDecision({ workspaceId: fx.workspaceId, userId })) ?? { reversedDecisionId: null, card: null });
}

describe("runIdempotent", () => {
  it("a retry of a committed decision (its response lost) returns the first answer and stores nothing more", async () => {
    const A = fx.userIds[0];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const key = newKey();
    const input = { userId: A, excerptId: card.excerptId, kind: "label" as const, categoryId: fx.categoryIds[1] };
    const first = await decide(key, input);
    const retried = await decide(key, input);
    expect(retried).toEqual(first);
    expect(await decisionsOn(card.excerptId)).toHaveLength(1);
    // without a key, the same request is a new decision (older clients, scripts)
    await decide(null, input);
    expect(await decisionsOn(card.excerptId)).toHaveLength(2);
  });

  it("concurrent duplicates of one keypress store one decision and all get its answer", async () => {
    const B = fx.userIds[1];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 1 });
    const key = newKey();
    const input = { userId: B, excerptId: card.excerptId, kind: "skip" as const };
    const answers = await Promise.all(Array.from({ length: 8 }, () => decide(key, input)));
    expect(new Set(answers.map((a) => a.decisionId)).size).toBe(1);
    expect(await decisionsOn(card.excerptId)).toHaveLength(1);
  });

  it("a retried undo undoes one decision, not the one before it too", async () => {
    const C = fx.userIds[2];
    const [x, y] = await claimItems({ workspaceId: fx.workspaceId, userId: C, limit: 2 });
    await decide(newKey(), { userId: C, excerptId: x.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    await decide(newKey(), { userId: C, excerptId: y.excerptId, kind: "label", categoryId: fx.categoryIds[2] });
    const key = newKey();
    const [first, ...retries] = await Promise.all([undo(key, C), undo(key, C), undo(key, C)]);
    expect(first.reversedDecisionId).not.toBeNull();
    for (const r of retries) expect(r).toEqual(first);
    expect((await undo(key, C)).reversedDecisionId).toBe(first.reversedDecisionId);
    // y's label is undone once; x keeps its label and is not reopened
    // (an earlier test's skip by another moderator may precede them)
    expect((await decisionsOn(y.excerptId)).map((d) => d.kind).filter((k) => k !== "skip")).toEqual(["label", "reversal"]);
    expect((await decisionsOn(x.excerptId)).map((d) => d.kind).filter((k) => k !== "skip")).toEqual(["label"]);
    expect(await labelOf(x.excerptId)).toBe(fx.categoryIds[1]);
    expect(await labelOf(y.excerptId)).toBeNull();
    const { rows } = await getPool().query(`SELECT is_open FROM queue_item WHERE excerpt_id = $1`, [x.excerptId]);
    expect(rows[0].is_open).toBe(false);
  });

  it("refuses a key reused for a different request, and stores nothing for a request that failed", async () => {
    const D = fx.userIds[3];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: D, limit: 1 });
    const key = newKey();
    // a failed request (inactive category) leaves no key behind: nothing was done, so a retry runs again
    const bad = { userId: D, excerptId: card.excerptId, kind: "label" as const, categoryId: fx.inactiveCategoryId };
    await expect(decide(key, bad)).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(decide(key, bad)).rejects.toMatchObject({ code: "VALIDATION" });
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM idempotent_request WHERE key = $1`, [key]);
    expect(rows[0].n).toBe(0);

    await decide(key, { userId: D, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    const reused = decide(key, { userId: D, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[2] });
    await expect(reused).rejects.toBeInstanceOf(AppError);
    await expect(reused).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await decisionsOn(card.excerptId)).toHaveLength(1);
    // keys are per user: another moderator's identical key is their own
    const E = fx.userIds[4];
    const [other] = await claimItems({ workspaceId: fx.workspaceId, userId: E, limit: 1 });
    await decide(key, { userId: E, excerptId: other.excerptId, kind: "skip" });
    expect(await decisionsOn(other.excerptId)).toHaveLength(1);
  });

  it("refuses a malformed key with a 422 that names the header", async () => {
    const input = { userId: fx.userIds[0], excerptId: fx.excerptIds[0], kind: "skip" as const };
    await expect(decide("bad key!", input)).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringContaining("headers.idempotency-key") });
  });

  it("a retried adjudication returns the first answer instead of a CONFLICT from its own first attempt", async () => {
    const [A, B, S] = [fx.userIds[0], fx.userIds[1], fx.userIds[5]];
    await getPool().query(`UPDATE app_user SET is_senior = true WHERE id = $1`, [S]);
    const excerptId = fx.excerptIds[150];
    await getPool().query(`UPDATE queue_item SET required_reviews = 2, leased_by_id = NULL WHERE excerpt_id = $1`, [excerptId]);
    await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId, kind: "label", categoryId: fx.categoryIds[1], origin: "review" });
    await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId, kind: "label", categoryId: fx.categoryIds[2], origin: "review" });
    const key = newKey();
    const body = { excerptId, categoryId: fx.categoryIds[3] };
    const adjudicate = () =>
      runIdempotent({ userId: S, workspaceId: fx.workspaceId, key, operation: "adjudication.decide", request: body }, () =>
        submitAdjudication({ workspaceId: fx.workspaceId, userId: S, ...body }),
      );
    const [first, second] = await Promise.all([adjudicate(), adjudicate()]);
    expect(second).toEqual(first);
    expect((await decisionsOn(excerptId)).filter((d) => d.kind === "label")).toHaveLength(3);
    expect(await labelOf(excerptId)).toBe(fx.categoryIds[3]);
  });

  it("the sweep's prune deletes only keys older than a day", async () => {
    const { rows: before } = await getPool().query(`SELECT count(*)::int AS n FROM idempotent_request`);
    await getPool().query(`UPDATE idempotent_request SET created_at = now() - interval '25 hours' WHERE key = (SELECT key FROM idempotent_request LIMIT 1)`);
    expect(await pruneIdempotentRequests()).toEqual({ deleted: 1 });
    const { rows: after } = await getPool().query(`SELECT count(*)::int AS n FROM idempotent_request`);
    expect(after[0].n).toBe(before[0].n - 1);
  });

  it("a keyed write through the transaction sends its key row with BEGIN, and its answer as a parameter, never as SQL text", async () => {
    const E = fx.userIds[4];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: E, limit: 1 });
    const sent: string[] = [];
    const record = (client: { query: (...args: unknown[]) => unknown }) => {
      const query = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        const first = args[0];
        sent.push(typeof first === "string" ? first : ((first as { name?: string; text: string }).name ?? (first as { text: string }).text));
        return query(...args);
      };
      return () => {
        client.query = query;
      };
    };
    const restores: (() => void)[] = [];
    const onAcquire = (client: unknown) => restores.push(record(client as { query: (...args: unknown[]) => unknown }));
    getPool().on("acquire", onAcquire);
    try {
      await decide(newKey(), { userId: E, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    } finally {
      getPool().off("acquire", onAcquire);
      for (const restore of restores) restore();
    }
    expect(sent).toHaveLength(4);
    expect(sent[0]).toMatch(/^BEGIN; SET LOCAL lock_timeout = 200; INSERT INTO idempotent_request/);
    expect(sent[1]).toBe("queue-decide");
    expect(sent[2]).toMatch(/^UPDATE idempotent_request SET response = \$3::jsonb/);
    expect(sent[3]).toBe("COMMIT");
  });

  it("an answer holding quotes, backslashes and other text a literal must escape replays exactly", async () => {
    const F = fx.userIds[5];
    const tricky = { text: `it's a "quote" \\ and \\' and '); DELETE FROM decision; --`, emoji: "🎮", nested: { list: ["a'b", "c\\d"] } };
    const key = newKey();
    let runs = 0;
    const run = () =>
      runIdempotent({ userId: F, workspaceId: fx.workspaceId, key, operation: "test.tricky", request: { n: 1 } }, async () => {
        runs += 1;
        return tricky;
      });
    expect(await run()).toEqual(tricky);
    expect(await run()).toEqual(tricky);
    expect(runs).toBe(1);
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM decision`);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it("a duplicate whose first request holds its key past the lock wait keeps trying, then gets the first answer", async () => {
    const A = fx.userIds[0];
    const key = newKey();
    // the first request, still running: its key row inserted but not committed for ~700 ms (> the 200 ms wait)
    let runs = 0;
    {
      const work = async () => {
        runs += 1;
        return { n: runs };
      };
      const held = runIdempotent({ userId: A, workspaceId: fx.workspaceId, key, operation: "test.slow", request: null }, async () => {
        const answer = await work();
        await new Promise((resolve) => setTimeout(resolve, 700));
        return answer;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const duplicate = runIdempotent({ userId: A, workspaceId: fx.workspaceId, key, operation: "test.slow", request: null }, work);
      expect(await held).toEqual({ n: 1 });
      expect(await duplicate).toEqual({ n: 1 });
      expect(runs).toBe(1);
      expect(Date.now() - started).toBeGreaterThan(300);
    }
  });

  it("the operation's own lock timeout is its error at once, not a duplicate to wait for", async () => {
    const B = fx.userIds[1];
    const holder = await getPool().connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM excerpt WHERE id = $1 FOR UPDATE", [fx.excerptIds[0]]);
      const started = Date.now();
      const { queryRunner } = await import("../db/transaction.ts");
      await expect(
        runIdempotent({ userId: B, workspaceId: fx.workspaceId, key: newKey(), operation: "test.locked", request: null }, async () => {
          await queryRunner().query("SET LOCAL lock_timeout = 100");
          await queryRunner().query("SELECT 1 FROM excerpt WHERE id = $1 FOR UPDATE", [fx.excerptIds[0]]);
          return null;
        }),
      ).rejects.toMatchObject({ code: "55P03" });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  });

  it("a promotion in progress does not hold up keyed decisions in its workspace", async () => {
    const C = fx.userIds[2];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: C, limit: 1 });
    const promoting = await getPool().connect();
    try {
      await promoting.query("BEGIN");
      await activateVersion(promoting, { workspaceId: fx.workspaceId, modelVersionId: fx.modelVersionId });
      // the promotion's transaction is open and holds the workspace row: a decision inserts rows that
      // reference the workspace (the decision, its idempotency key) and must not wait for it
      const started = Date.now();
      const answer = await decide(newKey(), { userId: C, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
      expect(answer.decisionId).toBeTruthy();
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await promoting.query("ROLLBACK");
      promoting.release();
    }
  });

  describe("inline (the key row in the operation's own statement: the queue's decision)", () => {
    /** The decisions route since it stores its key itself. */
    function decideInline(key: string | null, options: Omit<TSubmitDecisionOptions, "workspaceId">) {
      const scope = { userId: options.userId, workspaceId: fx.workspaceId, key, operation: "queue.decide", request: options };
      return runIdempotentInline(scope, (inline) => submitDecision({ workspaceId: fx.workspaceId, ...options }, inline));
    }
    async function storedAnswer(key: string) {
      const { rows } = await getPool().query(`SELECT response FROM idempotent_request WHERE key = encode(sha256($1::bytea), 'hex')`, [key]);
      return rows[0]?.response;
    }

    it("a retry gets the first answer, stored with the decision, and stores nothing more; one message to the database", async () => {
      const A = fx.userIds[0];
      const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
      const key = newKey();
      const input = { userId: A, excerptId: card.excerptId, kind: "label" as const, categoryId: fx.categoryIds[2] };
      const sent: string[] = [];
      const pool = getPool();
      const query = pool.query.bind(pool);
      pool.query = ((...args: Parameters<typeof query>) => {
        sent.push((args[0] as { name?: string }).name ?? String(args[0]));
        return query(...args);
      }) as typeof query;
      let first: Awaited<ReturnType<typeof decideInline>>;
      try {
        first = await decideInline(key, input);
      } finally {
        pool.query = query;
      }
      expect(sent).toEqual(["queue-decide-keyed"]);
      expect(await storedAnswer(key)).toEqual(first);
      expect(await decideInline(key, input)).toEqual(first);
      // (an earlier test's skip by another moderator may precede it)
      expect((await decisionsOn(card.excerptId)).filter((d) => d.user_id === A)).toHaveLength(1);
    });

    it("concurrent duplicates of one keypress store one decision and all get its answer", async () => {
      const B = fx.userIds[1];
      const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 1 });
      const key = newKey();
      const input = { userId: B, excerptId: card.excerptId, kind: "label" as const, categoryId: fx.categoryIds[1] };
      const answers = await Promise.all(Array.from({ length: 8 }, () => decideInline(key, input)));
      expect(new Set(answers.map((a) => a.decisionId)).size).toBe(1);
      expect((await decisionsOn(card.excerptId)).filter((d) => d.user_id === B)).toHaveLength(1);
    });

    it("the same key with another request is a 409; a failed request stores no key, so its retry runs", async () => {
      const C = fx.userIds[2];
      const [card, other] = await claimItems({ workspaceId: fx.workspaceId, userId: C, limit: 2 });
      const key = newKey();
      const bad = { userId: C, excerptId: card.excerptId, kind: "label" as const, categoryId: fx.inactiveCategoryId };
      await expect(decideInline(key, bad)).rejects.toMatchObject({ code: "VALIDATION" });
      expect(await storedAnswer(key)).toBeUndefined();
      await decideInline(key, { ...bad, categoryId: fx.categoryIds[1] });
      await expect(decideInline(key, { userId: C, excerptId: other.excerptId, kind: "skip" })).rejects.toMatchObject({ code: "CONFLICT" });
      expect((await decisionsOn(other.excerptId)).filter((d) => d.user_id === C)).toHaveLength(0);
    });

    it("a key stored by either path is found by the other", async () => {
      const D = fx.userIds[3];
      const [x, y] = await claimItems({ workspaceId: fx.workspaceId, userId: D, limit: 2 });
      const inputX = { userId: D, excerptId: x.excerptId, kind: "label" as const, categoryId: fx.categoryIds[1] };
      const keyX = newKey();
      const viaInline = await decideInline(keyX, inputX);
      expect(await decide(keyX, inputX)).toEqual(viaInline);
      const inputY = { userId: D, excerptId: y.excerptId, kind: "skip" as const };
      const keyY = newKey();
      const viaTransaction = await decide(keyY, inputY);
      expect(await decideInline(keyY, inputY)).toEqual(viaTransaction);
      expect((await decisionsOn(x.excerptId)).filter((d) => d.user_id === D)).toHaveLength(1);
      expect((await decisionsOn(y.excerptId)).filter((d) => d.user_id === D)).toHaveLength(1);
    });

    it("a retry gets the first answer even when what the decision checked has changed since (its category deactivated)", async () => {
      const E = fx.userIds[4];
      const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: E, limit: 1 });
      const key = newKey();
      const input = { userId: E, excerptId: card.excerptId, kind: "label" as const, categoryId: fx.categoryIds[2] };
      const first = await decideInline(key, input);
      await getPool().query(`UPDATE category SET is_active = false WHERE id = $1`, [fx.categoryIds[2]]);
      try {
        expect(await decideInline(key, input)).toEqual(first);
        // a new keypress on the deactivated category is still refused, and stores no key
        const [next] = await claimItems({ workspaceId: fx.workspaceId, userId: E, limit: 1 });
        const other = newKey();
        await expect(decideInline(other, { ...input, excerptId: next.excerptId })).rejects.toMatchObject({ code: "VALIDATION" });
        expect(await storedAnswer(other)).toBeUndefined();
      } finally {
        await getPool().query(`UPDATE category SET is_active = true WHERE id = $1`, [fx.categoryIds[2]]);
      }
      expect((await decisionsOn(card.excerptId)).filter((d) => d.user_id === E)).toHaveLength(1);
    });

    it("a retry of a committed label re-derives the excerpt's label, in case the first attempt's follow-up did not finish", async () => {
      const F = fx.userIds[5];
      const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: F, limit: 1 });
      const key = newKey();
      const input = { userId: F, excerptId: card.excerptId, kind: "label" as const, categoryId: fx.categoryIds[3] };
      const first = await decideInline(key, input);
      expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[3]);
      // what a first attempt leaves when its statement committed and its re-derivation never ran
      await getPool().query(`UPDATE excerpt SET current_category_id = $2 WHERE id = $1`, [card.excerptId, fx.categoryIds[1]]);
      expect(await decideInline(key, input)).toEqual(first);
      expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[3]);
    });
  });
});
