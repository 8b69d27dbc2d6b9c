import { z } from "zod";
import { assertCanAdjudicate } from "@/server/adjudication/assert-can-adjudicate.ts";
import { listAdjudications } from "@/server/adjudication/list-adjudications.ts";
import { submitAdjudication } from "@/server/adjudication/submit-adjudication.ts";
import { IDEMPOTENCY_HEADER } from "@/lib/http/idempotency-key.ts";
import { withRoute } from "@/server/http/route.ts";
import { runIdempotent } from "@/server/idempotency/run-idempotent.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

const ZAdjudicationBody = z.object({
  excerptId: z.string().regex(/^\d+$/, "excerptId must be a numeric string"),
  categoryId: z.number().int().positive(),
  note: z.string().trim().max(2000).optional(),
});

// GET /api/adjudication – overlap items whose two moderators disagree, oldest first (seniors and admins).
export const GET = withRoute({ roles: ["moderator"] }, async ({ user }) => {
  await assertCanAdjudicate({ userId: user.id });
  const workspace = await getCurrentWorkspace();
  return { items: await listAdjudications({ workspaceId: workspace.id }) };
});

// POST /api/adjudication – the senior's final label (a decision with origin 'adjudication', which always wins).
// With an Idempotency-Key, a retry returns the first answer (not a CONFLICT from its own first attempt).
export const POST = withRoute({ roles: ["moderator"], body: ZAdjudicationBody }, async ({ req, user, body }) => {
  const workspace = await getCurrentWorkspace();
  const scope = { userId: user.id, workspaceId: workspace.id, key: req.headers.get(IDEMPOTENCY_HEADER), operation: "adjudication.decide", request: body };
  return runIdempotent(scope, () => submitAdjudication({ workspaceId: workspace.id, userId: user.id, ...body, note: body.note || undefined }));
});
