import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { diffIndexes, parseIndexLine, type TIndexRow, type TSnapshotDiff } from "@/lib/export/diff.ts";
import { AppError } from "@/lib/errors.ts";
import { getSnapshot } from "./get-snapshot.ts";
import { recordExport } from "./record-export.ts";
import { snapshotDir } from "./snapshot-paths.ts";

/** Rows added, removed and relabelled from snapshot `before` to snapshot `after` (streamed; any size). */
export async function diffSnapshots(opts: {
  workspaceId: number;
  userId: number | null;
  beforeId: number;
  afterId: number;
  sampleSize?: number;
}): Promise<TSnapshotDiff & { beforeId: number; afterId: number }> {
  if (opts.beforeId === opts.afterId)
    throw new AppError("VALIDATION", `query.after: pick a different snapshot than query.before (both are #${opts.beforeId}).`);
  const snapshots = [];
  for (const id of [opts.beforeId, opts.afterId]) {
    const s = await getSnapshot({ workspaceId: opts.workspaceId, snapshotId: id });
    if (s.status !== "done") throw new AppError("CONFLICT", `Snapshot ${id} is ${s.status}; wait until it is done to diff it.`);
    snapshots.push(s);
  }
  // "added" and "removed" only mean something from the older snapshot to the newer one; the other
  // way round every addition would read as a removal
  if (
    Date.parse(snapshots[0].createdAt) > Date.parse(snapshots[1].createdAt) ||
    (snapshots[0].createdAt === snapshots[1].createdAt && opts.beforeId > opts.afterId)
  ) {
    throw new AppError("VALIDATION", `query.before must be the older snapshot: #${opts.beforeId} was created after #${opts.afterId}. Swap them.`);
  }
  const diff = await diffIndexes(readIndex(opts.beforeId), readIndex(opts.afterId), { sampleSize: opts.sampleSize });
  await recordExport({ workspaceId: opts.workspaceId, userId: opts.userId, snapshotId: opts.afterId, action: "diff", detail: { beforeId: opts.beforeId } });
  return { ...diff, beforeId: opts.beforeId, afterId: opts.afterId };
}

async function* readIndex(snapshotId: number): AsyncGenerator<TIndexRow> {
  const file = path.join(snapshotDir(snapshotId), "index.tsv");
  await access(file).catch(() => {
    throw new AppError("NOT_FOUND", `The files of snapshot ${snapshotId} are missing from the export folder; create it again.`);
  });
  let lineNo = 0;
  for await (const line of createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })) {
    lineNo++;
    if (line) yield parseIndexLine(line, lineNo);
  }
}
