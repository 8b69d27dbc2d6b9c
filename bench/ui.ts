/**
 * UI latency benchmark: a real Chromium signs in as a moderator against `next start` (the production
 * build) on its own seeded PostgreSQL database and makes N consecutive keyboard decisions.
 * key_to_next is measured inside the page: from the keydown (a capture listener that runs before the
 * app's) until the next excerpt's card is in the DOM and a frame has been painted. Afterwards every
 * decision must be stored in PostgreSQL (lost_decisions = 0). Writes bench/results/ui.json.
 *
 *   npx tsx bench/ui.ts [--decisions 50]         BENCH_SIZE=small for CI (10 decisions)
 *   BENCH_BASE_URL=http://127.0.0.1:3000 reuses a running server (it must use BENCH_DB_NAME's database)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { chromium } from "playwright-core";
import { createE2eDatabase, dropE2eDatabase } from "../e2e/support/database.ts";
import { E2E_PASSWORD, E2E_USERS } from "../e2e/support/fixture.ts";
import { databaseUrl } from "../server/test/pg-urls.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({ options: { decisions: { type: "string" } } });
const isSmall = process.env.BENCH_SIZE === "small";
const decisions = Number(args.decisions ?? (isSmall ? 10 : 50));
const dbName = process.env.BENCH_DB_NAME ?? `modloop_e2e_bench_${randomBytes(3).toString("hex")}`;
const port = Number(process.env.BENCH_PORT ?? 3219);
const baseURL = process.env.BENCH_BASE_URL ?? `http://127.0.0.1:${port}`;
// the seeded taxonomy's hotkeys are 1–6; a realistic mix of accepts, corrections and skips
const KEYS = ["Enter", "2", "Enter", "1", "3", "Enter", "s", "4", "Enter", "6"];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

// detached: the child leads its own process group, so stopping it also stops the next-server that
// `npx next start` forks (killing only npx left the server running and this benchmark never exited)
function run(cmd: string, argv: string[], env: Record<string, string>): ChildProcess {
  return spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
}

function stopGroup(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server at ${url} did not start within ${timeoutMs} ms`);
}

async function main() {
  console.log(`[ui] seeding ${dbName} with ${decisions + 30} queued excerpts`);
  await createE2eDatabase(dbName, { excerpts: decisions + 30 });
  let server: ChildProcess | undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    if (!process.env.BENCH_BASE_URL) {
      const env = { DATABASE_URL: databaseUrl(dbName), NEXT_TELEMETRY_DISABLED: "1", MODLOOP_INPROCESS_WORKER: "0" };
      if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
        console.log("[ui] no production build found: running next build");
        const build = run("npx", ["next", "build"], env);
        const code = await new Promise<number>((resolve) => build.on("exit", (c) => resolve(c ?? 1)));
        if (code !== 0) throw new Error("next build failed");
      }
      server = run("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(port)], env);
      server.stderr?.on("data", (d) => process.stderr.write(`[next] ${d}`));
      await waitForServer(`${baseURL}/login`, 60_000);
    }

    const page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    await page.goto(`${baseURL}/login`);
    await page.getByLabel("Email").fill(E2E_USERS.moderator);
    await page.getByLabel("Password").fill(E2E_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/queue$/);
    await page.getByTestId("queue-card").waitFor();
    // let the first background refill settle so the run measures the steady state a moderator sees
    await page.waitForTimeout(500);

    await page.evaluate(() => {
      const w = window as unknown as { __keyToNext: number[]; __bufferedAtKey: number[]; __highlighted: number };
      w.__keyToNext = [];
      w.__bufferedAtKey = [];
      w.__highlighted = 0;
      let pressedAt: number | null = null;
      let shownId = document.querySelector("[data-testid=queue-card]")?.getAttribute("data-excerpt-id") ?? null;
      window.addEventListener(
        "keydown",
        () => {
          pressedAt = performance.now();
          // how many claimed cards were waiting: 1 means the next one had to come from the network
          w.__bufferedAtKey.push(Number(/(\d+) buffered/.exec(document.querySelector("[data-testid=progress]")?.textContent ?? "")?.[1] ?? -1));
        },
        { capture: true },
      );
      new MutationObserver(() => {
        const card = document.querySelector("[data-testid=queue-card]");
        const id = card?.getAttribute("data-excerpt-id") ?? null;
        const hasText = Boolean(card?.querySelector("[data-testid=excerpt-text]")?.textContent);
        if (pressedAt === null || id === shownId || !hasText) return;
        const start = pressedAt;
        pressedAt = null;
        shownId = id;
        if (card?.querySelector("[data-testid=highlight]")) w.__highlighted++;
        // the next frame after the DOM change is when it is on screen
        requestAnimationFrame(() => setTimeout(() => w.__keyToNext.push(performance.now() - start), 0));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-excerpt-id"] });
    });

    const decided: string[] = [];
    for (let i = 0; i < decisions; i++) {
      const card = page.getByTestId("queue-card");
      const id = (await card.getAttribute("data-excerpt-id"))!;
      decided.push(id);
      await page.keyboard.press(KEYS[i % KEYS.length]);
      await page.waitForFunction(
        ([prev, n]) =>
          document.querySelector("[data-testid=queue-card]")?.getAttribute("data-excerpt-id") !== prev &&
          (window as unknown as { __keyToNext: number[] }).__keyToNext.length >= n,
        [id, i + 1] as const,
        { timeout: 10_000 },
      );
    }
    await page.getByTestId("progress").getByText("all saved").waitFor({ timeout: 30_000 });
    const { samples, bufferedAtKey, highlighted } = await page.evaluate(() => {
      const w = window as unknown as { __keyToNext: number[]; __bufferedAtKey: number[]; __highlighted: number };
      return { samples: w.__keyToNext, bufferedAtKey: w.__bufferedAtKey, highlighted: w.__highlighted };
    });

    const client = new pg.Client({ connectionString: databaseUrl(dbName) });
    await client.connect();
    const { rows } = await client.query<{ excerpt_id: string }>(
      `SELECT d.excerpt_id::text FROM decision d JOIN app_user u ON u.id = d.user_id WHERE u.email = $1 AND d.kind IN ('label', 'skip')`,
      [E2E_USERS.moderator],
    );
    await client.end();
    const stored = new Set(rows.map((r) => r.excerpt_id));
    const lost = decided.filter((id) => !stored.has(id)).length;

    const sorted = [...samples].sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 10) / 10;
    const result = {
      decisions,
      samples: samples.length,
      key_to_next_p50_ms: round(percentile(sorted, 50)),
      key_to_next_p95_ms: round(percentile(sorted, 95)),
      key_to_next_max_ms: round(sorted[sorted.length - 1]),
      target_p95_ms: 100,
      // keypresses that found no next card already buffered (it had to be claimed over the network first)
      buffer_misses: bufferedAtKey.filter((n) => n <= 1).length,
      // word highlighting (server/queue/explain-cards.ts) is computed in every claim unless MODLOOP_QUEUE_HIGHLIGHTS=0;
      // how many of the cards shown carried highlighted words
      highlights: process.env.MODLOOP_QUEUE_HIGHLIGHTS === "0" ? "off" : "on",
      cards_with_highlights: highlighted,
      stored_decisions: rows.length,
      lost_decisions: lost,
      server: process.env.BENCH_BASE_URL ? "external" : "next start (production build)",
      browser: "chromium (headless)",
      load_average_1m: Math.round(os.loadavg()[0] * 10) / 10,
      cpus: os.cpus().length,
      measured_at: new Date().toISOString(),
    };
    console.log(JSON.stringify(result, null, 2));
    await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
    await writeFile(path.join(ROOT, `bench/results/ui${isSmall ? ".small" : ""}.json`), `${JSON.stringify(result, null, 2)}\n`);
    if (lost > 0) throw new Error(`${lost} decisions were not stored`);
    if (samples.length !== decisions) throw new Error(`measured ${samples.length} of ${decisions} transitions`);
  } finally {
    await browser.close();
    stopGroup(server);
    await dropE2eDatabase(dbName);
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  // nothing may keep the process alive once the figures are written (pg pools, child pipes)
  .finally(() => process.exit());
