import { assertPasswordPolicy } from "@/lib/auth/password-policy.ts";
import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { hashPassword } from "../auth/password.ts";
import type { TCreateUser, TUserRow } from "@/lib/users/contract.ts";

/** The id of the workspace a user-admin request names; 422 naming the field when there is none. */
export async function workspaceIdFor(slug: string): Promise<number> {
  const found = await db().workspace.findUnique({ where: { slug }, select: { id: true } });
  if (!found) throw new AppError("VALIDATION", `body.workspace: no workspace "${slug.slice(0, 100)}". Pick one from the workspace switcher.`);
  return found.id;
}

export async function createUser({ email, name, role, password, workspace }: TCreateUser): Promise<TUserRow> {
  const prisma = db();
  // the schema checked the policy in general; here also against this person's own details
  assertPasswordPolicy(password, [email, name]);
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `A user with email ${email} already exists. Edit that user instead.`);
  const workspaceId = workspace ? await workspaceIdFor(workspace) : null;
  const passwordHash = await hashPassword(password);
  // the account and its membership together: a user created here can open the workspace at once
  const user = await prisma.$transaction(async (tx) => {
    const created = await tx.user.create({ data: { email, name, role, passwordHash } });
    if (workspaceId !== null) await tx.workspaceMember.create({ data: { workspaceId, userId: created.id, role } });
    return created;
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    isActive: user.isActive,
    isSenior: user.isSenior,
    createdAt: user.createdAt.toISOString(),
    decisionCount: 0,
  };
}
