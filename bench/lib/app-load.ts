/**
 * Load on the web app over HTTP for bench/http.ts, run as its own process so its CPU is not the
 * server's: `tsx bench/lib/app-load.ts <config.json>` prints one JSON result line.
 *
 * - "moderators": each simulated moderator, on its own keep-alive connection with its own session
 *   cookie, claims a batch and decides every card (~95% labels, mostly the suggestion; ~5% skips),
 *   pausing 0.5–1.5 × thinkMs before each decision, like bench/queue.ts does in-process. Each decision
 *   carries a new Idempotency-Key, as the queue page's do.
 *   Acknowledged decision ids go to ackFile (the benchmark checks each one is stored).
 * - "get": `connections` connections send the same GET back to back (a closed loop): requests/s.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { HttpConnection } from "./http-connection.ts";

type TModeratorsConfig = {
  mode: "moderators";
  host: string;
  port: number;
  durationMs: number;
  thinkMs: number;
  /** one session cookie ("name=token") per simulated moderator */
  cookies: string[];
  claim: { method: "GET" | "POST"; path: string };
  decisionPath: string;
  /** the app's own origin: state-changing requests carry it, as a browser's do */
  origin: string;
  categoryIds: number[];
  ackFile: string;
};

type TGetConfig = {
  mode: "get";
  host: string;
  port: number;
  durationMs: number;
  warmupMs: number;
  connections: number;
  path: string;
  headers: Record<string, string>;
};

export type TAppLoadConfig = TModeratorsConfig | TGetConfig;

export type TModeratorsResult = {
  seconds: number;
  claims: number;
  decisions: number;
  decisions_per_s: number;
  claim_p50_ms: number;
  claim_p95_ms: number;
  claim_p99_ms: number;
  decide_p50_ms: number;
  decide_p95_ms: number;
  decide_p99_ms: number;
  empty_claims: number;
  cards_claimed: number;
  /** cards that came explained: the suggesting model ran over them for word highlights, as for the queue page */
  cards_explained: number;
  /** a card this moderator was handed while another moderator still held it (must be 0) */
  overlapping_holds_seen: number;
  non_2xx: Record<string, number>;
  first_error: string | null;
};

export type TGetResult = {
  requests: number;
  answers: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  statuses: Record<string, number>;
  first_error: string | null;
};

