/** What a machine-API key may do; no node: imports, so the admin pages can list them too. */
export const API_SCOPES = ["classify", "ingest", "decisions:read"] as const;
export type TApiScope = (typeof API_SCOPES)[number];
