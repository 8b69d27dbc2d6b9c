import { z } from "zod";
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

export const ZMemberRole = z.enum(["moderator", "data_scientist", "manager", "admin"]);

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
