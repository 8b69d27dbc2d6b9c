import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { landingPathFor } from "@/lib/workspace/paths.ts";
import { listUserWorkspaces } from "../workspace/list-user-workspaces.ts";
import type { TCurrentWorkspace } from "../workspace/resolve-workspace.ts";
import { hasRole, type TRole, type TSessionUser } from "./roles.ts";
import { currentUser, sessionCookieName, sessionInWorkspace } from "./session.ts";

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

// The session, the workspace and the membership in ONE statement (as the API's route wrapper does), once
// per request however many server components of the page ask (the workspace layout and the page render
// in parallel and share the promise).
const sessionInWorkspaceForRequest = cache(async (slug: string) => {
  const jar = await cookies();
  return sessionInWorkspace(jar.get(sessionCookieName())?.value, slug);
});

/**
 * For pages under /w/[workspace]: the user, the workspace and the user's role in it. An unknown slug
 * and a workspace the user is not a member of are both a 404 (never another workspace's data); a
 * member whose role is not allowed goes to /forbidden.
 */
export async function requireWorkspacePage(
  params: Promise<{ workspace: string }>,
  roles: readonly TRole[] | "any" = "any",
): Promise<{ user: TSessionUser; workspace: TCurrentWorkspace; role: TRole }> {
  const { workspace: slug } = await params;
  const found = await sessionInWorkspaceForRequest(decodeURIComponent(slug));
  if (!found) redirect("/login");
  const { user, resolved } = found;
  if (!resolved) notFound();
  if (!hasRole({ role: resolved.role }, roles)) redirect("/forbidden");
  return { user, workspace: resolved.workspace, role: resolved.role };
}

/** Where a user lands after sign-in and from `/`: their first workspace's page for their role there. */
export async function homePathFor(user: Pick<TSessionUser, "id" | "role">): Promise<string> {
  const [first] = await listUserWorkspaces({ user });
  return first ? landingPathFor(first.slug, first.role) : "/workspaces";
}
