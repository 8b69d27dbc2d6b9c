import { z } from "zod";
import { ROLES } from "../auth/roles.ts";
import { RANK_STRATEGIES } from "../ranking/rank.ts";
import { MAX_RETRAIN_EVERY, MIN_RETRAIN_EVERY } from "../registry/auto-retrain.ts";
import { TAXONOMY_TEMPLATE_IDS } from "../taxonomy/templates.ts";
import { MAX_TAXONOMY_CATEGORIES } from "../taxonomy/types.ts";
import { SLUG_PATTERN, SLUG_RULE } from "./slug.ts";

export const ZWorkspaceName = z.string().trim().min(1, "Enter a name").max(80, "A workspace name is at most 80 characters");
export const ZWorkspaceSlug = z.string().trim().regex(SLUG_PATTERN, `A slug is ${SLUG_RULE}`);

/** One category as the client sends it; validateTaxonomy (lib/taxonomy) checks the whole list. */
const ZRawCategory = z
  .object({
    name: z.unknown(),
    description: z.unknown().optional(),
    color: z.unknown().optional(),
    hotkey: z.unknown().optional(),
    isNonToxic: z.unknown().optional(),
  })
  .strict();

/**
 * POST /api/workspaces and `npm run workspace -- create`: a name, an optional slug (else from the name),
 * and the taxonomy as a template id or as categories (a file, parsed by lib/taxonomy). Only one of the two.
 */
export const ZCreateWorkspace = z
  .object({
    name: ZWorkspaceName,
    slug: ZWorkspaceSlug.optional(),
    template: z.enum(TAXONOMY_TEMPLATE_IDS).optional(),
    categories: z.array(ZRawCategory).max(MAX_TAXONOMY_CATEGORIES, `At most ${MAX_TAXONOMY_CATEGORIES} categories`).optional(),
  })
  .strict()
  .refine((v) => (v.template === undefined) !== (v.categories === undefined), {
    message: `Give either a template (${TAXONOMY_TEMPLATE_IDS.join(", ")}) or categories, not both and not neither`,
    path: ["template"],
  });
export type TCreateWorkspace = z.infer<typeof ZCreateWorkspace>;

/** PATCH /api/w/<slug>: rename and/or archive; the slug never changes, so shared links keep working. */
export const ZUpdateWorkspace = z
  .object({ name: ZWorkspaceName.optional(), isArchived: z.boolean().optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.isArchived !== undefined, { message: "Nothing to change: send name and/or isArchived", path: ["name"] });
export type TUpdateWorkspace = z.infer<typeof ZUpdateWorkspace>;

export type TWorkspaceSummary = {
  id: number;
  slug: string;
  name: string;
  createdAt: string;
  /** ISO time, or null while the workspace is in use */
  archivedAt: string | null;
  categoryCount: number;
  excerptCount: number;
};

export const ZMemberRole = z.enum(ROLES);

/** PUT /api/w/<slug>/members/<userId>: add the user, or change their role. */
export const ZSetMember = z.object({ role: ZMemberRole }).strict();

/** PUT /api/w/<slug>/members: add someone by email (the members page's form). */
export const ZAddMember = z.object({ email: z.string().trim().min(3, "Enter the person's email").max(320), role: ZMemberRole }).strict();

export type TWorkspaceMember = {
  userId: number;
  email: string;
  name: string;
  /** their role in this workspace (instance admins: admin, member or not) */
  role: z.infer<typeof ZMemberRole>;
  isInstanceAdmin: boolean;
  /** false for an instance admin who has access without a membership */
  isMember: boolean;
  isActive: boolean;
};

const RETRAIN_RANGE = `Retrain after ${MIN_RETRAIN_EVERY} to ${MAX_RETRAIN_EVERY.toLocaleString("en-US")} new labels, or turn it off`;

export const ZWorkspaceSettings = z.object({
  flagThreshold: z.number().min(0, "Threshold is between 0 and 1").max(1, "Threshold is between 0 and 1"),
  rankStrategy: z.enum(RANK_STRATEGIES),
  randomShare: z.number().min(0, "Random share is between 0 and 0.5").max(0.5, "Random share is between 0 and 0.5"),
  // optional: clients that predate it keep the current share
  overlapShare: z.number().min(0, "Overlap share is between 0 and 0.5").max(0.5, "Overlap share is between 0 and 0.5").optional(),
  // optional, like overlapShare: clients that predate them keep the current ordering
  isFlaggedFirst: z.boolean().optional(),
  /** near-duplicate spacing of the queue head; null turns it off */
  maxSimilarity: z
    .number()
    .gt(0, "Near-duplicate similarity is above 0 and at most 1")
    .max(1, "Near-duplicate similarity is above 0 and at most 1")
    .nullable()
    .optional(),
  leaseSeconds: z.number().int().min(30, "Leases last at least 30 s").max(86_400, "Leases last at most a day"),
  /**
   * true: hand the flag threshold back to the model (the active version's calibrated default, then each
   * promoted version's); flagThreshold is then ignored. Optional: older clients never send it
   */
  isFlagThresholdFromModel: z.boolean().optional(),
  /** automatic retrain after this many new human labels; null turns it off. Optional: older clients keep it */
  retrainEvery: z.number().int(RETRAIN_RANGE).min(MIN_RETRAIN_EVERY, RETRAIN_RANGE).max(MAX_RETRAIN_EVERY, RETRAIN_RANGE).nullable().optional(),
});
export type TWorkspaceSettings = z.infer<typeof ZWorkspaceSettings>;
