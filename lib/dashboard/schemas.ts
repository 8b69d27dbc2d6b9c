import { z } from "zod";
import { ZIntId } from "../http/ids.ts";

/** A UTC day of the filter bar's period (from and to both inclusive). */
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  // a day of the calendar (not 2026-02-30): the reports split ranges by month in code, and PostgreSQL
  // would refuse it anyway, as a server error instead of this message
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "must be a real date");

/** Query parameters of the dashboard endpoints: the filters plus an optional CSV table name. */
export const ZDashboardQuery = z.object({
  from: ZDay.optional(),
  to: ZDay.optional(),
  game: z.string().min(1).optional(),
  channel: z.string().min(1).optional(),
  source: z.enum(["text", "voice"]).optional(),
  categoryId: ZIntId.optional(),
  modelVersionId: ZIntId.optional(),
  granularity: z.enum(["day", "week"]).default("day"),
  slice: z.enum(["audit", "all"]).default("audit"),
  format: z.enum(["json", "csv"]).default("json"),
  table: z.string().optional(),
});
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>;
