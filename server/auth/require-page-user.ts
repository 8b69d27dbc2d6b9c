import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { landingPathFor } from "@/lib/workspace/paths.ts";
import { listUserWorkspaces } from "../workspace/list-user-workspaces.ts";
import { resolveWorkspace, type TCurrentWorkspace } from "../workspace/resolve-workspace.ts";
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

// One lookup per request however many server components of the page ask (layout, page).
const resolveForRequest = cache((slug: string, userId: number, userRole: TRole) => resolveWorkspace({ slug, user: { id: userId, role: userRole } }));

/**
 * For pages under /w/[workspace]: the user, the workspace and the user's role in it. An unknown slug
 * and a workspace the user is not a member of are both a 404 (never another workspace's data); a
 * member whose role is not allowed goes to /forbidden.
 */
export async function requireWorkspacePage(
  params: Promise<{ workspace: string }>,
  roles: readonly TRole[] | "any" = "any",
): Promise<{ user: TSessionUser; workspace: TCurrentWorkspace; role: TRole }> {
  const user = await requirePageUser("any");
  const { workspace: slug } = await params;
  const resolved = await resolveForRequest(decodeURIComponent(slug), user.id, user.role);
  if (!resolved) notFound();
  if (!hasRole({ role: resolved.role }, roles)) redirect("/forbidden");
  return { user, workspace: resolved.workspace, role: resolved.role };
}

/** Where a user lands after sign-in and from `/`: their first workspace's page for their role there. */
export async function homePathFor(user: Pick<TSessionUser, "id" | "role">): Promise<string> {
  const [first] = await listUserWorkspaces({ user });
  return first ? landingPathFor(first.slug, first.role) : "/workspaces";
}
