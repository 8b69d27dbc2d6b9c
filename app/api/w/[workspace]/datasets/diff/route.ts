import { z } from "zod";
import { ZIntId } from "@/lib/http/ids.ts";
import { withRoute } from "@/server/http/route.ts";
import { diffSnapshots } from "@/server/export/diff-snapshots.ts";

export const runtime = "nodejs";

const ZDiffQuery = z.object({ before: ZIntId, after: ZIntId });

// GET /api/w/:workspace/datasets/diff?before=&after= – rows added, removed and relabelled between two finished snapshots, with samples.
export const GET = withRoute({ workspace: true, roles: ["data_scientist"], query: ZDiffQuery }, async ({ workspace, query, user }) => {
  return { diff: await diffSnapshots({ workspaceId: workspace.id, userId: user.id, beforeId: query.before, afterId: query.after }) };
});
