/**
 * Builds one snapshot of the export fixture for the Python load tests and prints its manifest path.
 * Runs against a fresh database on TEST_PG_URL's server (default 127.0.0.1:5432), dropped afterwards.
 *
 *   npx tsx model/tests/export/make_snapshot.ts <export-dir>
 */
import path from "node:path";
import pg from "pg";
import { migrate } from "../../../server/db/migrate.ts";
import { closePools, getPool } from "../../../server/db/pool.ts";
import { createSnapshot } from "../../../server/export/create-snapshot.ts";
import { seedExportFixture } from "../../../server/export/export-fixtures.ts";
import { runSnapshotJob } from "../../../server/export/run-snapshot-job.ts";
import { snapshotDir } from "../../../server/export/snapshot-paths.ts";

const exportDir = process.argv[2];
if (!exportDir) throw new Error("usage: make_snapshot.ts <export-dir>");
process.env.MODLOOP_EXPORT_DIR = path.resolve(exportDir);

const adminUrl = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `modloop_pyexport_${process.pid}`;
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
try {
  await migrate(url.toString());
  process.env.DATABASE_URL = url.toString();
  const fx = await seedExportFixture(getPool(), { slug: "pyfixture" });
  const snapshot = await createSnapshot({
    workspaceId: fx.workspaceId,
    userId: fx.userIds.scientist,
    params: { name: "python load test", split: { train: 0.7, validation: 0.1, test: 0.2 }, goldSplit: true, maxConversationsPerText: 5 },
    run: "none",
  });
  await runSnapshotJob({ snapshotId: snapshot.id });
  console.log(JSON.stringify({ manifest: path.join(snapshotDir(snapshot.id), "manifest.json") }));
} finally {
  await closePools();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
