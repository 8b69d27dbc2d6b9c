import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { submitDecision } from "@/server/queue/submit-decision.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

const ZDecisionBody = z.object({
  excerptId: z.string().regex(/^\d+$/, "excerptId must be a numeric string"),
  kind: z.enum(["label", "skip"]),
  categoryId: z.number().int().positive().optional(),
  durationMs: z.number().int().min(0).max(86_400_000).optional(),
  note: z.string().trim().max(2000).optional(),
  origin: z.enum(["queue", "review"]).default("queue"),
});

// POST /api/queue/decisions – appends a label or skip; late (expired-lease) decisions are kept and flagged.
export const POST = withRoute({ roles: ["moderator"], body: ZDecisionBody }, async ({ user, body }) => {
  const workspace = await getCurrentWorkspace();
  return submitDecision({ workspaceId: workspace.id, userId: user.id, ...body, note: body.note || undefined });
});
