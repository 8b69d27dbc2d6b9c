/**
 * Security probe (issue 12): attacks the production server (`npm run web` after `next build`) the way
 * the review did, from a separate process, and writes bench/results/security.json:
 *
 *   signin_attempts_per_s_before_throttle  password checks (401s) per second that an anonymous client
 *                                          rotating X-Forwarded-For gets on one account in 10 s
 *   signin_flood_p95_ratio                 a signed-in user's p95 (GET queue progress, 10/s) during a
 *                                          20 s flood of wrong sign-ins (20/s, each from another
 *                                          address through a trusted proxy, many accounts), over its
 *                                          idle p95 (measured before and after) — goal ≤ 2
 *   control_flood_p95_ratio                the same user's p95 during the same rate of signed-out GETs
 *                                          (no sign-in work at all): what any 20 requests/s cost here
 *   signin_flood_unthrottled_p95_ratio     the same with the server-wide budget off and a new account
 *                                          per guess, so every guess is hashed: what hashing alone costs
 *   oversized_body_rss_growth_mb           web process RSS growth for a 100 MiB sign-in body — ≤ 50
 *   decompression_bomb_rss_growth_mb       … for a 4.7 MB .tar.gz holding 1 GiB of zeros — ≤ 50
 *   findings_reproducing                   how many of the review's 9 findings still reproduce, each
 *                                          probed for real (details in `findings`) — goal 0
 *
 * BENCH_SIZE=small shortens the flood and shrinks the bodies (correctness only). The flood runs in a
 * child process of this program (`--flood`), the server in its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { createGzip } from "node:zlib";
import pg from "pg";
import { tarEnd, tarHeader, tarPadding } from "../lib/export/tar.ts";
import { createE2eDatabase, dropE2eDatabase } from "../e2e/support/database.ts";
import { E2E_PASSWORD, E2E_USERS } from "../e2e/support/fixture.ts";
import { databaseUrl } from "../server/test/pg-urls.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";
const PORT = Number(process.env.BENCH_PORT ?? 3511);
const BASE = `http://127.0.0.1:${PORT}`;
const FLOOD_SECONDS = isSmall ? 3 : 20;
const FLOOD_RATE = 20;
const IDLE_SECONDS = isSmall ? 3 : 10;
const USER_RATE = 10;
const OVERSIZED_BYTES = (isSmall ? 16 : 100) * 1024 ** 2;
const BOMB_BYTES = (isSmall ? 128 : 1024) * 1024 ** 2;
const THROTTLE_PROBE_SECONDS = isSmall ? 3 : 10;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the flood (child process)

async function flood(base: string, seconds: number, rate: number, emails: string[]): Promise<void> {
  const counts: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const startedAt = Date.now();
  for (let i = 0; Date.now() - startedAt < seconds * 1000; i++) {
    const due = startedAt + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const email = emails[0] === "*" ? `flood-${i}@bench.test` : emails[i % emails.length]!;
    // "@control": the same rate of signed-out GETs (answered 401 without a database query), to tell the
    // cost of any 20 requests a second on this machine from the cost of sign-in attempts
    const p = (
      emails[0] === "@control"
        ? fetch(`${base}${emails[1]}`)
        : fetch(`${base}/api/auth/login`, {
            method: "POST",
            // not a browser: it sends whatever Origin gets it past the CSRF check, so every guess reaches the password check
            headers: { "content-type": "application/json", origin: base, "x-forwarded-for": `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}` },
            body: JSON.stringify({ email, password: `wrong-${i}` }),
          })
    )
      .then(async (r) => {
        await r.arrayBuffer();
        counts[r.status] = (counts[r.status] ?? 0) + 1;
      })
      .catch(() => void (counts.error = (counts.error ?? 0) + 1));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await Promise.all(inFlight);
  process.stdout.write(JSON.stringify(counts));
}

if (process.argv[2] === "--flood") {
  const [base, seconds, rate, emails] = process.argv.slice(3);
  await flood(base!, Number(seconds), Number(rate), emails!.split(","));
  process.exit(0);
}

// ---------------------------------------------------------------- helpers

function startServer(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/web.ts", "--hostname", "127.0.0.1", "--port", String(PORT)], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", MODLOOP_INPROCESS_WORKER: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stderr?.on("data", (d) => process.stderr.write(`[next] ${d}`));
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
  await Promise.race([exited, sleep(5000)]);
}

async function waitForServer(): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    if (
      await fetch(`${BASE}/login`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
  }
  throw new Error(`the server on ${BASE} did not start`);
}

/** Resident memory of the server and every process under it, in MB (from /proc). */
function treeRssMb(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSafe("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readSafe(`/proc/${pid}/stat`);
    const ppid = Number(stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let kb = 0;
  const visit = (pid: number) => {
    kb += Number(readSafe(`/proc/${pid}/status`)?.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(rootPid);
  return kb / 1024;
}
function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
function readSafe(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Peak RSS growth of the server while `work` runs (sampled every 20 ms). */
async function rssGrowthDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  await sleep(500);
  const before = treeRssMb(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), 20);
  try {
    const result = await work();
    await sleep(300);
    peak = Math.max(peak, treeRssMb(pid));
    return { result, growthMb: round(peak - before, 1) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The origin the app's own pages send (the public URL when one is configured, else the server's address).
 * Legitimate calls below carry it, as a browser on the app would; forged ones set another one explicitly.
 */
let appOrigin = BASE;

type TResponse = { status: number; headers: Headers; text: string; setCookie: string[] };
async function request(
  method: string,
  url: string,
  opts: { cookie?: string; headers?: Record<string, string>; body?: BodyInit; redirect?: RequestRedirect } = {},
): Promise<TResponse> {
  try {
    const res = await fetch(url.startsWith("http") ? url : `${BASE}${url}`, {
      method,
      redirect: opts.redirect ?? "manual",
      headers: { ...(method === "GET" ? {} : { origin: appOrigin }), ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
      body: opts.body,
    });
    return { status: res.status, headers: res.headers, text: await res.text(), setCookie: res.headers.getSetCookie() };
  } catch (err) {
    // the server may answer and close before a large body is fully sent: status 0, reason in text
    return { status: 0, headers: new Headers(), text: String((err as Error).cause ?? err), setCookie: [] };
  }
}
const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function signIn(
  email: string,
  password = E2E_PASSWORD,
  headers: Record<string, string> = {},
): Promise<{ status: number; cookie: string; setCookie: string[] }> {
  const res = await request("POST", "/api/auth/login", { ...json({ email, password }), headers: { "content-type": "application/json", ...headers } });
  const cookie = res.setCookie.map((c) => c.split(";")[0]!).join("; ");
  return { status: res.status, cookie, setCookie: res.setCookie };
}

/** Workspace routes live under /api/w/<slug>/… once workspaces land; before that under /api/…. */
async function workspaceApi(cookie: string): Promise<(p: string) => string> {
  const scoped = await request("GET", "/api/w/default/queue/progress", { cookie });
  return scoped.status === 404 ? (p) => `/api${p}` : (p) => `/api/w/default${p}`;
}

/** Sends `bytes` zeros as a sign-in body with a Content-Length, as fast as the server takes them. */
function postLargeBody(bytes: number): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    // an attacker's script sets a matching Origin: the body limit, not the CSRF check, must stop this
    const headers = { "content-type": "application/json", "content-length": bytes, origin: appOrigin };
    const req = http.request(`${BASE}/api/auth/login`, { method: "POST", headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - startedAt }));
    });
    req.on("error", () => resolve({ status: 0, ms: performance.now() - startedAt }));
    const chunk = Buffer.alloc(1024 ** 2, 0x61);
    chunk.write('{"email":"x@y.z","password":"');
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const size = Math.min(chunk.length, bytes - sent);
        sent += size;
        if (!req.write(size === chunk.length ? chunk : chunk.subarray(0, size))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

async function zeroBomb(size: number): Promise<Uint8Array> {
  async function* tar() {
    yield tarHeader({ name: "model.onnx", size, mtimeMs: 0 });
    const zeros = new Uint8Array(1024 ** 2);
    for (let left = size; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
    yield tarPadding(size);
    yield tarEnd();
  }
  return new Uint8Array(await buffer(Readable.from(tar()).pipe(createGzip({ level: 1 }))));
}

/** A signed-in user's request latencies at a steady pace, for `seconds`. */
async function userLatencies(cookie: string, url: string, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const startedAt = Date.now();
  for (let i = 0; Date.now() - startedAt < seconds * 1000; i++) {
    const due = startedAt + (i * 1000) / USER_RATE;
    if (due > Date.now()) await sleep(due - Date.now());
    const t = performance.now();
    const res = await fetch(`${BASE}${url}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`the signed-in user's request answered ${res.status}`);
    latencies.push(performance.now() - t);
  }
  return latencies;
}

function runFlood(emails: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, import.meta.filename, "--flood", BASE, String(FLOOD_SECONDS), String(FLOOD_RATE), emails.join(",")],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out || "{}")) : reject(new Error(`flood exited ${code}`))));
  });
}

