/** One category as a new workspace's taxonomy declares it; its position in the list is its display order. */
export type TTaxonomyCategory = {
  name: string;
  description: string;
  /** hex colour, #rrggbb */
  color: string;
  /** 1–9, or null for a category picked from the panel only */
  hotkey: number | null;
  isNonToxic: boolean;
};

/** Where a problem in a taxonomy is: the CSV line or the JSON item (1-based), and the field. */
export type TTaxonomyIssue = {
  /** CSV: the file line; JSON and forms: the item's position, 1-based; absent for the taxonomy as a whole */
  line?: number;
  field: "name" | "description" | "color" | "hotkey" | "isNonToxic" | "file" | "categories";
  message: string;
};

export type TTaxonomyResult = { ok: true; categories: TTaxonomyCategory[] } | { ok: false; issues: TTaxonomyIssue[] };

export const MAX_TAXONOMY_CATEGORIES = 50;
export const MAX_CATEGORY_NAME = 60;
export const MAX_CATEGORY_DESCRIPTION = 500;
