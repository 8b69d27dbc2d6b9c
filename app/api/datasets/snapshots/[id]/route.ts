import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { getSnapshot } from "@/server/export/get-snapshot.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

const ZSnapshotId = z.coerce.number().int().positive();

// GET /api/datasets/snapshots/[id] – one snapshot: status, progress, counts per split and category, files with checksums, taxonomy.
export const GET = withRoute({ roles: ["data_scientist"] }, async ({ params }) => {
  const workspace = await getCurrentWorkspace();
  return { snapshot: await getSnapshot({ workspaceId: workspace.id, snapshotId: ZSnapshotId.parse(params.id) }) };
});
