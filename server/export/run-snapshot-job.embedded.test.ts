import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { migrate } from "../db/migrate.ts";
import { closePools, getPool } from "../db/pool.ts";
import { createSnapshot } from "./create-snapshot.ts";
import { freePort } from "../test/free-port.ts";
import { seedExportFixture } from "./export-fixtures.ts";
import { runSnapshotJob } from "./run-snapshot-job.ts";
import { snapshotDir } from "./snapshot-paths.ts";

// The zero-setup default runs on PGlite: no COPY streaming and one backend session behind its socket.
let stop: () => Promise<void>;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "modloop-pglite-export-"));
  const embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  stop = embedded.stop;
  process.env.DATABASE_URL = embedded.url;
  process.env.MODLOOP_EXPORT_DIR = path.join(dir, "snapshots");
  // as scripts/lib/open-database.ts does when it opens the embedded database
  process.env.MODLOOP_DB_KIND = "pglite";
  await migrate(embedded.url);
}, 120_000);
afterAll(async () => {
  delete process.env.MODLOOP_DB_KIND;
  await closePools();
  await stop?.();
});

it("builds a snapshot on the embedded database (cursor reads, no deadlock on progress)", async () => {
  const fx = await seedExportFixture(getPool(), { excerpts: 120 });
  const s = await createSnapshot({ workspaceId: fx.workspaceId, userId: fx.userIds.scientist, params: { formats: ["jsonl", "hf"] }, run: "none" });
  const manifest = await runSnapshotJob({ snapshotId: s.id });
  const lines = readFileSync(path.join(snapshotDir(s.id), "dataset.jsonl"), "utf8")
    .trim()
    .split("\n");
  expect(lines.length).toBe(manifest.counts.rows);
  // 120 lines, every 10th unlabelled, a few undone without another vote
  expect(manifest.counts.rows).toBeGreaterThan(90);
  const { rows } = await getPool().query<{ status: string }>(`SELECT status FROM dataset_snapshot WHERE id = $1`, [s.id]);
  expect(rows[0].status).toBe("done");
}, 120_000);
