import type { TRole, TSessionUser } from "../auth/roles.ts";
import { getPool } from "../db/pool.ts";

export type TCurrentWorkspace = {
  id: number;
  slug: string;
  name: string;
  flagThreshold: number;
  rankStrategy: string;
  isFlaggedFirst: boolean;
  maxSimilarity: number | null;
  randomShare: number;
  overlapShare: number;
  leaseSeconds: number;
  claimBatchSize: number;
  /** automatic retrain after this many new labels; null = off */
  retrainEvery: number | null;
  activeModelVersionId: number | null;
  archivedAt: Date | null;
};

export type TResolvedWorkspace = { workspace: TCurrentWorkspace; role: TRole };

/** Anything else cannot name a workspace: answered 404 before any query. */
export const WORKSPACE_SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * The workspace named in the URL and the user's effective role in it, in ONE query — or null when the
 * slug is unknown or the user is not a member (callers answer 404 for both, so a non-member cannot
 * tell whether a workspace exists). Instance admins (app_user.role = 'admin') are admins of every
 * workspace; everyone else's role is their membership's.
 */
export async function resolveWorkspace(opts: { slug: string; user: Pick<TSessionUser, "id" | "role"> }): Promise<TResolvedWorkspace | null> {
  if (!WORKSPACE_SLUG_PATTERN.test(opts.slug)) return null;
  const { rows } = await getPool().query<{
    id: number;
    slug: string;
    name: string;
    flag_threshold: number;
    rank_strategy: string;
    flagged_first: boolean;
    max_similarity: number | null;
    random_share: number;
    overlap_share: number;
    lease_seconds: number;
    claim_batch_size: number;
    retrain_every: number | null;
    active_model_version_id: number | null;
    archived_at: Date | null;
    member_role: TRole | null;
  }>({
    name: "resolve-workspace",
    text: `SELECT w.id, w.slug, w.name, w.flag_threshold, w.rank_strategy::text AS rank_strategy, w.flagged_first, w.max_similarity,
                  w.random_share, w.overlap_share, w.lease_seconds, w.claim_batch_size, w.retrain_every,
                  w.active_model_version_id, w.archived_at, m.role::text AS member_role
             FROM workspace w
             LEFT JOIN workspace_member m ON m.workspace_id = w.id AND m.user_id = $2
            WHERE w.slug = $1`,
    values: [opts.slug, opts.user.id],
  });
  const row = rows[0];
  if (!row) return null;
  const role: TRole | null = opts.user.role === "admin" ? "admin" : row.member_role;
  if (!role) return null;
  return {
    role,
    workspace: {
      id: row.id,
      slug: row.slug,
      name: row.name,
      flagThreshold: row.flag_threshold,
      rankStrategy: row.rank_strategy,
      isFlaggedFirst: row.flagged_first,
      maxSimilarity: row.max_similarity,
      randomShare: row.random_share,
      overlapShare: row.overlap_share,
      leaseSeconds: row.lease_seconds,
      claimBatchSize: row.claim_batch_size,
      retrainEvery: row.retrain_every,
      activeModelVersionId: row.active_model_version_id,
      archivedAt: row.archived_at,
    },
  };
}
