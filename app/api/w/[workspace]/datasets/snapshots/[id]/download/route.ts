import { Readable } from "node:stream";
import { pathIntId, withRoute } from "@/server/http/route.ts";
import { streamSnapshotArchive } from "@/server/export/stream-snapshot-archive.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/datasets/snapshots/[id]/download – the finished snapshot as one streamed .tar.gz; the download is recorded in the export log.
export const GET = withRoute({ workspace: true, roles: ["data_scientist"] }, async ({ workspace, params, user }) => {
  const snapshotId = pathIntId(params.id);
  const { filename, stream } = await streamSnapshotArchive({ workspaceId: workspace.id, userId: user.id, snapshotId });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