const SKIP_SHARE = 0.05;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round2 = (x: number) => Math.round(x * 100) / 100;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function runModerators(config: TModeratorsConfig): Promise<TModeratorsResult> {
  const claimMs: number[] = [];
  const decideMs: number[] = [];
  const acked: string[] = [];
  const non2xx: Record<string, number> = {};
  let emptyClaims = 0;
  let cardsClaimed = 0;
  let cardsExplained = 0;
  let overlaps = 0;
  let firstError: string | null = null;
  const held = new Map<string, number>();
  const deadline = Date.now() + config.durationMs;
  const jsonHeaders = { "content-type": "application/json", origin: config.origin };

  const note = (status: number, body: Buffer) => {
    non2xx[status] = (non2xx[status] ?? 0) + 1;
    firstError ??= `${status} ${body.toString("utf8").slice(0, 300)}`;
  };

  async function moderator(index: number): Promise<void> {
    const conn = new HttpConnection(config.host, config.port);
    const headers = { cookie: config.cookies[index], ...jsonHeaders };
    try {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const claim = await conn.request(config.claim.method, config.claim.path, headers, config.claim.method === "POST" ? "{}" : undefined);
        claimMs.push(performance.now() - t0);
        if (claim.status !== 200) {
          note(claim.status, claim.body);
          await sleep(50);
          continue;
        }
        const { cards } = JSON.parse(claim.body.toString("utf8")) as {
          cards: { excerptId: string; suggestion: { categoryId: number } | null; explanation: unknown }[];
        };
        cardsClaimed += cards.length;
        for (const card of cards) {
          if (card.explanation) cardsExplained++;
          const holder = held.get(card.excerptId);
          if (holder !== undefined && holder !== index) overlaps++;
          held.set(card.excerptId, index);
        }
        if (cards.length === 0) {
          emptyClaims++;
          await sleep(20);
          continue;
        }
        for (const card of cards) {
          if (Date.now() >= deadline) break;
          if (config.thinkMs > 0) await sleep(config.thinkMs * (0.5 + Math.random()));
          const isSkip = Math.random() < SKIP_SHARE;
          held.delete(card.excerptId);
          const categoryId =
            Math.random() < 0.8 && card.suggestion ? card.suggestion.categoryId : config.categoryIds[Math.floor(Math.random() * config.categoryIds.length)];
          const body = JSON.stringify(
            isSkip ? { excerptId: card.excerptId, kind: "skip", durationMs: 900 } : { excerptId: card.excerptId, kind: "label", categoryId, durationMs: 1800 },
          );
          const t1 = performance.now();
          // one new Idempotency-Key per decision, as the queue page sends with every keypress (the route then
          // stores the key and the answer in the decision's transaction)
          const answer = await conn.request("POST", config.decisionPath, { ...headers, "idempotency-key": randomBytes(16).toString("hex") }, body);
          decideMs.push(performance.now() - t1);
          if (answer.status !== 200) {
            note(answer.status, answer.body);
            continue;
          }
          acked.push((JSON.parse(answer.body.toString("utf8")) as { decisionId: string }).decisionId);
        }
      }
    } catch (err) {
      firstError ??= (err as Error).message;
    } finally {
      conn.close();
    }
  }

  const startedAt = performance.now();
  await Promise.all(config.cookies.map((_c, i) => moderator(i)));
  const seconds = (performance.now() - startedAt) / 1000;
  writeFileSync(config.ackFile, acked.join("\n"));
  claimMs.sort((a, b) => a - b);
  decideMs.sort((a, b) => a - b);
  return {
    seconds: round2(seconds),
    claims: claimMs.length,
    decisions: acked.length,
    decisions_per_s: round2(acked.length / seconds),
    claim_p50_ms: round2(percentile(claimMs, 50)),
    claim_p95_ms: round2(percentile(claimMs, 95)),
    claim_p99_ms: round2(percentile(claimMs, 99)),
    decide_p50_ms: round2(percentile(decideMs, 50)),
    decide_p95_ms: round2(percentile(decideMs, 95)),
    decide_p99_ms: round2(percentile(decideMs, 99)),
    empty_claims: emptyClaims,
    cards_claimed: cardsClaimed,
    cards_explained: cardsExplained,
    overlapping_holds_seen: overlaps,
    non_2xx: non2xx,
    first_error: firstError,
  };
}

async function runGet(config: TGetConfig): Promise<TGetResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let firstError: string | null = null;
  let answers = 0;
  const measureFrom = performance.now() + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  async function loop(): Promise<void> {
    const conn = new HttpConnection(config.host, config.port);
    try {
      while (performance.now() < stopAt) {
        const sentAt = performance.now();
        const answer = await conn.request("GET", config.path, config.headers);
        const now = performance.now();
        answers++;
        if (answer.status !== 200) firstError ??= `${answer.status} ${answer.body.toString("utf8").slice(0, 300)}`;
        if (sentAt >= measureFrom && now <= stopAt) {
          latencies.push(now - sentAt);
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        }
      }
    } catch (err) {
      firstError ??= (err as Error).message;
    } finally {
      conn.close();
    }
  }
  await Promise.all(Array.from({ length: config.connections }, loop));
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    answers,
    rps: Math.round(latencies.length / (config.durationMs / 1000)),
    p50_ms: round2(percentile(sorted, 50)),
    p99_ms: round2(percentile(sorted, 99)),
    statuses,
    first_error: firstError,
  };
}

if (process.argv[1]?.endsWith("app-load.ts")) {
  const config = JSON.parse(readFileSync(process.argv[2], "utf8")) as TAppLoadConfig;
  const result = config.mode === "moderators" ? await runModerators(config) : await runGet(config);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
