import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { migrate } from "../../server/db/migrate.ts";
import { freePort } from "../../server/test/free-port.ts";
import { adminUrl, databaseUrl } from "../../server/test/pg-urls.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type TFreshInstall = { baseURL: string; dbUrl: string; stop: () => Promise<void> };

/**
 * A fresh install for specs that must not share the seeded e2e database: an empty, migrated database
 * (as `npm start -- --no-seed` leaves it), the app's production build served by its own `next start`,
 * and a background worker (training runs there), all stopped and dropped by stop().
 */
export async function startFreshInstall(): Promise<TFreshInstall> {
  const name = `modloop_e2e_${randomBytes(4).toString("hex")}_fresh`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dbUrl = databaseUrl(name);
  await migrate(dbUrl);
  const port = await freePort();
  const env = { ...process.env, DATABASE_URL: dbUrl, NEXT_TELEMETRY_DISABLED: "1", MODLOOP_INPROCESS_WORKER: "0", NODE_ENV: "production" as const };
  const web = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: ROOT,
    env,
    stdio: "ignore",
  });
  const worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { cwd: ROOT, env, stdio: "ignore" });
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const isUp = await fetch(`${baseURL}/login`, { redirect: "manual" }).then(
      () => true,
      () => false,
    );
    if (isUp) break;
    if (Date.now() > deadline || web.exitCode !== null) {
      await stopAll([web, worker]);
      throw new Error(`the fresh install's web server did not start on ${baseURL}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseURL,
    dbUrl,
    stop: async () => {
      await stopAll([web, worker]);
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }),
  );
}
