import path from "node:path";
import { env } from "../env.ts";

/**
 * Where snapshot files live: MODLOOP_EXPORT_DIR, else <MODLOOP_DATA_DIR>/snapshots. Workers that build
 * snapshots and web servers that serve them must see the same folder (a shared volume when they run
 * on different machines).
 */
export function snapshotRoot(): string {
  const e = env();
  return path.resolve(e.MODLOOP_EXPORT_DIR ?? path.join(e.MODLOOP_DATA_DIR, "snapshots"));
}

export function snapshotDir(snapshotId: number): string {
  return path.join(snapshotRoot(), String(snapshotId));
}

/** The top folder inside the downloaded archive. */
export function archiveFolderName(opts: { workspaceSlug: string; snapshotId: number }): string {
  return `modloop-${opts.workspaceSlug.replace(/[^a-zA-Z0-9_-]/g, "_")}-snapshot-${opts.snapshotId}`;
}
