import type { TCalibration, TVersionComparison } from "./index.ts";
import type { TTradeoffRow } from "../metrics/index.ts";

export type TCalibrateThresholdResult = { previousThreshold: number; threshold: number; row: TTradeoffRow; n: number; isRequeued: boolean };

export type TPromotionCheck = {
  modelVersionId: number;
  activeModelVersionId: number | null;
  activeVersion: string | null;
  /** null when there is nothing to compare with (no active version, or this one is active) */
  comparison: TVersionComparison | null;
  isWorse: boolean;
};

export type TThresholdTradeoff = TCalibration & { modelVersionId: number; version: string; currentThreshold: number };
