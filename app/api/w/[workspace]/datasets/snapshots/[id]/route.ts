import { pathIntId, withRoute } from "@/server/http/route.ts";
import { getSnapshot } from "@/server/export/get-snapshot.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/datasets/snapshots/[id] – one snapshot: status, progress, counts per split and category, files with checksums, taxonomy.
export const GET = withRoute({ workspace: true, roles: ["data_scientist"] }, async ({ workspace, params }) => {
  return { snapshot: await getSnapshot({ workspaceId: workspace.id, snapshotId: pathIntId(params.id) }) };
});
