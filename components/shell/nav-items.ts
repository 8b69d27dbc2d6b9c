import type { TRole } from "@/lib/auth/roles.ts";

export type TNavItem = {
  /** the page inside the workspace: /w/<slug>/<href> */
  href: string;
  label: string;
  roles: readonly TRole[] | "any";
  /** shown only to adjudicators (isAdjudicator: admins and users flagged is_senior) */
  isSeniorOnly?: boolean;
};

/** Pages each role sees in the top bar. The pages check roles again on the server; this only hides links. */
export const NAV_ITEMS: readonly TNavItem[] = [
  { href: "queue", label: "Queue", roles: ["moderator"] },
  { href: "adjudication", label: "Adjudication", roles: ["moderator"], isSeniorOnly: true },
  { href: "rereview", label: "Re-review", roles: ["moderator"], isSeniorOnly: true },
  { href: "excerpts", label: "Excerpts", roles: "any" },
  { href: "models", label: "Models", roles: ["data_scientist", "manager"] },
  { href: "datasets", label: "Datasets", roles: ["data_scientist"] },
  { href: "dashboard", label: "Dashboard", roles: ["manager", "data_scientist"] },
  { href: "admin/users", label: "Admin", roles: [] },
];
