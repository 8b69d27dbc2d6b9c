import { z } from "zod";

const ZColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Colour must be a hex value like #e11d48");
const ZHotkey = z.number().int().min(1, "Hotkeys are 1–9").max(9, "Hotkeys are 1–9").nullable();

export const ZCreateCategory = z.object({
  name: z.string().trim().min(1, "Enter a name").max(60),
  description: z.string().trim().max(500).default(""),
  color: ZColor.default("#64748b"),
  hotkey: ZHotkey.default(null),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
  isNonToxic: z.boolean().default(false),
});
export type TCreateCategory = z.infer<typeof ZCreateCategory>;

export const ZUpdateCategory = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(60).optional(),
    description: z.string().trim().max(500).optional(),
    color: ZColor.optional(),
    hotkey: ZHotkey.optional(),
    sortOrder: z.number().int().min(0).max(10_000).optional(),
    isActive: z.boolean().optional(),
    isNonToxic: z.literal(true).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");
export type TUpdateCategory = z.infer<typeof ZUpdateCategory>;

export type TCategory = {
  id: number;
  name: string;
  description: string;
  color: string;
  hotkey: number | null;
  sortOrder: number;
  isActive: boolean;
  isNonToxic: boolean;
};
