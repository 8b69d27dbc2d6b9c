import { AppError } from "@/lib/errors.ts";
import { hashApiKey, isWellFormedApiKey, type TApiScope } from "@/lib/serving/api-key.ts";
import { perInstanceLimit, TokenBucket } from "@/lib/serving/token-bucket.ts";
import { getPool } from "../db/pool.ts";

/** Who is calling: a key, its workspace and what it may do. */
export type TApiPrincipal = {
  keyId: number;
  workspaceId: number;
  workspaceSlug: string;
  scopes: readonly string[];
  rateLimitPerMinute: number | null;
  expiresAtMs: number | null;
  revokedAt: Date | null;
  /** the workspace was archived: it answers reads (decisions:read) and refuses classify and ingest */
  isWorkspaceArchived: boolean;
};

type TEntry = { principal: TApiPrincipal | null; loadedAt: number };

/** Unknown keys remembered (so a flood of wrong keys costs no queries), at most this many. */
const MAX_ENTRIES = 50_000;

/**
 * Key lookups for one API process: the SHA-256 of the presented key, looked up once and kept for
 * ttlMs (or until a NOTIFY says the key changed), so a request costs no query. Also the per-key rate
 * limit (a token bucket per key, 1/N of the limit with N instances) and last-used times, collected here
 * and written about once a minute by flushLastUsed instead of a write per request.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, TEntry>();
  private readonly loading = new Map<string, Promise<TEntry>>();
  private readonly buckets = new Map<number, { perMinute: number; bucket: TokenBucket }>();
  private lastUsed = new Map<number, number>();

  constructor(private readonly opts: { ttlMs: number; instances: number; now?: () => number }) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /**
   * The principal for a presented key, or a typed error: UNAUTHENTICATED (missing, unknown, revoked,
   * expired), FORBIDDEN (scope, another workspace), RATE_LIMITED (details.retryAfterSeconds).
   */
  async authenticate(key: string | null, scope: TApiScope, workspaceSlug?: string): Promise<TApiPrincipal> {
    if (!key)
      throw new AppError(
        "UNAUTHENTICATED",
        "This endpoint needs an API key: send `Authorization: Bearer <key>` (or `?key=<key>`). An admin creates keys with `npm run apikey -- create`.",
      );
    if (!isWellFormedApiKey(key))
      throw new AppError("UNAUTHENTICATED", 'The API key is not valid: keys are "mlk_" followed by 43 characters. Check it was copied whole.');
    const hash = hashApiKey(key);
    const entry = await this.lookup(hash);
    const p = entry.principal;
    if (!p) throw new AppError("UNAUTHENTICATED", "The API key is not valid (unknown key). Check it was copied whole, or ask an admin for a new one.");
    if (p.revokedAt) throw new AppError("UNAUTHENTICATED", `This API key was revoked on ${p.revokedAt.toISOString()}; ask an admin for a new one.`);
    const now = this.now();
    if (p.expiresAtMs !== null && p.expiresAtMs <= now)
      throw new AppError("UNAUTHENTICATED", `This API key expired on ${new Date(p.expiresAtMs).toISOString()}; ask an admin for a new one.`);
    if (workspaceSlug !== undefined && workspaceSlug !== p.workspaceSlug) {
      throw new AppError("FORBIDDEN", `This API key belongs to another workspace, not "${workspaceSlug}". Use a key created in that workspace.`);
    }
    if (p.isWorkspaceArchived && scope !== "decisions:read") {
      throw new AppError(
        "CONFLICT",
        `Workspace "${p.workspaceSlug}" is archived and takes no new texts. An admin restores it in its settings (or \`npm run workspace -- unarchive ${p.workspaceSlug}\`).`,
      );
    }
    if (!p.scopes.includes(scope))
      throw new AppError("FORBIDDEN", `This API key lacks the "${scope}" scope (it has ${p.scopes.join(", ")}). Ask an admin for a key with it.`);
    if (p.rateLimitPerMinute !== null) {
      const perMinute = perInstanceLimit(p.rateLimitPerMinute, this.opts.instances);
      let slot = this.buckets.get(p.keyId);
      if (!slot || slot.perMinute !== perMinute) {
        slot = { perMinute, bucket: new TokenBucket(perMinute, now) };
        this.buckets.set(p.keyId, slot);
      }
      const taken = slot.bucket.take(now);
      if (!taken.isAllowed) {
        throw new AppError("RATE_LIMITED", `This API key is limited to ${p.rateLimitPerMinute} requests per minute; retry in ${taken.retryAfterSeconds} s.`, {
          retryAfterSeconds: taken.retryAfterSeconds,
        });
      }
    }
    this.lastUsed.set(p.keyId, now);
    return p;
  }

  private async lookup(hash: string): Promise<TEntry> {
    const cached = this.entries.get(hash);
    if (cached && this.now() - cached.loadedAt < this.opts.ttlMs) return cached;
    const pending = this.loading.get(hash);
    if (pending) return pending;
    const load = this.load(hash).finally(() => this.loading.delete(hash));
    this.loading.set(hash, load);
    return load;
  }

  private async load(hash: string): Promise<TEntry> {
    const { rows } = await getPool().query<{
      id: number;
      workspace_id: number;
      slug: string;
      scopes: string[];
      rate_limit_per_minute: number | null;
      expires_at: Date | null;
      revoked_at: Date | null;
      is_archived: boolean;
    }>({
      name: "api-key-lookup",
      text: `SELECT k.id, k.workspace_id, w.slug, k.scopes, k.rate_limit_per_minute, k.expires_at, k.revoked_at,
                    w.archived_at IS NOT NULL AS is_archived
               FROM api_key k JOIN workspace w ON w.id = k.workspace_id WHERE k.key_hash = $1`,
      values: [hash],
    });
    const r = rows[0];
    const entry: TEntry = {
      loadedAt: this.now(),
      principal: r
        ? {
            keyId: r.id,
            workspaceId: r.workspace_id,
            workspaceSlug: r.slug,
            scopes: r.scopes,
            rateLimitPerMinute: r.rate_limit_per_minute,
            expiresAtMs: r.expires_at?.getTime() ?? null,
            revokedAt: r.revoked_at,
            isWorkspaceArchived: r.is_archived,
          }
        : null,
    };
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash, entry);
    return entry;
  }

  /** A key changed (NOTIFY key:<hash>): its next use reads it again. */
  invalidate(hash: string): void {
    this.entries.delete(hash);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Writes the last-used times collected since the previous call, one statement for all keys. */
  async flushLastUsed(): Promise<number> {
    if (this.lastUsed.size === 0) return 0;
    const used = this.lastUsed;
    this.lastUsed = new Map();
    const ids = [...used.keys()];
    const times = ids.map((id) => new Date(used.get(id)!));
    try {
      await getPool().query(
        `UPDATE api_key k SET last_used_at = u.t FROM unnest($1::int[], $2::timestamptz[]) AS u(id, t)
          WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.t)`,
        [ids, times],
      );
    } catch (err) {
      // not worth failing anything for: keep the times for the next flush
      for (const [id, t] of used) if (!this.lastUsed.has(id)) this.lastUsed.set(id, t);
      throw err;
    }
    return ids.length;
  }
}
