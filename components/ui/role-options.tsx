import { ROLE_LABELS, ROLES } from "@/lib/auth/roles.ts";

/** The roles as the <option>s of a role <select>, in ROLES order and named as every page names them. */
export function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r} value={r}>
      {ROLE_LABELS[r]}
    </option>
  ));
}
