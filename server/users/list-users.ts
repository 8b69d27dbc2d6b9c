import { db } from "../db/client.ts";
import type { TRole } from "../auth/roles.ts";

export type TUserRow = { id: number; email: string; name: string; role: TRole; isActive: boolean; isSenior: boolean; createdAt: string; decisionCount: number };

export async function listUsers(): Promise<TUserRow[]> {
  const users = await db().user.findMany({
    orderBy: [{ isActive: "desc" }, { name: "asc" }],
    select: { id: true, email: true, name: true, role: true, isActive: true, isSenior: true, createdAt: true, _count: { select: { decisions: true } } },
  });
  return users.map(({ _count, createdAt, ...u }) => ({ ...u, createdAt: createdAt.toISOString(), decisionCount: _count.decisions }));
}
