import type { Role } from "../db/generated/enums.ts";

export type TRole = Role;
export const ROLES = ["moderator", "data_scientist", "manager", "admin"] as const satisfies readonly TRole[];

export type TSessionUser = { id: number; email: string; name: string; role: TRole };

/** Admins can do everything; every other role only what is listed for it. */
export function hasRole(user: Pick<TSessionUser, "role">, allowed: readonly TRole[] | "any"): boolean {
  if (allowed === "any") return true;
  return user.role === "admin" || allowed.includes(user.role);
}
