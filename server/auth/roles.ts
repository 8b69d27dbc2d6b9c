import type { Role } from "../db/generated/enums.ts";
import type { TRole } from "@/lib/auth/roles.ts";

export { hasRole, isAdjudicator, ROLES, type TRole, type TSessionUser } from "@/lib/auth/roles.ts";

// The shared role list and the database enum must not drift apart: this fails to compile if they do.
type TSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rolesMatchDatabase: TSame<Role, TRole> = true;
void rolesMatchDatabase;
