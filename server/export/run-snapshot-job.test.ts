import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { parquetMetadata } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseText } from "@/lib/export/normalise.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createSnapshot } from "./create-snapshot.ts";
import { diffSnapshots } from "./diff-snapshots.ts";
import { seedExportFixture, type TExportFixture } from "./export-fixtures.ts";
import { getSnapshot } from "./get-snapshot.ts";
import { listSnapshots } from "./list-snapshots.ts";
import { runSnapshotJob } from "./run-snapshot-job.ts";
import { snapshotDir } from "./snapshot-paths.ts";
import { streamSnapshotArchive } from "./stream-snapshot-archive.ts";

let drop: () => Promise<void>;
let fx: TExportFixture;

beforeAll(async () => {
  process.env.MODLOOP_EXPORT_DIR = mkdtempSync(path.join(tmpdir(), "modloop-export-"));
  const tdb = await createTestDatabase();
  drop = tdb.drop;
  fx = await seedExportFixture(getPool(), { slug: "fixture" });
});
afterAll(async () => drop());

async function snapshot(params: Record<string, unknown> = {}) {
  const s = await createSnapshot({ workspaceId: fx.workspaceId, userId: fx.userIds.scientist, params, run: "none" });
  const manifest = await runSnapshotJob({ snapshotId: s.id });
  return { id: s.id, manifest, dir: snapshotDir(s.id) };
}