// ---------------------------------------------------------------- main

type TFinding = { finding: number; title: string; reproduces: boolean; evidence: string };

async function main() {
  const dbName = `modloop_e2e_secbench_${randomBytes(3).toString("hex")}`;
  const dbUrl = databaseUrl(dbName);
  // the sweep's pruning runs here against the same database, as a worker process would
  process.env.DATABASE_URL = dbUrl;
  console.log(`[security] seeding ${dbName}`);
  await createE2eDatabase(dbName, { excerpts: 60 });
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    console.log("[security] no production build: running next build");
    const build = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if ((await new Promise<number | null>((r) => build.on("exit", r))) !== 0) throw new Error("next build failed");
  }
  const findings: TFinding[] = [];
  const found = (finding: number, title: string, reproduces: boolean, evidence: string) => {
    findings.push({ finding, title, reproduces, evidence });
    console.log(`[security] finding ${finding} (${title}): ${reproduces ? "REPRODUCES" : "closed"} — ${evidence}`);
  };
  const result: Record<string, unknown> = {};
  let server: ChildProcess | undefined;
  try {
    // ---- phase 1: the server as deployed by default (no trusted proxies), https public URL
    appOrigin = "https://modloop.bench.test";
    server = startServer({ DATABASE_URL: dbUrl, MODLOOP_PUBLIC_URL: appOrigin });
    await waitForServer();
    const pid = server.pid!;
    // everyone signs in first: the throttle probe at the end makes this address unfamiliar-and-failing
    const admin = await signIn(E2E_USERS.admin);
    if (admin.status !== 200) throw new Error(`admin sign-in answered ${admin.status}`);
    const api = await workspaceApi(admin.cookie);
    const moderator = await signIn(E2E_USERS.moderator);
    const scientist = await signIn(E2E_USERS.data_scientist);
    await signIn(E2E_USERS.manager);

    // finding 1: an anonymous 100 MiB sign-in body
    const oversized = await rssGrowthDuring(pid, () => postLargeBody(OVERSIZED_BYTES));
    result.oversized_body_rss_growth_mb = oversized.growthMb;
    const tenMb = await postLargeBody(10 * 1024 ** 2);
    found(
      1,
      "anonymous denial of service with a huge body",
      oversized.result.status !== 413 || oversized.growthMb > 50,
      `${OVERSIZED_BYTES / 1024 ** 2} MiB sign-in body → ${oversized.result.status} in ${Math.round(oversized.result.ms)} ms, RSS +${oversized.growthMb} MB; 10 MiB → ${tenMb.status} in ${Math.round(tenMb.ms)} ms`,
    );

    // finding 4: cross-site request forgery from a same-site origin, GET that changes state, login CSRF
    const evilOrigin = `http://127.0.0.1:${PORT + 1}`;
    const csrfEmail = `csrf-${Date.now()}@bench.test`;
    const forged = await request("POST", "/api/admin/users", {
      cookie: admin.cookie,
      headers: { "content-type": "text/plain", origin: evilOrigin, "sec-fetch-site": "same-site" },
      body: JSON.stringify({ email: csrfEmail, name: "Evil", role: "admin", password: "crimson-harpoon-waffle-88" }),
    });
    // a link or <img> (GET) must not lease items, and a forged POST from a same-site origin must not either
    const getClaim = await request("GET", api("/queue/claim"), { cookie: moderator.cookie });
    const postClaim = await request("POST", api("/queue/claim"), { cookie: moderator.cookie, headers: { origin: evilOrigin, "sec-fetch-site": "same-site" } });
    const loginCsrf = await request("POST", "/api/auth/login", {
      ...json({ email: E2E_USERS.manager, password: E2E_PASSWORD }),
      headers: { "content-type": "application/json", origin: evilOrigin, "sec-fetch-site": "same-site" },
    });
    found(
      4,
      "CSRF from a same-site origin",
      forged.status === 200 || getClaim.status === 200 || postClaim.status === 200 || loginCsrf.status === 200,
      `text/plain form from ${evilOrigin} creating an admin → ${forged.status}; GET claim → ${getClaim.status}; forged POST claim → ${postClaim.status}; sign-in posted from ${evilOrigin} → ${loginCsrf.status}`,
    );

    // finding 5: the decompression bomb, with a signed-in user's request timed meanwhile
    const bomb = await zeroBomb(BOMB_BYTES);
    const form = new FormData();
    form.append("files", new Blob([new Uint8Array(bomb)]), "model.tar.gz");
    let slowest = 0;
    let isUploading = true;
    const watcher = (async () => {
      while (isUploading) {
        const t = performance.now();
        const res = await request("GET", api("/queue/progress"), { cookie: moderator.cookie });
        if (res.status === 200) slowest = Math.max(slowest, performance.now() - t);
        await sleep(50);
      }
    })();
    const bombRun = await rssGrowthDuring(pid, () => request("POST", api("/models/upload"), { cookie: scientist.cookie, body: form }));
    isUploading = false;
    await watcher;
    result.decompression_bomb_rss_growth_mb = bombRun.growthMb;
    result.decompression_bomb_upload_mb = round(bomb.length / 1024 ** 2, 1);
    found(
      5,
      "decompression bomb",
      bombRun.growthMb > 50 || slowest > 1000 || bombRun.result.status === 200,
      `${round(bomb.length / 1024 ** 2, 1)} MB holding ${BOMB_BYTES / 1024 ** 2} MiB of zeros → ${bombRun.result.status}, RSS +${bombRun.growthMb} MB, slowest other request ${Math.round(slowest)} ms`,
    );

    // finding 6: weak passwords accepted, and bcrypt's 72-byte truncation
    const weak: string[] = [];
    for (const password of ["password", "12345678", "        ", "password1234"]) {
      const r = await request("POST", "/api/admin/users", {
        cookie: admin.cookie,
        ...json({ email: `weak-${randomBytes(3).toString("hex")}@bench.test`, name: "Weak", role: "moderator", password }),
      });
      if (r.status === 200) weak.push(JSON.stringify(password));
    }
    const prefix = "Qx7!".repeat(18); // 72 bytes
    const longEmail = `long-${Date.now()}@bench.test`;
    await request("POST", "/api/admin/users", {
      cookie: admin.cookie,
      ...json({ email: longEmail, name: "Long", role: "moderator", password: `${prefix}${"a".repeat(128)}` }),
    });
    const impostor = await signIn(longEmail, `${prefix}${"b".repeat(128)}`);
    found(
      6,
      "weak passwords and 72-byte truncation",
      weak.length > 0 || impostor.status === 200,
      `weak passwords accepted: ${weak.join(", ") || "none"}; a different 200-character password with the same first 72 bytes → ${impostor.status}`,
    );

    // finding 7: session lifetime, idle timeout, pruning, Secure cookie, headers
    const cookieLine = moderator.setCookie.find((c) => /modloop_session=/.test(c)) ?? "";
    const expires = Date.parse(cookieLine.match(/Expires=([^;]+)/i)?.[1] ?? "");
    const lifetimeH = (expires - Date.now()) / 3600_000;
    const isSecure = /;\s*Secure/i.test(cookieLine) && cookieLine.startsWith("__Host-");
    const idleToken = randomBytes(32).toString("base64url");
    const {
      rows: [mod],
    } = await db.query<{ id: number }>("SELECT id FROM app_user WHERE email = $1", [E2E_USERS.moderator]);
    const sha = (await import("node:crypto")).createHash("sha256").update(idleToken).digest("hex");
    await db.query("INSERT INTO session (id, user_id, expires_at, created_at) VALUES ($1, $2, now() + interval '10 days', now() - interval '3 hours')", [
      sha,
      mod!.id,
    ]);
    await db.query("UPDATE session SET last_seen_at = now() - interval '3 hours' WHERE id = $1", [sha]).catch(() => undefined);
    const idle = await request("GET", api("/queue/progress"), { cookie: `${cookieLine.split("=")[0]}=${idleToken}` });
    const { pruneAuthRecords } = await import("../server/auth/prune-auth-records.ts").catch(() => ({ pruneAuthRecords: null }));
    await db.query("INSERT INTO session (id, user_id, expires_at) VALUES ('bench-expired', $1, now() - interval '1 day')", [mod!.id]);
    if (pruneAuthRecords) await pruneAuthRecords();
    const { rowCount: expiredLeft } = await db.query("SELECT 1 FROM session WHERE id = 'bench-expired'");
    const page = await request("GET", "/login");
    const apiRes = await request("GET", api("/queue/progress"), { cookie: moderator.cookie });
    const missing: string[] = [];
    for (const [where, h] of [
      ["page", page.headers],
      ["API", apiRes.headers],
    ] as const) {
      const csp = h.get("content-security-policy") ?? "";
      const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
      if (!csp) missing.push(`${where}: CSP`);
      else if (/unsafe-inline/.test(scriptSrc)) missing.push(`${where}: script-src allows unsafe-inline`);
      if (!/frame-ancestors 'none'/.test(csp) && h.get("x-frame-options") !== "DENY") missing.push(`${where}: frame-ancestors`);
      if (h.get("x-content-type-options") !== "nosniff") missing.push(`${where}: nosniff`);
      if (!/^(no-referrer|same-origin|strict-origin)/.test(h.get("referrer-policy") ?? "")) missing.push(`${where}: Referrer-Policy`);
    }
    found(
      7,
      "sessions and headers",
      lifetimeH > 24 || idle.status === 200 || (expiredLeft ?? 0) > 0 || !isSecure || missing.length > 0,
      `cookie lifetime ${round(lifetimeH, 1)} h, Secure+__Host- with an https public URL: ${isSecure}; a session idle 3 h → ${idle.status}; expired session left after the sweep: ${(expiredLeft ?? 0) > 0}; missing headers: ${missing.join(", ") || "none"}`,
    );

    // finding 8: an excerpt with a right-to-left override, on the server-rendered excerpt page
    const {
      rows: [ex],
    } = await db.query<{ id: string }>(
      `INSERT INTO excerpt (workspace_id, dedup_key, text, game, conversation_id, occurred_at) SELECT id, 'bench-rlo', $1, 'Arena', 'bench-rlo', now() FROM workspace WHERE slug = 'default' RETURNING id::text`,
      ["open invoice\u202Efdp.exe"],
    );
    const excerptPage = await request("GET", `/w/default/excerpts/${ex!.id}`, { cookie: admin.cookie, redirect: "follow" });
    found(
      8,
      "misleading bidirectional text",
      excerptPage.status !== 200 || excerptPage.text.includes("\u202E") || !excerptPage.text.includes("RLO"),
      `excerpt page ${excerptPage.status}; raw U+202E in the HTML: ${excerptPage.text.includes("\u202E")}; marked: ${excerptPage.text.includes('data-hidden-char="RLO"')}`,
    );

    // finding 9: ids past the integer range, mislabelled validation errors, raw bytes echoed
    const bigId = await request("GET", api("/excerpts/99999999999999999999"), { cookie: admin.cookie });
    const bigCursor = await request("GET", `${api("/excerpts/search")}?cursor=99999999999999999999`, { cookie: admin.cookie });
    const badParam = await request("PATCH", "/api/admin/users/not-a-number", { cookie: admin.cookie, ...json({ name: "x" }) });
    const garbage = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256));
    const importForm = new FormData();
    importForm.append("file", new Blob([garbage]), "data.csv");
    const binary = await request("POST", api("/imports"), { cookie: admin.cookie, body: importForm });
    const echoed = (() => {
      try {
        const message = String((JSON.parse(binary.text) as { error?: { message?: string } }).error?.message ?? "");
        return /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(message) || message.length > 400;
      } catch {
        return false;
      }
    })();
    const labelledBody = /^body[.:]/.test(
      (() => {
        try {
          return String((JSON.parse(badParam.text) as { error?: { message?: string } }).error?.message ?? "");
        } catch {
          return "";
        }
      })(),
    );
    found(
      9,
      "out-of-range ids, mislabelled errors, raw bytes echoed",
      bigId.status >= 500 || bigCursor.status >= 500 || labelledBody || echoed,
      `excerpt 99999999999999999999 → ${bigId.status}; cursor → ${bigCursor.status}; bad path id labelled body: ${labelledBody}; binary import → ${binary.status}, raw bytes in the message: ${echoed}`,
    );
    // finding 2 and the throttle figure: one account, a new X-Forwarded-For per guess
    const targetPassword = "lantern-quarry-mosaic-71";
    const target = `target-${Date.now()}@bench.test`;
    const created = await request("POST", "/api/admin/users", {
      cookie: admin.cookie,
      ...json({ email: target, name: "Target", role: "moderator", password: targetPassword }),
    });
    if (created.status !== 200) throw new Error(`creating the target account answered ${created.status}: ${created.text}`);
    const statuses: number[] = [];
    const probeStart = Date.now();
    for (let i = 0; Date.now() - probeStart < THROTTLE_PROBE_SECONDS * 1000; i++) {
      statuses.push((await signIn(target, `guess-${i}`, { "x-forwarded-for": `198.51.100.${(i % 250) + 1}` })).status);
    }
    const checked = statuses.filter((s) => s === 401).length;
    result.signin_attempts_per_s_before_throttle = round(checked / THROTTLE_PROBE_SECONDS);
    result.signin_attempts_sent = statuses.length;
    const afterLockout = await signIn(target, targetPassword, { "x-forwarded-for": "203.0.113.250" });
    found(
      2,
      "rate limit bypass with X-Forwarded-For",
      !statuses.includes(429) || afterLockout.status === 200,
      `${statuses.length} guesses rotating X-Forwarded-For: ${checked} checked, ${statuses.filter((s) => s === 429).length} × 429; right password with a new header → ${afterLockout.status}`,
    );

    await stopServer(server);

    // ---- phase 2: the flood, as a botnet behind a trusted reverse proxy (every guess from another address)
    appOrigin = BASE; // no public URL configured from here on: the server's own address is the origin
    server = startServer({ DATABASE_URL: dbUrl, MODLOOP_TRUSTED_PROXIES: "127.0.0.1" });
    await waitForServer();
    const user = await signIn(E2E_USERS.moderator2);
    const userApi = await workspaceApi(user.cookie);
    const floodEmails = [...Object.values(E2E_USERS), ...Array.from({ length: 40 }, (_, i) => `nobody-${i}@bench.test`)];
    await userLatencies(user.cookie, userApi("/queue/progress"), 1); // warm up
    // the idle baseline is measured before and after the flood, so a change in the machine's other load
    // during the run does not count for or against the flood
    const idleBefore = await userLatencies(user.cookie, userApi("/queue/progress"), IDLE_SECONDS);
    const [floodCounts, floodLat] = await Promise.all([runFlood(floodEmails), userLatencies(user.cookie, userApi("/queue/progress"), FLOOD_SECONDS)]);
    const idleLat = [...idleBefore, ...(await userLatencies(user.cookie, userApi("/queue/progress"), IDLE_SECONDS))];
    const idleP95 = percentile(idleLat, 95);
    const floodP95 = percentile(floodLat, 95);
    result.signin_flood_idle_p95_ms = round(idleP95);
    result.signin_flood_p95_ms = round(floodP95);
    result.signin_flood_p95_ratio = round(floodP95 / idleP95);
    result.signin_flood_rate_per_s = FLOOD_RATE;
    result.signin_flood_checked = floodCounts["401"] ?? 0;
    result.signin_flood_refused = floodCounts["429"] ?? 0;
    const [, controlLat] = await Promise.all([
      runFlood(["@control", userApi("/queue/progress")]),
      userLatencies(user.cookie, userApi("/queue/progress"), FLOOD_SECONDS),
    ]);
    result.control_flood_p95_ratio = round(percentile(controlLat, 95) / idleP95);
    const {
      rows: [{ n: attempts }],
    } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM login_attempt");
    await db
      .query("INSERT INTO login_attempt (email, address, is_success, attempted_at) VALUES ('old@bench.test', '192.0.2.1', false, now() - interval '40 days')")
      .catch(async () => {
        await db.query("INSERT INTO login_attempt (key, is_success, attempted_at) VALUES ('old@bench.test|192.0.2.1', false, now() - interval '40 days')");
      });
    if (pruneAuthRecords) await pruneAuthRecords();
    const { rowCount: oldLeft } = await db.query("SELECT 1 FROM login_attempt WHERE attempted_at < now() - interval '30 days'");
    await stopServer(server);

    // ---- phase 3: the same flood with the server-wide budget off and a new account name per guess, so
    // that every guess is a full password check: what hashing alone costs everybody else
    server = startServer({ DATABASE_URL: dbUrl, MODLOOP_TRUSTED_PROXIES: "127.0.0.1", MODLOOP_SIGNIN_FAILURES_PER_MINUTE: "1000000" });
    await waitForServer();
    const user3 = await signIn(E2E_USERS.moderator2);
    await userLatencies(user3.cookie, userApi("/queue/progress"), 1);
    const idle3Before = await userLatencies(user3.cookie, userApi("/queue/progress"), IDLE_SECONDS);
    const [counts3, flood3] = await Promise.all([runFlood(["*"]), userLatencies(user3.cookie, userApi("/queue/progress"), FLOOD_SECONDS)]);
    const idle3 = [...idle3Before, ...(await userLatencies(user3.cookie, userApi("/queue/progress"), IDLE_SECONDS))];
    result.signin_flood_unthrottled_checked = counts3["401"] ?? 0;
    result.signin_flood_unthrottled_p95_ratio = round(percentile(flood3, 95) / percentile(idle3, 95));

    found(
      3,
      "sign-in floods slow everyone; attempts never pruned",
      floodP95 / idleP95 > 2 || (oldLeft ?? 0) > 0,
      `p95 ${round(idleP95)} ms idle → ${round(floodP95)} ms during ${FLOOD_SECONDS} s of ${FLOOD_RATE} wrong sign-ins/s (${floodCounts["401"] ?? 0} checked, ${floodCounts["429"] ?? 0} refused; the same rate of signed-out GETs: ratio ${result.control_flood_p95_ratio}); with every guess checked (budget off): ${counts3["401"] ?? 0} checked, p95 ratio ${result.signin_flood_unthrottled_p95_ratio}; ${attempts} attempts stored; a 40-day-old attempt left after the sweep: ${(oldLeft ?? 0) > 0}`,
    );
  } finally {
    if (server) await stopServer(server);
    await db.end();
    const { closePools } = await import("../server/db/pool.ts");
    await closePools();
    await dropE2eDatabase(dbName);
  }

  findings.sort((a, b) => a.finding - b.finding);
  result.findings_reproducing = findings.filter((f) => f.reproduces).length;
  const out = {
    ...result,
    targets: { signin_flood_p95_ratio: 2, oversized_body_rss_growth_mb: 50, decompression_bomb_rss_growth_mb: 50, findings_reproducing: 0 },
    findings,
    size: isSmall ? "small" : "full",
    machine: `${os.cpus().length} CPU cores, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}`,
    measured_at: new Date().toISOString(),
  };
  const file = path.join(ROOT, "bench/results", isSmall ? "security.small.json" : "security.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`[security] wrote ${path.relative(ROOT, file)}: ${result.findings_reproducing} of 9 findings reproduce`);
}

await main();
