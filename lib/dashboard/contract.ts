import type { TConfusion, TCorrectionRow, TModeratorStats, TTrendPoint } from "./aggregate.ts";
import type { TPairAgreement } from "./agreement-counts.ts";
import type { TAlpha } from "../metrics/index.ts";

export type TModelMarker = { id: number; version: string; status: string; promotedAt: string | null; createdAt: string };

export type TAccuracyReport = {
  trends: TTrendPoint[];
  confusion: TConfusion;
  corrections: TCorrectionRow[];
  models: TModelMarker[];
  categories: { id: number; name: string; isNonToxic: boolean; color: string }[];
  totals: { labels: number; auditLabels: number };
};

export type TAgreementReport = {
  items: number;
  ratings: number;
  alpha: TAlpha;
  alphaPerCategory: { categoryId: number; alpha: TAlpha }[];
  pairs: (TPairAgreement & { nameA: string; nameB: string })[];
};

export type TTeamReport = {
  moderators: (TModeratorStats & { name: string; email: string })[];
  hourly: { hour: string; decisions: number }[];
  backlog: { open: number; leasedNow: number; oldestAgeHours: number | null; decidedLast24h: number; addedLast24h: number };
};

export type TCellExcerpt = {
  excerptId: string;
  text: string;
  game: string | null;
  channel: string | null;
  source: string;
  decidedAt: string;
  moderator: string;
  suggestedCategoryId: number;
  categoryId: number;
  confidence: number | null;
  isAudit: boolean;
};
