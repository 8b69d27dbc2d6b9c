import { Readable } from "node:stream";
import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { streamSnapshotArchive } from "@/server/export/stream-snapshot-archive.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/datasets/snapshots/[id]/download – the finished snapshot as one streamed .tar.gz; the download is recorded in the export log.
export const GET = withRoute({ roles: ["data_scientist"] }, async ({ params, user }) => {
  const workspace = await getCurrentWorkspace();
  const snapshotId = z.coerce.number().int().positive().parse(params.id);
  const { filename, stream } = await streamSnapshotArchive({ workspaceId: workspace.id, userId: user.id, snapshotId });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
