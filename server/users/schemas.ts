import { z } from "zod";
import { ZNewPassword } from "@/lib/auth/password-policy.ts";
import { ROLES } from "../auth/roles.ts";

export const ZRole = z.enum(ROLES);

export const ZCreateUser = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
  name: z.string().trim().min(1, "Enter a name").max(120),
  role: ZRole,
  password: ZNewPassword,
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    role: ZRole.optional(),
    isActive: z.boolean().optional(),
    /** may adjudicate overlap disagreements (admins always may) */
    isSenior: z.boolean().optional(),
    password: ZNewPassword.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");
export type TUpdateUser = z.infer<typeof ZUpdateUser>;
