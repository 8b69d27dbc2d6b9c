/** Shapes of the re-review queue (server/label-errors) for its future page and API. Ids are strings (BIGINT). */
import type { TQueueCard } from "../queue/types.ts";

export type TLabelBy = {
  decisionId: string;
  userId: number;
  userName: string;
  categoryId: number;
  /** queue | review | import | adjudication | rereview */
  origin: string;
  decidedAt: string;
};

export type TNearDuplicate = {
  excerptId: string;
  text: string;
  currentCategoryId: number | null;
  /** every standing (unreversed) label decision on it, oldest first */
  labels: TLabelBy[];
};

export type TRereviewItem = {
  suspectId: string;
  /** the excerpt as the queue shows it: text, conversation around it, the active model's calibrated suggestion */
  card: TQueueCard;
  /** open, or superseded (a later detection no longer flags it; a decision is still taken) */
  status: "open" | "superseded";
  /** the label when it was flagged, and the decision (and moderator) that set it */
  flaggedCategoryId: number;
  currentCategoryId: number | null;
  labelledBy: TLabelBy | null;
  /** confident learning's likely label */
  suggestedCategoryId: number;
  /** the flagging version's calibrated out-of-fold probability per category, most likely first */
  outOfFold: { categoryId: number; probability: number }[];
  /** lower = more likely wrong; the queue serves the lowest first */
  quality: number;
  modelVersionId: number;
  modelVersion: string;
  /** every standing label decision on this excerpt (overlap labels, earlier reviews), oldest first */
  labels: TLabelBy[];
  /** training excerpts with the same normalised text and their labels */
  nearDuplicates: TNearDuplicate[];
  leasedById: number | null;
  leaseExpiresAt: string | null;
  flaggedAt: string;
};

export type TRereviewCorrections = {
  from: string | null;
  to: string | null;
  /** suspects waiting now */
  open: number;
  /** settled in the period: the senior kept the label (confirmed) or changed it (corrected) */
  reviewed: number;
  corrected: number;
  confirmed: number;
  /** per moderator whose label was re-reviewed: for coaching, with their labelling volume for scale */
  byLabeller: { userId: number | null; userName: string | null; reviewed: number; corrected: number; confirmed: number; labelsInPeriod: number }[];
  /** which labels were changed into which */
  byChange: { fromCategoryId: number; toCategoryId: number; count: number }[];
};
