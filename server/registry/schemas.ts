import { z } from "zod";
import { ZIntId } from "@/lib/http/ids.ts";

/**
 * The active version the client saw when the user decided (null: none was active). Sent, a promotion or
 * rollback is refused with 409 when another one got in first, instead of silently undoing it.
 */
const ZExpectedActiveId = ZIntId.nullable().optional();

export const ZPromoteBody = z.object({ isConfirmed: z.boolean().default(false), expectedActiveId: ZExpectedActiveId });
export type TPromoteBody = z.infer<typeof ZPromoteBody>;

export const ZRollbackBody = z.object({ expectedActiveId: ZExpectedActiveId });
export type TRollbackBody = z.infer<typeof ZRollbackBody>;

export const ZShadowBody = z.object({ isShadow: z.boolean() });
export type TShadowBody = z.infer<typeof ZShadowBody>;

export const ZCalibrationTarget = z.object({
  metric: z.enum(["precision", "recall"]),
  atLeast: z.coerce.number().gt(0, "the target must be above 0").max(1, "the target must be at most 1"),
});
export type TCalibrationTargetBody = z.infer<typeof ZCalibrationTarget>;

/** GET /api/models/threshold: a version (default: active) and an optional target to preview. */
export const ZTradeoffQuery = z.object({
  modelVersionId: ZIntId.optional(),
  metric: z.enum(["precision", "recall"]).optional(),
  atLeast: z.coerce.number().gt(0).max(1).optional(),
});
export type TTradeoffQuery = z.infer<typeof ZTradeoffQuery>;
