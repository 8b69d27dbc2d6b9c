import type { TQueueCard } from "@/lib/queue/types.ts";

/** One moderator's standing label on an overlap item. */
export type TOverlapLabel = { decisionId: string; userId: number; userName: string; categoryId: number; decidedAt: string };

/** An overlap item whose two moderators disagree, waiting for a senior moderator's final label. */
export type TAdjudicationItem = { card: TQueueCard; labels: TOverlapLabel[] };
