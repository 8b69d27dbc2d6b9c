import { z } from "zod";
import { ZNewPassword } from "@/lib/auth/password-policy.ts";
import { ROLES } from "../auth/roles.ts";
import type { TRole } from "../auth/roles.ts";

export const ZRole = z.enum(ROLES);

export const ZCreateUser = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
  name: z.string().trim().min(1, "Enter a name").max(120),
  role: ZRole,
  password: ZNewPassword,
  /** slug of the workspace to add the user to, with this role (the admin page passes the one it is in) */
  workspace: z.string().trim().min(1).max(100).optional(),
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    /** the account's own role: 'admin' makes an instance admin; a role in one workspace is its membership's */
    role: ZRole.optional(),
    isActive: z.boolean().optional(),
    /** may adjudicate and re-review (admins always may; see isAdjudicator) */
    isSenior: z.boolean().optional(),
    password: ZNewPassword.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

export type TUserRow = { id: number; email: string; name: string; role: TRole; isActive: boolean; isSenior: boolean; createdAt: string; decisionCount: number };
