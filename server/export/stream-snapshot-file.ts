import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { AppError } from "@/lib/errors.ts";
import { getSnapshot } from "./get-snapshot.ts";
import { recordExport } from "./record-export.ts";
import { snapshotDir } from "./snapshot-paths.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".jsonl": "application/x-ndjson; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".parquet": "application/vnd.apache.parquet",
};

/**
 * One file of a finished snapshot, streamed from the export folder, and the download recorded in the
 * export log. Only a name the snapshot lists (or its manifest.json) is served: the requested path is
 * looked up in the stored file list, never joined onto the folder as given, so "../" reaches nothing.
 * The file must still have the size recorded when it was written.
 */
export async function streamSnapshotFile(opts: {
  workspaceId: number;
  userId: number | null;
  snapshotId: number;
  filePath: string;
}): Promise<{ filename: string; contentType: string; bytes: number; stream: Readable }> {
  const snapshot = await getSnapshot({ workspaceId: opts.workspaceId, snapshotId: opts.snapshotId });
  if (snapshot.status !== "done") {
    throw new AppError("CONFLICT", `Snapshot ${snapshot.id} is ${snapshot.status}; download its files when it is done.`);
  }
  const listed = opts.filePath === "manifest.json" ? { path: "manifest.json", bytes: -1 } : snapshot.files.find((f) => f.path === opts.filePath);
  if (!listed) {
    throw new AppError(
      "NOT_FOUND",
      `Snapshot ${snapshot.id} has no file "${opts.filePath}". Its files: manifest.json, ${snapshot.files.map((f) => f.path).join(", ")}.`,
    );
  }
  const fullPath = path.join(snapshotDir(snapshot.id), listed.path);
  const size = await stat(fullPath).then(
    (s) => s.size,
    () => null,
  );
  if (size === null)
    throw new AppError("NOT_FOUND", `File ${listed.path} of snapshot ${snapshot.id} is missing from the export folder; create the snapshot again.`);
  if (listed.bytes >= 0 && size !== listed.bytes) {
    throw new AppError("CONFLICT", `File ${listed.path} of snapshot ${snapshot.id} changed on disk after it was written; create the snapshot again.`);
  }
  await recordExport({ workspaceId: opts.workspaceId, userId: opts.userId, snapshotId: snapshot.id, action: "download", detail: { file: listed.path } });
  const base = listed.path.replace(/\//g, "_");
  return {
    filename: `snapshot-${snapshot.id}-${base}`,
    contentType: CONTENT_TYPES[path.extname(listed.path)] ?? "application/octet-stream",
    bytes: size,
    stream: createReadStream(fullPath),
  };
}
