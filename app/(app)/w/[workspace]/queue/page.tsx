import { headers } from "next/headers";
import { CLAIM_LIMIT } from "@/components/queue/card-buffer.ts";
import { ReviewQueue } from "@/components/queue/review-queue.tsx";
import type { TQueueCard } from "@/lib/queue/types.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import type { TSessionUser } from "@/server/auth/roles.ts";
import { claimItems } from "@/server/queue/claim-items.ts";
import { queueGate } from "@/server/queue/queue-gate.ts";
import { getCategoryExamples } from "@/server/taxonomy/get-category-examples.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import type { TCurrentWorkspace } from "@/server/workspace/resolve-workspace.ts";

export const metadata = { title: "Queue · modloop" };

/** How long the page's own first claim waits for a slot in the queue's gate before leaving it to the browser. */
const FIRST_CLAIM_MAX_WAIT_MS = 200;

export default async function QueuePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { user, workspace } = await requireWorkspacePage(params, ["moderator"]);
  const [categories, examples, initialCards] = await Promise.all([
    listCategories({ workspaceId: workspace.id }),
    getCategoryExamples({ workspaceId: workspace.id }),
    claimFirstCards(user, workspace),
  ]);
  return <ReviewQueue initialCategories={categories} initialCards={initialCards} examplesByCategoryId={examples} />;
}

/**
 * The first batch, claimed while the page renders, beside its other queries: the first excerpt is then
 * in the HTML, instead of waiting for the page's scripts to load, hydrate and send the claim (the
 * sign-in → first excerpt path, bench/http.ts first_card). Opening the queue is the moderator asking
 * for items, and a claim counts what they already hold (a reload leases nothing more), so this is the
 * claim the page would send a moment later. Left to the browser (undefined) when it must not or cannot
 * run here: a prefetch (nobody opened the queue yet), an archived workspace (the claim route refuses it
 * with its message), or a failed claim (the browser's retry shows the error).
 */
async function claimFirstCards(user: TSessionUser, workspace: TCurrentWorkspace): Promise<TQueueCard[] | undefined> {
  const request = await headers();
  const isPrefetch = request.has("next-router-prefetch") || request.get("purpose") === "prefetch" || request.get("sec-purpose")?.includes("prefetch");
  if (isPrefetch || workspace.archivedAt) return undefined;
  try {
    // one at a time per moderator: a reload pressed repeatedly runs every render to the end, at once
    // through the queue's admission gate, as the claim route, waiting only briefly: when the queue is that
    // busy the page renders at once and the browser's claim waits its turn instead
    return await queueGate().run(
      () => claimItems({ workspaceId: workspace.id, userId: user.id, limit: CLAIM_LIMIT, settings: workspace, isOneAtATime: true }),
      { maxWaitMs: FIRST_CLAIM_MAX_WAIT_MS },
    );
  } catch (err) {
    console.warn(`[queue] first claim while rendering failed, left to the browser: ${(err as Error).message}`);
    return undefined;
  }
}
