import { assertPasswordPolicy } from "@/lib/auth/password-policy.ts";
import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { hashPassword } from "../auth/password.ts";
import type { TCreateUser } from "./schemas.ts";
import type { TUserRow } from "./list-users.ts";

export async function createUser({ email, name, role, password }: TCreateUser): Promise<TUserRow> {
  const prisma = db();
  // the schema checked the policy in general; here also against this person's own details
  assertPasswordPolicy(password, [email, name]);
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `A user with email ${email} already exists. Edit that user instead.`);
  const user = await prisma.user.create({ data: { email, name, role, passwordHash: await hashPassword(password) } });
  return { id: user.id, email: user.email, name: user.name, role: user.role, isActive: user.isActive, isSenior: user.isSenior, createdAt: user.createdAt.toISOString(), decisionCount: 0 };
}
