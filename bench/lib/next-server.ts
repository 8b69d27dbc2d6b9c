/**
 * Production Next.js servers for the HTTP benchmarks: `next build` when the build is missing or older
 * than its sources, then `next start` in its own process group (so stopping it stops everything it
 * forked), and plain node servers the same way.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const SKIP_DIRS = new Set(["node_modules", ".next", "generated", "results", "tmp"]);

async function newestMtime(target: string): Promise<number> {
  const info = await stat(target).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name) || entry.name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, await newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

function waitExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/**
 * Builds the Next.js app in `dir` (relative to the repository root; "." is the app itself) unless its
 * build is newer than every file under `inputs`.
 */
export async function ensureNextBuild(dir: string, inputs: string[], env: Record<string, string>): Promise<void> {
  const buildId = path.join(ROOT, dir, ".next/BUILD_ID");
  if (existsSync(buildId)) {
    const builtAt = (await stat(buildId)).mtimeMs;
    const newest = Math.max(...(await Promise.all(inputs.map((p) => newestMtime(path.join(ROOT, p))))));
    if (newest <= builtAt) return;
  }
  console.log(`[http] next build ${dir}`);
  const child = spawn(process.execPath, [NEXT_BIN, "build", dir], {
    cwd: ROOT,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  });
  if ((await waitExit(child)) !== 0) throw new Error(`next build ${dir} failed`);
}

export type TServer = { url: string; port: number; child: ChildProcess; stop: () => Promise<void> };

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server for ${url} exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Starts `argv` under node in its own process group and waits until `probePath` answers. */
export async function startNodeServer(argv: string[], port: number, env: Record<string, string>, probePath: string, label: string): Promise<TServer> {
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout?.resume();
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[${label}] ${d}`));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${probePath}`, child, 90_000);
  const stop = async () => {
    if (!child.pid || child.exitCode !== null) return;
    const exited = waitExit(child);
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, port, child, stop };
}

/** The web server of the app's production build on 127.0.0.1:port, as `npm start` runs it (scripts/web.ts: Next.js + the queue's fast lane). */
export function startAppServer(port: number, env: Record<string, string>, label: string, nodeArgs: string[] = []): Promise<TServer> {
  return startNodeServer(
    [...nodeArgs, "--import", "tsx", "scripts/web.ts", "--hostname", "127.0.0.1", "--port", String(port)],
    port,
    { NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...env },
    "/api/health-probe-none",
    label,
  );
}

/** `next start` of the Next.js app in `dir` (bench/next-floor: the framework's floor), production mode, on 127.0.0.1:port. */
export function startNextServer(dir: string, port: number, env: Record<string, string>, label: string, nodeArgs: string[] = []): Promise<TServer> {
  return startNodeServer(
    [...nodeArgs, NEXT_BIN, "start", dir, "-H", "127.0.0.1", "-p", String(port)],
    port,
    { NEXT_TELEMETRY_DISABLED: "1", ...env },
    "/api/health-probe-none",
    label,
  );
}
