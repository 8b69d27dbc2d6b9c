import { requiredReviews } from "@/lib/ranking/rank.ts";
import { getPool } from "../db/pool.ts";
import { loadModelSession } from "../model/load-model-session.ts";
import { liveRoute, predictionFacts, queueFields, type TRankSettings } from "@/lib/ranking/queue-fields.ts";

/** One classified text to keep: becomes an excerpt with its prediction, and a queue item when routed. */
export type TLiveLine = {
  workspaceId: number;
  apiKeyId: number;
  dedupKey: string;
  externalId: string | null;
  text: string;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversationId: string | null;
  speakerId: string | null;
  occurredAt: Date;
  modelVersionId: number;
  probs: Float32Array;
  /** the workspace's shadow versions' probabilities for the same text (recorded, never returned) */
  shadows: { modelVersionId: number; probs: Float32Array }[];
};

export type TLiveStoreStats = {
  pending: number;
  stored: number;
  duplicates: number;
  queued: number;
  events: number;
  dropped: number;
  flushes: number;
  failures: number;
  lastError: string | null;
};

export type TWorkspaceSettings = { rankSettings: TRankSettings | null; overlapShare: number };

type TWaiter = () => void;

/**
 * Keeps classified texts off the request path: requests append to an in-memory buffer and are answered
 * at once; a flush every flushMs (or as soon as flushRows are waiting) writes the buffer with one
 * statement per workspace and model (excerpts, predictions, shadow predictions, routed queue items and
 * excerpt.flagged events together, so a flush is all or nothing). Excerpts are deduplicated on the
 * importer's key (external id, else conversation + normalised text), so a client's retry stores nothing
 * twice.
 *
 * What a hard kill (SIGKILL, power loss) loses: the texts acknowledged but not yet committed, at most
 * maxPending (requests wait for room beyond it), in practice the last flushMs plus one flush of traffic.
 * SIGTERM flushes everything first (stop()).
 */
export class LiveStore {
  private buffer: TLiveLine[] = [];
  private inFlight = 0;
  private flushing = 0;
  private waiters: TWaiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private retryAt = 0;
  private retryMs = 250;
  private readonly stats: TLiveStoreStats = {
    pending: 0,
    stored: 0,
    duplicates: 0,
    queued: 0,
    events: 0,
    dropped: 0,
    flushes: 0,
    failures: 0,
    lastError: null,
  };

