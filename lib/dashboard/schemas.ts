import { z } from "zod";
import { ZIntId } from "../http/ids.ts";

/** A UTC day of the filter bar's period (from and to both inclusive). */
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date as YYYY-MM-DD", abort: true })
  // a day of the calendar (not 2026-02-30), of years 1000–9999: the reports split ranges by month in code
  // (lib/dashboard/month-split.ts), and PostgreSQL would refuse the rest as a server error, not this message
  .refine((s) => {
    const day = new Date(`${s}T00:00:00Z`);
    return s >= "1000" && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === s;
  }, "must be a real date");

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
