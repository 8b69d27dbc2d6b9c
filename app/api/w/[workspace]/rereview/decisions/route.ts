import { z } from "zod";
import { ZBigIntId, ZIntId } from "@/lib/http/ids.ts";
import { withRoute } from "@/server/http/route.ts";
import { submitRereview } from "@/server/label-errors/submit-rereview.ts";

export const runtime = "nodejs";

const ZRereviewBody = z.object({
  suspectId: ZBigIntId,
  categoryId: ZIntId,
  note: z.string().trim().max(2000).optional(),
});

// POST /api/w/:workspace/rereview/decisions – a senior's verdict on a suspected label error (keep = the flagged
// category, change = another): an ordinary label decision with origin 'rereview'. With an Idempotency-Key (the page
// sends one per keypress), a retry returns the first answer and stores nothing more, instead of a CONFLICT from
// its own first attempt.
export const POST = withRoute(
  { workspace: true, roles: ["moderator"], senior: true, body: ZRereviewBody, idempotent: "rereview.decide" },
  async ({ workspace, user, body }) => {
    return submitRereview({ workspaceId: workspace.id, userId: user.id, ...body, note: body.note || undefined });
  },
);