  constructor(
    private readonly opts: {
      flushMs: number;
      maxPending: number;
      /** a buffer this long is written at once, without waiting for the timer */
      flushRows?: number;
      /** flushes writing at the same time, on their own connections (default 2). A second one starts only
       * when a full batch waits, i.e. when PostgreSQL falls behind: then two backends write (and, on a busy
       * machine, get two shares of the CPU); light traffic is written in arrival order by one */
      maxConcurrentFlushes?: number;
      settingsFor: (workspaceId: number) => Promise<TWorkspaceSettings>;
      log?: (message: string) => void;
    },
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushMs);
    this.timer.unref();
  }

  private get flushRows(): number {
    return this.opts.flushRows ?? 1000;
  }

  get pending(): number {
    return this.buffer.length + this.inFlight;
  }

  getStats(): TLiveStoreStats {
    return { ...this.stats, pending: this.pending };
  }

  /** Accepts lines for storage; resolves at once, or when there is room again (back-pressure past maxPending). */
  async add(lines: TLiveLine[]): Promise<void> {
    while (this.pending > 0 && this.pending + lines.length > this.opts.maxPending) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    for (const line of lines) this.buffer.push(line);
    if (this.buffer.length >= this.flushRows) void this.flush({ isFull: true });
  }

  /**
   * Writes what is buffered (at most flushRows lines per flush); failed writes are retried with backoff.
   * The timer's flush runs only when none is running; a full buffer may start a second one.
   */
  async flush(opts: { isFull?: boolean } = {}): Promise<void> {
    const limit = opts.isFull ? (this.opts.maxConcurrentFlushes ?? 2) : 1;
    if (this.flushing >= limit || this.buffer.length === 0 || Date.now() < this.retryAt) return;
    this.flushing++;
    const batch = this.buffer.length <= this.flushRows ? this.buffer : this.buffer.slice(0, this.flushRows);
    this.buffer = batch === this.buffer ? [] : this.buffer.slice(this.flushRows);
    this.inFlight += batch.length;
    try {
      const groups = new Map<string, TLiveLine[]>();
      for (const line of batch) {
        const key = `${line.workspaceId}:${line.modelVersionId}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = []));
        group.push(line);
      }
      const failed: TLiveLine[] = [];
      for (const group of groups.values()) {
        try {
          await this.writeGroup(group);
        } catch (err) {
          if (isDataError(err)) await this.writeOneByOne(group);
          else {
            failed.push(...group);
            this.noteFailure(err);
          }
        }
      }
      if (failed.length > 0) {
        // keep them first in line; the next flush waits out the backoff
        this.buffer = failed.concat(this.buffer);
        this.retryAt = Date.now() + this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
      } else {
        this.retryMs = 250;
      }
      this.stats.flushes++;
    } finally {
      this.inFlight -= batch.length;
      this.flushing--;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
      // more than a batch waiting: keep writing without waiting for the timer
      if (this.buffer.length >= this.flushRows) void this.flush({ isFull: true });
    }
  }

  /** Flushes until empty (SIGTERM), giving up after timeoutMs; returns what is still unwritten. */
  async stop(timeoutMs = 15_000): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) {
      if (this.flushing > 0 || Date.now() < this.retryAt) await new Promise((r) => setTimeout(r, 20));
      else await this.flush();
    }
    return this.pending;
  }

  private noteFailure(err: unknown): void {
    this.stats.failures++;
    this.stats.lastError = (err as Error).message;
    this.opts.log?.(`live store: write failed (${(err as Error).message}); retrying`);
  }

  /** A line the database refuses (bad data) must not block the rest: write one at a time and drop it. */
  private async writeOneByOne(group: TLiveLine[]): Promise<void> {
    for (const line of group) {
      try {
        await this.writeGroup([line]);
      } catch (err) {
        this.stats.dropped++;
        this.noteFailure(err);
      }
    }
  }

  private async writeGroup(lines: TLiveLine[]): Promise<void> {
    const { workspaceId, modelVersionId } = lines[0];
    const settings = await this.opts.settingsFor(workspaceId);
    const model = await loadModelSession(modelVersionId);
    const nonToxicIndex = model.manifest.nonToxicIndex;
    // the ranking settings of the workspace, read with the output layout of the model that scored these
    const rank = settings.rankSettings ? { ...settings.rankSettings, nonToxicIndex } : null;
    const pool = getPool();
    // Ids first: routing (the audit slice) and queue priority are functions of the excerpt id.
    const { rows: idRows } = await pool.query<{ id: string }>({
      name: "live-ids",
      text: `SELECT nextval('excerpt_id_seq')::text AS id FROM generate_series(1, $1)`,
      values: [lines.length],
    });
    const n = lines.length;
    const ids = idRows.map((r) => r.id);
    const probs = new Array<string>(n);
    const tox = new Array<number>(n);
    const top = new Array<number>(n);
    const conf = new Array<number>(n);
    const queued = new Array<boolean>(n);
    const prio = new Array<number>(n);
    const flagged = new Array<boolean>(n);
    const audit = new Array<boolean>(n);
    const reviews = new Array<number>(n);
    const occurred = new Array<Date>(n);
    const shadowIds: string[] = [];
    const shadowVersions: number[] = [];
    const shadowProbs: string[] = [];
    const shadowTox: number[] = [];
    const shadowTop: number[] = [];
    const shadowConf: number[] = [];
    for (let i = 0; i < n; i++) {
      const line = lines[i];
      const p = line.probs;
      probs[i] = `{${Array.prototype.join.call(p, ",")}}`;
      const facts = predictionFacts(p, nonToxicIndex);
      tox[i] = facts.toxicScore;
      top[i] = model.categoryIds[facts.top];
      conf[i] = facts.confidence;
      occurred[i] = line.occurredAt;
      if (rank) {
        const q = queueFields(ids[i], p, line.occurredAt.getTime(), rank, {});
        queued[i] = liveRoute(ids[i], p, rank) !== null;
        prio[i] = q.priority;
        flagged[i] = q.isFlagged;
        audit[i] = q.isAudit;
      } else {
        queued[i] = false;
        prio[i] = 0;
        flagged[i] = false;
        audit[i] = false;
      }
      reviews[i] = requiredReviews(ids[i], settings.overlapShare);
      for (const s of line.shadows) {
        const shadow = await loadModelSession(s.modelVersionId);
        const sf = predictionFacts(s.probs, shadow.manifest.nonToxicIndex);
        shadowIds.push(ids[i]);
        shadowVersions.push(s.modelVersionId);
        shadowProbs.push(`{${Array.prototype.join.call(s.probs, ",")}}`);
        shadowTox.push(sf.toxicScore);
        shadowTop.push(shadow.categoryIds[sf.top]);
        shadowConf.push(sf.confidence);
      }
    }
    const { rows } = await pool.query<{ inserted: number; queued: number; events: number }>({
      name: "live-store",
      text: LIVE_STORE_SQL,
      values: [
        workspaceId,
        modelVersionId,
        ids,
        lines.map((l) => l.dedupKey),
        lines.map((l) => l.externalId),
        lines.map((l) => l.text),
        lines.map((l) => l.source),
        lines.map((l) => l.game),
        lines.map((l) => l.channel),
        lines.map((l) => l.conversationId),
        lines.map((l) => l.speakerId),
        occurred,
        lines.map((l) => l.apiKeyId),
        probs,
        tox,
        top,
        conf,
        queued,
        prio,
        flagged,
        audit,
        reviews,
        shadowIds,
        shadowVersions,
        shadowProbs,
        shadowTox,
        shadowTop,
        shadowConf,
      ],
    });
    const r = rows[0];
    if (r.events > 0) await pool.query(`SELECT pg_notify('modloop_webhooks', '')`);
    this.stats.stored += r.inserted;
    this.stats.duplicates += n - r.inserted;
    this.stats.queued += r.queued;
    this.stats.events += r.events;
  }
}

/** Class 22 (data exception) and 23 (integrity constraint): retrying the same rows cannot help. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}

// One statement: a flush is committed whole or not at all. Within a flush the first line of each dedup
// key wins; a key already stored (a retry, the same line again) inserts nothing, so no prediction, queue
// item or event either. Queue items follow the workspace's routing (is_queued, decided in TypeScript by
// lib/ranking); excerpt.flagged events are written only while a webhook wants them.
const LIVE_STORE_SQL = `
WITH input AS (
  SELECT * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::"ExcerptSource"[], $8::text[], $9::text[], $10::text[],
                       $11::text[], $12::timestamptz[], $13::int[], $14::text[], $15::real[], $16::int[], $17::real[], $18::bool[],
                       $19::float8[], $20::bool[], $21::bool[], $22::int[])
    AS u(id, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at, api_key_id,
         probs, toxic_score, suggested, confidence, is_queued, priority, is_flagged, is_audit, required_reviews)
),
ins AS (
  INSERT INTO excerpt (id, workspace_id, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at, api_key_id)
  SELECT id, $1, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at, api_key_id
    FROM (SELECT DISTINCT ON (dedup_key) * FROM input ORDER BY dedup_key, id) AS first_of_each
   ORDER BY dedup_key
  ON CONFLICT (workspace_id, dedup_key) DO NOTHING
  RETURNING id
),
pred AS (
  INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
  SELECT i.id, $2, i.probs::real[], i.toxic_score, i.suggested, i.confidence FROM ins JOIN input i ON i.id = ins.id
  RETURNING id, excerpt_id
),
shadow AS (
  INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
  SELECT s.excerpt_id, s.model_version_id, s.probs::real[], s.toxic_score, s.suggested, s.confidence
    FROM unnest($23::bigint[], $24::int[], $25::text[], $26::real[], $27::int[], $28::real[])
         AS s(excerpt_id, model_version_id, probs, toxic_score, suggested, confidence)
    JOIN ins ON ins.id = s.excerpt_id
  ON CONFLICT (excerpt_id, model_version_id) DO NOTHING
),
queued AS (
  INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_audit, is_flagged, prediction_id, required_reviews, updated_at)
  SELECT pred.excerpt_id, $1, i.priority, i.is_audit, i.is_flagged, pred.id, i.required_reviews, now()
    FROM pred JOIN input i ON i.id = pred.excerpt_id
   WHERE i.is_queued
  ON CONFLICT (excerpt_id) DO NOTHING
  RETURNING 1
),
events AS (
  INSERT INTO webhook_event (workspace_id, type, payload)
  SELECT $1, 'excerpt.flagged', jsonb_build_object(
           'excerptId', i.id::text, 'externalId', i.external_id, 'text', i.text, 'toxicScore', i.toxic_score,
           'category', jsonb_build_object('id', c.id, 'name', c.name), 'modelVersionId', $2::int, 'modelVersion', m.version,
           'game', i.game, 'channel', i.channel, 'conversationId', i.conversation_id, 'speakerId', i.speaker_id,
           'occurredAt', to_jsonb(i.occurred_at), 'isQueued', i.is_queued)
    FROM ins JOIN input i ON i.id = ins.id
    LEFT JOIN category c ON c.id = i.suggested
    LEFT JOIN model_version m ON m.id = $2
   WHERE i.is_flagged AND modloop_wants_webhook_event($1, 'excerpt.flagged')
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM queued)::int AS queued, (SELECT count(*) FROM events)::int AS events`;
