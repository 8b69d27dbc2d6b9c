import { redirect } from "next/navigation";
import { hasRole, type TRole, type TSessionUser } from "./roles.ts";
import { currentUser } from "./session.ts";

/**
 * For server components: the signed-in user, or a redirect (to /login when signed out, to
 * /forbidden when the role is not allowed). Every page calls this; layouts alone are not enough
 * because they do not re-render on client navigation.
 */
export async function requirePageUser(roles: readonly TRole[] | "any" = "any"): Promise<TSessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (!hasRole(user, roles)) redirect("/forbidden");
  return user;
}

/** Where each role lands after sign-in. */
export function homePathFor(role: TRole): string {
  return role === "moderator" || role === "admin" ? "/queue" : "/excerpts";
}
