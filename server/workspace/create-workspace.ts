import { AppError } from "@/lib/errors.ts";
import { findTaxonomyTemplate } from "@/lib/taxonomy/templates.ts";
import type { TTaxonomyCategory } from "@/lib/taxonomy/types.ts";
import { formatTaxonomyIssue, validateTaxonomy } from "@/lib/taxonomy/validate.ts";
import type { TCreateWorkspace, TWorkspaceSummary } from "@/lib/workspace/contract.ts";
import { SLUG_RULE, slugFromName } from "@/lib/workspace/slug.ts";
import { db } from "../db/client.ts";

type TCreateWorkspaceOptions = {
  input: TCreateWorkspace;
  /** becomes the workspace's admin member; null from the CLI, where instance admins manage every workspace */
  creatorUserId: number | null;
};

/**
 * Creates a workspace with its taxonomy in one transaction: bad input (a clashing slug, a taxonomy
 * without exactly one non-toxic class, clashing hotkeys) writes nothing. A slug that is taken is refused,
 * never suffixed: a retried request must not create a second workspace.
 */
export async function createWorkspace({ input, creatorUserId }: TCreateWorkspaceOptions): Promise<TWorkspaceSummary> {
  const slug = input.slug ?? slugFromName(input.name);
  if (slug === "") throw new AppError("VALIDATION", `slug: the name “${input.name}” gives no slug; choose one: ${SLUG_RULE}.`, [{ path: ["slug"] }]);
  const categories = resolveTaxonomy(input);
  const prisma = db();
  try {
    return await prisma.$transaction(async (tx) => {
      const taken = await tx.workspace.findUnique({ where: { slug }, select: { name: true } });
      if (taken) throw slugTaken(slug, taken.name);
      const workspace = await tx.workspace.create({ data: { slug, name: input.name } });
      await tx.category.createMany({ data: categories.map((c, i) => ({ workspaceId: workspace.id, ...c, sortOrder: i + 1 })) });
      if (creatorUserId !== null) await tx.workspaceMember.create({ data: { workspaceId: workspace.id, userId: creatorUserId, role: "admin" } });
      return {
        id: workspace.id,
        slug: workspace.slug,
        name: workspace.name,
        createdAt: workspace.createdAt.toISOString(),
        archivedAt: null,
        categoryCount: categories.length,
        excerptCount: 0,
      };
    });
  } catch (err) {
    // two concurrent creates of one slug: the unique index refuses the second
    if ((err as { code?: string }).code === "P2002") throw slugTaken(slug, null);
    throw err;
  }
}

function slugTaken(slug: string, name: string | null): AppError {
  return new AppError("CONFLICT", `slug: a workspace with the slug “${slug}” already exists${name ? ` (“${name}”)` : ""}. Choose another slug or name.`);
}

function resolveTaxonomy(input: TCreateWorkspace): TTaxonomyCategory[] {
  if (input.template !== undefined) {
    const template = findTaxonomyTemplate(input.template);
    if (!template) throw new AppError("VALIDATION", `template: unknown template “${input.template}”.`);
    return [...template.categories];
  }
  const result = validateTaxonomy((input.categories ?? []).map((c, i) => ({ line: i + 1, ...c })));
  if (!result.ok) {
    const messages = result.issues.map((issue) => `categories: ${formatTaxonomyIssue(issue, "item")}`);
    throw new AppError("VALIDATION", messages.join("; "), result.issues);
  }
  return result.categories;
}
