import { z } from "zod";
import { ZBigIntId, ZIntId } from "@/lib/http/ids.ts";
import { listAdjudications } from "@/server/adjudication/list-adjudications.ts";
import { submitAdjudication } from "@/server/adjudication/submit-adjudication.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

const ZAdjudicationBody = z.object({
  excerptId: ZBigIntId,
  categoryId: ZIntId,
  note: z.string().trim().max(2000).optional(),
});

// GET /api/w/:workspace/adjudication – overlap items whose two moderators disagree, oldest first (seniors and admins).
export const GET = withRoute({ workspace: true, roles: ["moderator"], senior: true }, async ({ workspace }) => ({
  items: await listAdjudications({ workspaceId: workspace.id }),
}));

// POST /api/w/:workspace/adjudication – the senior's final label (a decision with origin 'adjudication', which always wins).
// With an Idempotency-Key, a retry returns the first answer (not a CONFLICT from its own first attempt).
export const POST = withRoute(
  { workspace: true, roles: ["moderator"], senior: true, body: ZAdjudicationBody, idempotent: "adjudication.decide" },
  async ({ workspace, user, body }) => {
    return submitAdjudication({ workspaceId: workspace.id, userId: user.id, ...body, note: body.note || undefined });
  },
);
