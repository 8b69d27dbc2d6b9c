import { db } from "../db/client.ts";
import type { TUserRow } from "@/lib/users/contract.ts";

export async function listUsers(): Promise<TUserRow[]> {
  const users = await db().user.findMany({
    orderBy: [{ isActive: "desc" }, { name: "asc" }],
    select: { id: true, email: true, name: true, role: true, isActive: true, isSenior: true, createdAt: true, _count: { select: { decisions: true } } },
  });
  return users.map(({ _count, createdAt, ...u }) => ({ ...u, createdAt: createdAt.toISOString(), decisionCount: _count.decisions }));
}
