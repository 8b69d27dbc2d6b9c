import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { createSnapshot } from "@/server/export/create-snapshot.ts";
import { seedExportFixture, type TExportFixture } from "@/server/export/export-fixtures.ts";
import { runSnapshotJob } from "@/server/export/run-snapshot-job.ts";
import { snapshotDir } from "@/server/export/snapshot-paths.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import { GET } from "./route.ts";

/**
 * GET datasets/snapshots/[id]/files?path=… through real requests against a real database and export
 * folder: a data scientist gets exactly the bytes the snapshot recorded (checksum), one export-log row
 * per download; other roles are refused; another workspace's snapshot, a name the snapshot does not
 * list (a "../" path included), a malformed id and an unfinished snapshot are refused with nothing logged.
 */

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ORIGIN = "http://modloop.test";

let drop: () => Promise<void>;
let alpha: TExportFixture;
let bravo: TExportFixture;
let alphaSnapshot: { id: number; files: { path: string; sha256: string; bytes: number }[] };
let bravoSnapshotId: number;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  process.env.MODLOOP_EXPORT_DIR = mkdtempSync(path.join(tmpdir(), "modloop-files-route-"));
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  alpha = await seedExportFixture(pool, { slug: "alpha", excerpts: 60 });
  bravo = await seedExportFixture(pool, { slug: "bravo", excerpts: 20 });
  const a = await createSnapshot({ workspaceId: alpha.workspaceId, userId: alpha.userIds.scientist, params: {}, run: "none" });
  const manifest = await runSnapshotJob({ snapshotId: a.id });
  alphaSnapshot = { id: a.id, files: manifest.files };
  const b = await createSnapshot({ workspaceId: bravo.workspaceId, userId: bravo.userIds.scientist, params: { formats: ["jsonl"] }, run: "none" });
  await runSnapshotJob({ snapshotId: b.id });
  bravoSnapshotId = b.id;
  for (const [key, userId, role] of [
    ["scientist", alpha.userIds.scientist, "data_scientist"],
    ["moderator", alpha.userIds.mod1, "moderator"],
    ["manager", alpha.userIds.mod2, "manager"],
  ] as const) {
    await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [alpha.workspaceId, userId, role]);
    tokens[key] = (await createSession(userId)).token;
  }
}, 120_000);
afterAll(() => drop());

function get(opts: { token: string; id: string | number; path?: string; slug?: string }) {
  const slug = opts.slug ?? "alpha";
  const qs = opts.path === undefined ? "" : `?path=${encodeURIComponent(opts.path)}`;
  const req = new Request(`${ORIGIN}/api/w/${slug}/datasets/snapshots/${opts.id}/files${qs}`, {
    headers: { cookie: `modloop_session=${opts.token}`, origin: ORIGIN },
  });
  return (GET as THandler)(req, { params: Promise.resolve({ workspace: slug, id: String(opts.id) }) });
}

const downloadsLogged = async () =>
  (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM export_log WHERE action = 'download' AND workspace_id = $1`, [alpha.workspaceId]))
    .rows[0].n;

describe("GET datasets/snapshots/[id]/files", () => {
  it("streams each listed file with the recorded checksum, names it, and logs the download", async () => {
    const before = await downloadsLogged();
    for (const f of alphaSnapshot.files) {
      const res = await get({ token: tokens.scientist, id: alphaSnapshot.id, path: f.path });
      expect({ path: f.path, status: res.status }).toEqual({ path: f.path, status: 200 });
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="snapshot-${alphaSnapshot.id}-${f.path.replace(/\//g, "_")}"`);
      expect(Number(res.headers.get("content-length"))).toBe(f.bytes);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256);
    }
    expect((await get({ token: tokens.scientist, id: alphaSnapshot.id, path: "dataset.csv" })).headers.get("content-type")).toMatch(/^text\/csv/);
    const manifest = await get({ token: tokens.scientist, id: alphaSnapshot.id, path: "manifest.json" });
    expect(manifest.status).toBe(200);
    expect((await manifest.json()).snapshotId).toBe(alphaSnapshot.id);
    expect(await downloadsLogged()).toBe(before + alphaSnapshot.files.length + 2);
    const { rows } = await getPool().query<{ detail: { file: string } }>(
      `SELECT detail FROM export_log WHERE action = 'download' AND snapshot_id = $1 ORDER BY id LIMIT 1`,
      [alphaSnapshot.id],
    );
    expect(rows[0].detail.file).toBe(alphaSnapshot.files[0].path);
  });

  it("refuses moderators and managers (403)", async () => {
    for (const who of ["moderator", "manager"]) {
      const res = await get({ token: tokens[who], id: alphaSnapshot.id, path: "dataset.jsonl" });
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
  });

  it("answers 404 for another workspace's snapshot, an unlisted name, a path out of the folder and a malformed id; logs nothing", async () => {
    const before = await downloadsLogged();
    // a file that exists on disk in the export root but is not one of the snapshot's files
    writeFileSync(path.join(snapshotDir(alphaSnapshot.id), "..", "secret.txt"), "not part of any snapshot");
    for (const [id, file] of [
      [bravoSnapshotId, "dataset.jsonl"],
      [alphaSnapshot.id, "nope.jsonl"],
      [alphaSnapshot.id, "../secret.txt"],
      [alphaSnapshot.id, `../${bravoSnapshotId}/dataset.jsonl`],
      [alphaSnapshot.id, "/etc/passwd"],
      ["abc", "dataset.jsonl"],
      ["99999999999", "dataset.jsonl"],
    ] as const) {
      const res = await get({ token: tokens.scientist, id, path: file });
      expect({ id, file, status: res.status }).toEqual({ id, file, status: 404 });
      expect((await res.json()).error.code).toBe("NOT_FOUND");
    }
    expect(await downloadsLogged()).toBe(before);
  });

  it("422 without a path; 409 while the snapshot is still being built", async () => {
    const missing = await get({ token: tokens.scientist, id: alphaSnapshot.id });
    expect(missing.status).toBe(422);
    const queued = await createSnapshot({ workspaceId: alpha.workspaceId, userId: alpha.userIds.scientist, params: {}, run: "none" });
    const res = await get({ token: tokens.scientist, id: queued.id, path: "dataset.jsonl" });
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/when it is done/);
  });
});
