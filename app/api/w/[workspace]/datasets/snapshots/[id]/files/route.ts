import { Readable } from "node:stream";
import { z } from "zod";
import { pathIntId, withRoute } from "@/server/http/route.ts";
import { streamSnapshotFile } from "@/server/export/stream-snapshot-file.ts";

export const runtime = "nodejs";

const ZQuery = z.object({ path: z.string().min(1).max(300) });

// GET /api/w/:workspace/datasets/snapshots/[id]/files?path=hf/train.jsonl – one file of a finished snapshot, streamed; the download is recorded in the export log.
export const GET = withRoute({ workspace: true, roles: ["data_scientist"], query: ZQuery }, async ({ workspace, params, user, query }) => {
  const snapshotId = pathIntId(params.id);
  const { filename, contentType, bytes, stream } = await streamSnapshotFile({ workspaceId: workspace.id, userId: user.id, snapshotId, filePath: query.path });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": contentType,
      "content-length": String(bytes),
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
