import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { freePort } from "../test/free-port.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A real `npm run api` process (scripts/api.ts under tsx) on a free port, for integration tests and benchmarks. */
export type TApiProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait: the live store is flushed first */
  stop: () => Promise<number | null>;
  /** SIGKILL: what a crash or `kill -9` does */
  kill: () => Promise<void>;
};

export async function startApiProcess(opts: { databaseUrl: string; env?: Record<string, string>; port?: number; timeoutMs?: number }): Promise<TApiProcess> {
  const port = opts.port ?? (await freePort());
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/api.ts", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: opts.databaseUrl, NODE_ENV: "production", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited (${child.exitCode}):\n${output}`);
    const isUp = await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (isUp) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the API process did not answer within ${opts.timeoutMs ?? 60_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A local webhook receiver: records every request; `respond` decides each status (default 200). */
export type TReceived = { headers: http.IncomingHttpHeaders; body: string; at: number };
export async function startReceiver(
  respond: (r: TReceived, index: number) => number = () => 200,
): Promise<{ url: string; received: TReceived[]; close: () => Promise<void> }> {
  const received: TReceived[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(r);
      res.writeHead(respond(r, received.length - 1), { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns a value other than undefined, or fails with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
