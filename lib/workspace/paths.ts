import type { TRole } from "../auth/roles.ts";

/** The page each role lands on in a workspace (after sign-in, and from `/`). */
export const LANDING_PAGE: Record<TRole, string> = {
  moderator: "queue",
  manager: "dashboard",
  data_scientist: "models",
  admin: "dashboard",
};

/** `/w/<slug>/<rest>`: every page of a workspace carries its slug, so links can be shared. */
export const workspacePath = (slug: string, rest = "") => `/w/${encodeURIComponent(slug)}${rest ? `/${rest.replace(/^\//, "")}` : ""}`;

/** `/api/w/<slug>/<rest>`: the workspace-scoped API. */
export const workspaceApiPath = (slug: string, rest: string) => `/api/w/${encodeURIComponent(slug)}/${rest.replace(/^\//, "")}`;

export const landingPathFor = (slug: string, role: TRole) => workspacePath(slug, LANDING_PAGE[role]);

/**
 * The same sub-page in another workspace (the switcher): `/w/a/excerpts/12?q=x` → `/w/b/excerpts`.
 * Ids and filters belong to the old workspace, so only the section is kept.
 */
export function switchWorkspacePath(pathname: string, toSlug: string): string {
  const [, w, , section, sub] = pathname.split("/");
  if (w !== "w" || !section) return workspacePath(toSlug);
  return workspacePath(toSlug, section === "admin" && sub ? `admin/${sub}` : section);
}