type TJsonRow = Record<string, unknown> & { id: string; text: string; split: string; label: string; conversation_id: string | null };
const readJsonl = (file: string): TJsonRow[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe("runSnapshotJob", () => {
  it("exports every format with counts and checksums that match the files", async () => {
    const { id, manifest, dir } = await snapshot();
    const detail = await getSnapshot({ workspaceId: fx.workspaceId, snapshotId: id });
    expect(detail.status).toBe("done");
    expect(detail.progress).toBe(1);
    expect(detail.rowCount).toBe(manifest.counts.rows);
    expect(manifest.labelNames).toEqual(["non-toxic", "insult", "threat", "spam"]);
    expect(manifest.files.map((f) => f.path)).toEqual([
      "dataset.csv",
      "dataset.jsonl",
      "dataset.parquet",
      "hf/README.md",
      "hf/label_names.txt",
      "hf/test.jsonl",
      "hf/train.jsonl",
      "index.tsv",
    ]);
    for (const f of manifest.files) {
      const bytes = readFileSync(path.join(dir, f.path));
      expect(bytes.length).toBe(f.bytes);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256);
    }
    const rows = readJsonl(path.join(dir, "dataset.jsonl"));
    expect(rows.length).toBe(manifest.counts.rows);
    expect(Number(parquetMetadata(readFileSync(path.join(dir, "dataset.parquet")).buffer as ArrayBuffer).num_rows)).toBe(rows.length);
    expect(readFileSync(path.join(dir, "dataset.csv"), "utf8").split("\r\n").filter(Boolean).length).toBe(rows.length + 1);
    const hfRows = readJsonl(path.join(dir, "hf/train.jsonl")).length + readJsonl(path.join(dir, "hf/test.jsonl")).length;
    expect(hfRows).toBe(rows.length);
    expect(manifest.counts.bySplit.train + manifest.counts.bySplit.test).toBe(rows.length);
    // ids ascending, so diffs can merge
    expect(rows.map((r) => BigInt(r.id))).toEqual([...rows.map((r) => BigInt(r.id))].sort((a, b) => (a < b ? -1 : 1)));
  });

  it("applies the label rules: undone labels drop out, ties are disputed and excluded by default", async () => {
    const latest = readJsonl(path.join((await snapshot()).dir, "dataset.jsonl"));
    const majority = await snapshot({ labelRule: "majority" });
    const majorityRows = readJsonl(path.join(majority.dir, "dataset.jsonl"));
    const withDisputed = readJsonl(path.join((await snapshot({ labelRule: "majority", filters: { includeDisputed: true } })).dir, "dataset.jsonl"));
    // labelled: i % 10 !== 9 → 360; undone and no other vote: i % 13 === 0 and not (i % 7 or i % 11 === 0)
    const expected = [...Array(400).keys()].filter((i) => i % 10 !== 9 && !(i % 13 === 0 && i % 7 !== 0 && i % 11 !== 0));
    expect(latest.length).toBe(expected.length);
    // a tie: mod3's other label against exactly one vote for the template's label
    const ties = expected.filter((i) => i % 11 === 0 && Number(i % 13 !== 0) + Number(i % 7 === 0) === 1);
    expect(withDisputed.length).toBe(expected.length);
    expect(majorityRows.length).toBe(expected.length - ties.length);
    expect(withDisputed.filter((r) => r.is_disputed).length).toBe(ties.length);
    expect(majority.manifest.counts.disputed).toBe(0);
    // latest rule: a 1–1 disagreement takes the later vote (mod3's "other" label)
    const tieRow = latest.find((r) => r.text.endsWith("#22"))!;
    expect(tieRow).toMatchObject({
      label: "non-toxic",
      decision_count: 2,
      agreeing: 1,
      agreement: 0.5,
      model_version: "linear-fixture-1",
      model_suggestion: "insult",
    });
  });

  it("keeps conversations and near-duplicate texts in one split, and held-out rows in test", async () => {
    const crossing = (rows: TJsonRow[], key: (r: TJsonRow) => string | null) => {
      const seen = new Map<string, Set<string>>();
      for (const r of rows) {
        const k = key(r);
        if (k !== null) seen.set(k, (seen.get(k) ?? new Set()).add(r.split));
      }
      return [...seen.values()].filter((s) => s.size > 1).length;
    };
    const split = { train: 0.6, validation: 0.2, test: 0.2 };
    const strict = readJsonl(path.join((await snapshot({ split, maxConversationsPerText: null })).dir, "dataset.jsonl"));
    expect(crossing(strict, (r) => r.conversation_id)).toBe(0);
    expect(crossing(strict, (r) => normaliseText(r.text))).toBe(0);
    // with a hub threshold (the fixture's five shouted phrases each appear in 20 conversations), the
    // phrases stay in one split without welding their conversations together
    const rows = readJsonl(path.join((await snapshot({ split, maxConversationsPerText: 5 })).dir, "dataset.jsonl"));
    expect(crossing(rows, (r) => normaliseText(r.text))).toBe(0);
    expect(new Set(rows.map((r) => r.split))).toEqual(new Set(["train", "validation", "test"]));
    const heldOut = await getPool().query<{ id: string }>(`SELECT id::text FROM excerpt WHERE workspace_id = $1 AND held_out`, [fx.workspaceId]);
    const held = new Set(heldOut.rows.map((r) => r.id));
    for (const r of [...rows, ...strict]) if (held.has(r.id)) expect(r.split).toBe("test");
  });

  it("exports the gold set (audit slice and held-out imports) as a gold split when asked, with every row's external id", async () => {
    const { manifest, dir } = await snapshot({ goldSplit: true, formats: ["jsonl"] });
    const rows = readJsonl(path.join(dir, "dataset.jsonl"));
    expect(manifest.counts.bySplit.gold).toBeGreaterThan(0);
    const heldOut = await getPool().query<{ id: string }>(`SELECT id::text FROM excerpt WHERE workspace_id = $1 AND held_out`, [fx.workspaceId]);
    const held = new Set(heldOut.rows.map((r) => r.id));
    expect(rows.some((r) => held.has(r.id as string))).toBe(true);
    // every gold-set row is in the gold split (rows grouped with one, e.g. the same text, may follow it there)
    for (const r of rows) if (r.is_audit === true || held.has(r.id as string)) expect(r.split).toBe("gold");
    const externalIds = await getPool().query<{ id: string; external_id: string | null }>(`SELECT id::text, external_id FROM excerpt WHERE workspace_id = $1`, [
      fx.workspaceId,
    ]);
    const byId = new Map(externalIds.rows.map((r) => [r.id, r.external_id]));
    expect(rows.every((r) => "external_id" in r && r.external_id === byId.get(r.id as string))).toBe(true);
    expect(rows.some((r) => r.external_id !== null)).toBe(true);
    expect(manifest.files.map((f) => f.path)).toEqual(["dataset.jsonl", "index.tsv"]);
  });

  it("filters by source, category and agreeing moderators", async () => {
    const voice = readJsonl(path.join((await snapshot({ filters: { sources: ["voice"] }, formats: ["jsonl"] })).dir, "dataset.jsonl"));
    expect(voice.length).toBeGreaterThan(0);
    expect(voice.every((r) => r.source === "voice")).toBe(true);
    const two = readJsonl(path.join((await snapshot({ filters: { minAgreeing: 2 }, formats: ["jsonl"] })).dir, "dataset.jsonl"));
    expect(two.length).toBeGreaterThan(0);
    expect(two.every((r) => (r.agreeing as number) >= 2)).toBe(true);
    const cats = await snapshot({ filters: { categoryIds: [fx.categoryIds.threat, fx.categoryIds.insult] }, formats: ["jsonl"] });
    expect(cats.manifest.labelNames).toEqual(["insult", "threat"]);
    const catRows = readJsonl(path.join(cats.dir, "dataset.jsonl"));
    expect(new Set(catRows.map((r) => `${r.label}:${r.label_index}`))).toEqual(new Set(["insult:0", "threat:1"]));
  });

  it("reproduces byte-identical files for the same parameters, and diffs snapshots", async () => {
    const a = await snapshot({ seed: "repro" });
    const b = await snapshot({ seed: "repro" });
    expect(b.manifest.files).toEqual(a.manifest.files);
    expect(b.manifest.createdAt).not.toBe("");

    // new data: one more labelled excerpt and one relabel
    const pool = getPool();
    const e = await pool.query<{ id: string }>(
      `INSERT INTO excerpt (workspace_id, dedup_key, text) VALUES ($1, 'late-1', 'a brand new line') RETURNING id::text`,
      [fx.workspaceId],
    );
    await pool.query(`INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, category_id) VALUES ($1, $2, $3, 'label', $4)`, [
      fx.workspaceId,
      e.rows[0].id,
      fx.userIds.mod2,
      fx.categoryIds.threat,
    ]);
    const first = readJsonl(path.join(a.dir, "dataset.jsonl"))[0];
    await pool.query(`INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, category_id) VALUES ($1, $2, $3, 'label', $4)`, [
      fx.workspaceId,
      first.id,
      fx.userIds.mod3,
      first.label === "threat" ? fx.categoryIds.insult : fx.categoryIds.threat,
    ]);
    const c = await snapshot({ seed: "repro" });
    const diff = await diffSnapshots({ workspaceId: fx.workspaceId, userId: fx.userIds.scientist, beforeId: a.id, afterId: c.id });
    expect(diff).toMatchObject({ added: 1, removed: 0, relabelled: 1 });
    expect(diff.samples.added[0].id).toBe(e.rows[0].id);
    expect(diff.samples.relabelled[0].id).toBe(first.id);
    // newer → older, or a snapshot with itself, is refused with the field named
    await expect(diffSnapshots({ workspaceId: fx.workspaceId, userId: fx.userIds.scientist, beforeId: c.id, afterId: a.id })).rejects.toThrow(
      /query\.before must be the older snapshot/,
    );
    await expect(diffSnapshots({ workspaceId: fx.workspaceId, userId: fx.userIds.scientist, beforeId: a.id, afterId: a.id })).rejects.toThrow(/query\.after/);
  });

  it("streams a tar.gz archive that tar extracts, and records every export", async () => {
    const { id, manifest } = await snapshot({ formats: ["hf"] });
    const { filename, stream } = await streamSnapshotArchive({ workspaceId: fx.workspaceId, userId: fx.userIds.scientist, snapshotId: id });
    expect(filename).toBe(`modloop-fixture-snapshot-${id}.tar.gz`);
    const out = mkdtempSync(path.join(tmpdir(), "modloop-archive-"));
    writeFileSync(path.join(out, filename), await buffer(stream));
    execFileSync("tar", ["-xzf", path.join(out, filename), "-C", out]);
    const root = path.join(out, `modloop-fixture-snapshot-${id}`);
    expect(JSON.parse(readFileSync(path.join(root, "manifest.json"), "utf8")).snapshotId).toBe(id);
    for (const f of manifest.files)
      expect(
        createHash("sha256")
          .update(readFileSync(path.join(root, f.path)))
          .digest("hex"),
      ).toBe(f.sha256);

    const log = await getPool().query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM export_log WHERE workspace_id = $1 GROUP BY action ORDER BY action`,
      [fx.workspaceId],
    );
    const byAction = Object.fromEntries(log.rows.map((r) => [r.action, r.n]));
    expect(byAction.download).toBe(1);
    expect(byAction.diff).toBe(1);
    expect(byAction.create).toBe((await listSnapshots({ workspaceId: fx.workspaceId })).length);
    await expect(getPool().query(`DELETE FROM export_log WHERE workspace_id = $1`, [fx.workspaceId])).rejects.toThrow(/append-only/);
  });

  it("marks a snapshot failed with a clear error and refuses to rebuild a finished one", async () => {
    const s = await createSnapshot({ workspaceId: fx.workspaceId, userId: null, params: { filters: { categoryIds: [999999] } }, run: "none" });
    await expect(runSnapshotJob({ snapshotId: s.id })).rejects.toThrow(/No categories match/);
    const failed = await getSnapshot({ workspaceId: fx.workspaceId, snapshotId: s.id });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/No categories match/);
    const done = await snapshot({ formats: ["jsonl"] });
    await expect(runSnapshotJob({ snapshotId: done.id })).rejects.toThrow(/immutable/);
    await expect(createSnapshot({ workspaceId: fx.workspaceId, userId: null, params: { split: { train: 0.5 } } })).rejects.toThrow(/add up to 1/);
  });
});
