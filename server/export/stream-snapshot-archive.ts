import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { tarEnd, tarHeader, tarPadding } from "@/lib/export/tar.ts";
import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { getSnapshot } from "./get-snapshot.ts";
import { recordExport } from "./record-export.ts";
import { archiveFolderName, snapshotDir } from "./snapshot-paths.ts";

/**
 * A finished snapshot as one .tar.gz, streamed file by file (never buffered whole), and the download
 * recorded in the export log. Each file is checked against the size recorded when it was written.
 */
export async function streamSnapshotArchive(opts: {
  workspaceId: number;
  userId: number | null;
  snapshotId: number;
}): Promise<{ filename: string; stream: Readable }> {
  const snapshot = await getSnapshot({ workspaceId: opts.workspaceId, snapshotId: opts.snapshotId });
  if (snapshot.status !== "done") {
    throw new AppError("CONFLICT", `Snapshot ${snapshot.id} is ${snapshot.status}; download it when it is done.`);
  }
  const { rows } = await getPool().query<{ slug: string }>(`SELECT slug FROM workspace WHERE id = $1`, [opts.workspaceId]);
  const folder = archiveFolderName({ workspaceSlug: rows[0]?.slug ?? "workspace", snapshotId: snapshot.id });
  const dir = snapshotDir(snapshot.id);
  const entries = [{ path: "manifest.json", bytes: -1 }, ...snapshot.files.map((f) => ({ path: f.path, bytes: f.bytes }))];
  for (const e of entries) {
    const size = await stat(path.join(dir, e.path)).then(
      (s) => s.size,
      () => null,
    );
    if (size === null)
      throw new AppError("NOT_FOUND", `File ${e.path} of snapshot ${snapshot.id} is missing from the export folder; create the snapshot again.`);
    if (e.bytes >= 0 && size !== e.bytes)
      throw new AppError("CONFLICT", `File ${e.path} of snapshot ${snapshot.id} changed on disk after it was written; create the snapshot again.`);
    e.bytes = size;
  }
  const mtimeMs = Date.parse(snapshot.createdAt);
  async function* tar() {
    for (const e of entries) {
      yield tarHeader({ name: `${folder}/${e.path}`, size: e.bytes, mtimeMs });
      for await (const chunk of createReadStream(path.join(dir, e.path))) yield chunk as Buffer;
      yield tarPadding(e.bytes);
    }
    yield tarEnd();
  }
  await recordExport({ workspaceId: opts.workspaceId, userId: opts.userId, snapshotId: snapshot.id, action: "download", detail: { format: "tar.gz" } });
  return { filename: `${folder}.tar.gz`, stream: Readable.from(tar()).pipe(createGzip()) };
}
