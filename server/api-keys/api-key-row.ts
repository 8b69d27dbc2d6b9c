import type { TApiKeySummary } from "@/lib/serving/contract.ts";

/** The columns every key listing reads (never key_hash: it never leaves the server). */
export const API_KEY_COLUMNS = "id, name, prefix, scopes, rate_limit_per_minute, expires_at, last_used_at, created_at, revoked_at";

export type TApiKeyRow = {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  rate_limit_per_minute: number | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
  revoked_at: Date | null;
};

export function toApiKeySummary(row: TApiKeyRow, now = Date.now()): TApiKeySummary {
  const status = row.revoked_at ? "revoked" : row.expires_at && row.expires_at.getTime() <= now ? "expired" : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    rateLimitPerMinute: row.rate_limit_per_minute,
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status,
  };
}
