import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { diffSnapshots } from "@/server/export/diff-snapshots.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

const ZDiffQuery = z.object({ before: z.coerce.number().int().positive(), after: z.coerce.number().int().positive() });

// GET /api/datasets/diff?before=&after= – rows added, removed and relabelled between two finished snapshots, with samples.
export const GET = withRoute({ roles: ["data_scientist"], query: ZDiffQuery }, async ({ query, user }) => {
  const workspace = await getCurrentWorkspace();
  return { diff: await diffSnapshots({ workspaceId: workspace.id, userId: user.id, beforeId: query.before, afterId: query.after }) };
});
