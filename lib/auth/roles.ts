/** The roles, as the database's "Role" enum spells them (server/auth/roles.ts checks the two agree). */
export const ROLES = ["moderator", "data_scientist", "manager", "admin"] as const;
export type TRole = (typeof ROLES)[number];

export type TSessionUser = { id: number; email: string; name: string; role: TRole };

/** Admins can do everything; every other role only what is listed for it. */
export function hasRole(user: { role: TRole }, allowed: readonly TRole[] | "any"): boolean {
  if (allowed === "any") return true;
  return user.role === "admin" || allowed.includes(user.role);
}
