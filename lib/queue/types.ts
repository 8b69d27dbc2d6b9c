import type { TExcerptOrigin } from "@/lib/excerpts/contract.ts";
import type { TExplanation } from "@/lib/explain/leave-one-out.ts";

/** Shapes shared by the queue API (server/queue) and the review UI (components/queue). Ids are strings (BIGINT). */

export type TContextLine = {
  excerptId: string;
  text: string;
  speakerId: string | null;
  occurredAt: string | null;
};

/** One of the speaker's earlier lines and its standing label (newest first on the card). */
export type TSpeakerLabel = { excerptId: string; text: string; categoryId: number };

export type TSuggestion = {
  categoryId: number;
  confidence: number;
  toxicScore: number;
  modelVersionId: number;
  modelVersion: string;
  /** per category id, for the bar under each hotkey */
  probsByCategoryId: Record<number, number>;
};

export type TQueueCard = TExcerptOrigin & {
  excerptId: string;
  leaseExpiresAt: string;
  isAudit: boolean;
  isFlagged: boolean;
  suggestion: TSuggestion | null;
  context: { before: TContextLine[]; after: TContextLine[] };
  /** this speaker's most recent labelled lines, newest first */
  speakerHistory?: TSpeakerLabel[];
  /** the words that drove the suggestion (server/queue/explain-cards.ts); null when there is none */
  explanation?: TExplanation | null;
};

export type TDecisionResult = { decisionId: string; excerptId: string; isLateConflict: boolean };

export type TProgress = { decidedToday: number; remaining: number };
