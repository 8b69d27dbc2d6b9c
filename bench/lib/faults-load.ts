/**
 * The fault suite's load process (bench/faults.ts), its own process so its CPU is not the server's:
 * `tsx bench/lib/faults-load.ts <config.json>` prints one JSON result line.
 *
 * It runs a small HTTP proxy in front of the app and simulated moderators that talk to the app only
 * through it. The proxy forwards every request; for a share (dropRate) of the decision requests it waits
 * for the app's complete answer and then closes the moderator's connection instead of passing the answer
 * on: the app has committed, the moderator never learns it. The moderator reconnects and sends the same
 * decision with the same Idempotency-Key, as the queue page does, until an answer arrives.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { HttpConnection } from "./http-connection.ts";

export type TFaultsLoadConfig = {
  host: string;
  appPort: number;
  proxyPort: number;
  durationMs: number;
  thinkMs: number;
  dropRate: number;
  cookies: string[];
  claimPath: string;
  decisionPath: string;
  categoryIds: number[];
  ackFile: string;
};

export type TFaultsLoadResult = {
  seconds: number;
  decisions_acknowledged: number;
  decision_keys_sent: number;
  /** keys never acknowledged after MAX_TRIES attempts (each may or may not be stored) */
  decision_keys_unresolved: number;
  responses_dropped_after_answer: number;
  retries: number;
  /** a retry answered with another decision id than an earlier acknowledgement of the same key */
  retry_answers_differing: number;
  non_2xx: Record<string, number>;
  first_error: string | null;
};

const MAX_TRIES = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startProxy(config: TFaultsLoadConfig, onDrop: () => void): Promise<http.Server> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.cookies.length + 8 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const isDecision = req.method === "POST" && req.url === config.decisionPath;
      const upstream = http.request({ host: config.host, port: config.appPort, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (c: Buffer) => parts.push(c));
        answer.on("end", () => {
          // the app has answered (and so committed): lose the answer on the way back
          if (isDecision && answer.statusCode === 200 && Math.random() < config.dropRate) {
            onDrop();
            req.socket.destroy();
            return;
          }
          const payload = Buffer.concat(parts);
          const headers = { ...answer.headers, "content-length": String(payload.length) };
          delete headers["transfer-encoding"];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(payload);
        });
      });
      upstream.on("error", (err) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`proxy: ${err.message}`);
      });
      upstream.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(config.proxyPort, config.host, () => resolve(server)));
}

async function run(config: TFaultsLoadConfig): Promise<TFaultsLoadResult> {
  let drops = 0;
  const proxy = await startProxy(config, () => drops++);
  const acked: { key: string; decisionId: string }[] = [];
  const non2xx: Record<string, number> = {};
  let firstError: string | null = null;
  let keysSent = 0;
  let unresolved = 0;
  let retries = 0;
  let differing = 0;
  const deadline = Date.now() + config.durationMs;
  const origin = `http://${config.host}:${config.proxyPort}`;

  const note = (status: number, body: Buffer) => {
    non2xx[status] = (non2xx[status] ?? 0) + 1;
    firstError ??= `${status} ${body.toString("utf8").slice(0, 300)}`;
  };

  async function moderator(index: number): Promise<void> {
    let conn = new HttpConnection(config.host, config.proxyPort);
    const base = { cookie: config.cookies[index], "content-type": "application/json", origin };
    /** one request; a closed connection is replaced and reported as null */
    const send = async (method: "POST", path: string, headers: Record<string, string>, body: string) => {
      try {
        return await conn.request(method, path, headers, body);
      } catch {
        conn.close();
        conn = new HttpConnection(config.host, config.proxyPort);
        return null;
      }
    };
    try {
      while (Date.now() < deadline) {
        const claim = await send("POST", config.claimPath, base, "{}");
        if (!claim) continue;
        if (claim.status !== 200) {
          note(claim.status, claim.body);
          await sleep(50);
          continue;
        }
        const { cards } = JSON.parse(claim.body.toString("utf8")) as { cards: { excerptId: string; suggestion: { categoryId: number } | null }[] };
        if (cards.length === 0) {
          await sleep(20);
          continue;
        }
        for (const card of cards) {
          if (Date.now() >= deadline) break;
          if (config.thinkMs > 0) await sleep(config.thinkMs * (0.5 + Math.random()));
          const isSkip = Math.random() < 0.05;
          const categoryId =
            Math.random() < 0.8 && card.suggestion ? card.suggestion.categoryId : config.categoryIds[Math.floor(Math.random() * config.categoryIds.length)];
          const body = JSON.stringify(
            isSkip ? { excerptId: card.excerptId, kind: "skip", durationMs: 900 } : { excerptId: card.excerptId, kind: "label", categoryId, durationMs: 1800 },
          );
          const key = randomBytes(16).toString("hex");
          keysSent++;
          let decisionId: string | null = null;
          for (let attempt = 0; attempt < MAX_TRIES && decisionId === null; attempt++) {
            if (attempt > 0) {
              retries++;
              await sleep(20 * attempt);
            }
            const answer = await send("POST", config.decisionPath, { ...base, "idempotency-key": key }, body);
            if (!answer) continue;
            if (answer.status !== 200) {
              note(answer.status, answer.body);
              break;
            }
            decisionId = (JSON.parse(answer.body.toString("utf8")) as { decisionId: string }).decisionId;
          }
          if (decisionId === null) {
            unresolved++;
            continue;
          }
          // the same key once more, now that its answer is known: it must be the same decision
          if (Math.random() < config.dropRate) {
            retries++;
            const again = await send("POST", config.decisionPath, { ...base, "idempotency-key": key }, body);
            if (again?.status === 200 && (JSON.parse(again.body.toString("utf8")) as { decisionId: string }).decisionId !== decisionId) differing++;
          }
          acked.push({ key, decisionId });
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
  proxy.close();
  writeFileSync(config.ackFile, JSON.stringify(acked));
  return {
    seconds: Math.round(seconds * 100) / 100,
    decisions_acknowledged: acked.length,
    decision_keys_sent: keysSent,
    decision_keys_unresolved: unresolved,
    responses_dropped_after_answer: drops,
    retries,
    retry_answers_differing: differing,
    non_2xx: non2xx,
    first_error: firstError,
  };
}

if (process.argv[1]?.endsWith("faults-load.ts")) {
  const config = JSON.parse(readFileSync(process.argv[2], "utf8")) as TFaultsLoadConfig;
  process.stdout.write(`${JSON.stringify(await run(config))}\n`);
  process.exit(0);
}
