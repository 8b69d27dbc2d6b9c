/**
 * A closed-loop HTTP load generator for bench/serve.ts, run as its own process (so its CPU is not the
 * server's): `tsx bench/lib/load-generator.ts <config.json>` prints one JSON result line.
 *
 * Each of `connections` keep-alive sockets sends a request, waits for the whole response, and sends the
 * next, for `durationMs` (after `warmupMs` not counted). Requests are written and responses parsed on raw
 * sockets (Content-Length bodies only), which costs a fraction of Node's http client, so the figures are
 * the server's. With `ackFile`, the external ids of every text in a request answered 200 are appended
 * there as they arrive (the kill test reads them after the server dies).
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";

export type TLoadConfig = {
  host: string;
  port: number;
  connections: number;
  durationMs: number;
  warmupMs: number;
  path: string;
  headers: Record<string, string>;
  kind: "classify" | "perspective" | "raw";
  /** texts per request (classify, raw) */
  batch: number;
  texts: string[];
  /** give each text an external id `${idPrefix}${n}` (classify) */
  idPrefix?: string;
  ackFile?: string;
  /** classify with "store": false (answers only) */
  isStoreOff?: boolean;
};

export type TLoadResult = {
  requests: number;
  texts: number;
  seconds: number;
  rps: number;
  texts_per_s: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  statuses: Record<string, number>;
  /** texts in every request answered 200, warm-up and stragglers included (what the server acknowledged) */
  acked_texts: number;
  errors: number;
  first_error: string | null;
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function main(): void {
  const config = JSON.parse(readFileSync(process.argv[2], "utf8")) as TLoadConfig;
  let textIndex = 0;
  let seq = 0;
  const nextBody = (): { body: string; ids: string[] } => {
    const ids: string[] = [];
    if (config.kind === "perspective") {
      const text = config.texts[textIndex++ % config.texts.length];
      return { body: JSON.stringify({ comment: { text }, requestedAttributes: { TOXICITY: {} }, languages: ["en"] }), ids };
    }
    const texts: unknown[] = [];
    for (let i = 0; i < config.batch; i++) {
      const text = config.texts[textIndex++ % config.texts.length];
      if (config.idPrefix !== undefined) {
        const id = `${config.idPrefix}${seq++}`;
        ids.push(id);
        texts.push({ text, externalId: id });
      } else texts.push(text);
    }
    return { body: JSON.stringify(config.isStoreOff ? { texts, store: false } : { texts }), ids };
  };
  const headerLines = Object.entries({ host: `${config.host}:${config.port}`, "content-type": "application/json", connection: "keep-alive", ...config.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let requests = 0;
  let texts = 0;
  let ackedTexts = 0;
  let errors = 0;
  let firstError: string | null = null;
  const startedAt = performance.now();
  const measureFrom = startedAt + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  let open = config.connections;

  const finish = () => {
    // only answers that arrived inside the window were counted
    const seconds = config.durationMs / 1000;
    const sorted = Float64Array.from(latencies).sort();
    const result: TLoadResult = {
      requests,
      texts,
      seconds: Math.round(seconds * 100) / 100,
      rps: Math.round(requests / seconds),
      texts_per_s: Math.round(texts / seconds),
      p50_ms: Math.round(percentile(sorted, 50) * 100) / 100,
      p90_ms: Math.round(percentile(sorted, 90) * 100) / 100,
      p99_ms: Math.round(percentile(sorted, 99) * 100) / 100,
      max_ms: Math.round((sorted.at(-1) ?? 0) * 100) / 100,
      statuses,
      acked_texts: ackedTexts,
      errors,
      first_error: firstError,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  };

  if (config.ackFile) writeFileSync(config.ackFile, "");
  for (let c = 0; c < config.connections; c++) {
    const socket = net.connect({ host: config.host, port: config.port });
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    let ids: string[] = [];
    let batchTexts = 0;
    const send = () => {
      if (performance.now() >= stopAt) {
        socket.end();
        return;
      }
      const next = nextBody();
      ids = next.ids;
      batchTexts = config.kind === "perspective" ? 1 : config.batch;
      sentAt = performance.now();
      socket.write(`POST ${config.path} HTTP/1.1\r\n${headerLines}content-length: ${Buffer.byteLength(next.body)}\r\n\r\n${next.body}`);
    };
    socket.on("connect", send);
    socket.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const head = buffer.subarray(0, headerEnd).toString("latin1");
        const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        const length = match ? Number(match[1]) : 0;
        if (buffer.length < headerEnd + 4 + length) return;
        const status = head.slice(9, 12);
        buffer = buffer.subarray(headerEnd + 4 + length);
        const now = performance.now();
        if (sentAt >= measureFrom && now <= stopAt) {
          requests++;
          texts += batchTexts;
          latencies.push(now - sentAt);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        if (status === "200") ackedTexts += batchTexts;
        if (status === "200" && config.ackFile && ids.length > 0) appendFileSync(config.ackFile, `${ids.join("\n")}\n`);
        send();
      }
    });
    socket.on("error", (err) => {
      errors++;
      firstError ??= err.message;
    });
    socket.on("close", () => {
      if (--open === 0) finish();
    });
  }
  // a server that stops answering must not hang the benchmark
  setTimeout(finish, config.warmupMs + config.durationMs + 15_000).unref();
}

main();
