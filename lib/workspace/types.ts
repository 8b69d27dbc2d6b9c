import type { TRole } from "../auth/roles.ts";

/** A workspace the signed-in user can open, and their role there (GET /api/workspaces, the header's switcher). */
export type TUserWorkspace = { slug: string; name: string; role: TRole; isArchived: boolean };
