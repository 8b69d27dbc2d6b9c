/** The roles, as the database's "Role" enum spells them (server/auth/roles.ts checks the two agree). */
export const ROLES = ["moderator", "data_scientist", "manager", "admin"] as const;
export type TRole = (typeof ROLES)[number];

/** How the pages name each role. */
export const ROLE_LABELS: Record<TRole, string> = {
  moderator: "Moderator",
  data_scientist: "Data scientist",
  manager: "Manager",
  admin: "Admin",
};

/** isSenior: the account may adjudicate and re-review (app_user.is_senior; see isAdjudicator) */
export type TSessionUser = { id: number; email: string; name: string; role: TRole; isSenior: boolean };

/** Admins can do everything; every other role only what is listed for it. */
export function hasRole(user: { role: TRole }, allowed: readonly TRole[] | "any"): boolean {
  if (allowed === "any") return true;
  return user.role === "admin" || allowed.includes(user.role);
}

/**
 * Who settles overlap disagreements (adjudication) and suspected label errors (re-review): admins of the
 * workspace (by membership or instance-wide) and accounts flagged senior. A flag rather than a role: a
 * senior moderator is still a moderator everywhere else, so no role list has to learn a new role.
 * `role` is the effective role in the workspace; the API (withRoute's `senior`) and the pages share this.
 */
export function isAdjudicator(user: Pick<TSessionUser, "isSenior">, role: TRole): boolean {
  return role === "admin" || user.isSenior;
}
