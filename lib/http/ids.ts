import { z } from "zod";

/** PostgreSQL's INTEGER and BIGINT ranges: ids outside them cannot exist, so they never reach a query. */
export const MAX_INT_ID = 2_147_483_647;
export const MAX_BIGINT_ID = 9_223_372_036_854_775_807n;

/** A positive INTEGER id (a query or body field): 422 outside the database's range. */
export const ZIntId = z.coerce
  .number({ message: "must be a positive whole number" })
  .int("must be a positive whole number")
  .min(1, "must be a positive whole number")
  .max(MAX_INT_ID, `must be at most ${MAX_INT_ID}`);

/** A positive BIGINT id as a decimal string (excerpts, decisions): 422 outside the database's range. */
export const ZBigIntId = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, "must be a positive whole number")
  // zod 4 runs a refinement after a failed regex too: BigInt("abc") would throw (a 500), so only digits are compared
  .refine((s) => !/^\d+$/.test(s) || BigInt(s) <= MAX_BIGINT_ID, `must be at most ${MAX_BIGINT_ID}`);

/** A path segment as an INTEGER id, or null when it cannot name a row (the route answers 404). */
export function parseIntPathId(raw: string | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_INT_ID ? n : null;
}

/** A path segment as a BIGINT id (decimal string), or null when it cannot name a row (404). */
export function parseBigIntPathId(raw: string | undefined): string | null {
  if (!raw || !/^[1-9]\d{0,18}$/.test(raw)) return null;
  return BigInt(raw) <= MAX_BIGINT_ID ? raw : null;
}
