import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { createSnapshot } from "@/server/export/create-snapshot.ts";
import { listSnapshots } from "@/server/export/list-snapshots.ts";

export const runtime = "nodejs";

// Parameters are validated in full by createSnapshot (ZSnapshotParams); here only their envelope.
const ZCreateBody = z.object({ params: z.record(z.string(), z.unknown()).default({}) });

// GET /api/w/:workspace/datasets/snapshots – the workspace's dataset snapshots, newest first, with status and progress.
export const GET = withRoute({ workspace: true, roles: ["data_scientist"] }, async ({ workspace }) => {
  return { snapshots: await listSnapshots({ workspaceId: workspace.id }) };
});

// POST /api/w/:workspace/datasets/snapshots – records a snapshot and starts building it in the background; 202 with the queued snapshot (poll GET …/[id] for progress).
// With an Idempotency-Key, a retried click records one snapshot (and one export in the audit log), not two.
export const POST = withRoute(
  { workspace: true, roles: ["data_scientist"], body: ZCreateBody, idempotent: "snapshot.create", successStatus: 202 },
  async ({ workspace, user, body }) => {
    return { snapshot: await createSnapshot({ workspaceId: workspace.id, userId: user.id, params: body.params }) };
  },
);
