import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { createSnapshot } from "@/server/export/create-snapshot.ts";
import { listSnapshots } from "@/server/export/list-snapshots.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// Parameters are validated in full by createSnapshot (ZSnapshotParams); here only their envelope.
const ZCreateBody = z.object({ params: z.record(z.string(), z.unknown()).default({}) });

// GET /api/datasets/snapshots – the workspace's dataset snapshots, newest first, with status and progress.
export const GET = withRoute({ roles: ["data_scientist"] }, async () => {
  const workspace = await getCurrentWorkspace();
  return { snapshots: await listSnapshots({ workspaceId: workspace.id }) };
});

// POST /api/datasets/snapshots – records a snapshot and starts building it in the background; 202 with the queued snapshot (poll GET …/[id] for progress).
export const POST = withRoute({ roles: ["data_scientist"], body: ZCreateBody }, async ({ user, body }) => {
  const workspace = await getCurrentWorkspace();
  const snapshot = await createSnapshot({ workspaceId: workspace.id, userId: user.id, params: body.params });
  return Response.json({ snapshot }, { status: 202, headers: { "cache-control": "no-store" } });
});
