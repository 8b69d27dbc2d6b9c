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

// The workspace's columns and the caller's membership, aliased w_*: shared by resolveWorkspace and by the
// session lookup that resolves both in one round trip (server/auth/session.ts, sessionInWorkspace).
export const WORKSPACE_COLUMNS = `w.id AS w_id, w.slug AS w_slug, w.name AS w_name, w.flag_threshold AS w_flag_threshold,
  w.rank_strategy::text AS w_rank_strategy, w.flagged_first AS w_flagged_first, w.max_similarity AS w_max_similarity,
  w.random_share AS w_random_share, w.overlap_share AS w_overlap_share, w.lease_seconds AS w_lease_seconds,
  w.claim_batch_size AS w_claim_batch_size, w.retrain_every AS w_retrain_every,
  w.active_model_version_id AS w_active_model_version_id, w.archived_at AS w_archived_at, m.role::text AS member_role`;

export type TWorkspaceRow = {
  w_id: number | null;
  w_slug: string;
  w_name: string;
  w_flag_threshold: number;
  w_rank_strategy: string;
  w_flagged_first: boolean;
  w_max_similarity: number | null;
  w_random_share: number;
  w_overlap_share: number;
  w_lease_seconds: number;
  w_claim_batch_size: number;
  w_retrain_every: number | null;
  w_active_model_version_id: number | null;
  w_archived_at: Date | null;
  member_role: TRole | null;
};

/** The workspace and effective role from a WORKSPACE_COLUMNS row, or null (no such workspace, or not a member). */
export function resolvedFromRow(row: TWorkspaceRow | undefined, userRole: TRole): TResolvedWorkspace | null {
  if (!row || row.w_id === null) return null;
  const role: TRole | null = userRole === "admin" ? "admin" : row.member_role;
  if (!role) return null;
  return {
    role,
    workspace: {
      id: row.w_id,
      slug: row.w_slug,
      name: row.w_name,
      flagThreshold: row.w_flag_threshold,
      rankStrategy: row.w_rank_strategy,
      isFlaggedFirst: row.w_flagged_first,
      maxSimilarity: row.w_max_similarity,
      randomShare: row.w_random_share,
      overlapShare: row.w_overlap_share,
      leaseSeconds: row.w_lease_seconds,
      claimBatchSize: row.w_claim_batch_size,
      retrainEvery: row.w_retrain_every,
      activeModelVersionId: row.w_active_model_version_id,
      archivedAt: row.w_archived_at,
    },
  };
}

/**
 * The workspace named in the URL and the user's effective role in it, in ONE query — or null when the
 * slug is unknown or the user is not a member (callers answer 404 for both, so a non-member cannot
 * tell whether a workspace exists). Instance admins (app_user.role = 'admin') are admins of every
 * workspace; everyone else's role is their membership's.
 */
export async function resolveWorkspace(opts: { slug: string; user: Pick<TSessionUser, "id" | "role"> }): Promise<TResolvedWorkspace | null> {
  if (!WORKSPACE_SLUG_PATTERN.test(opts.slug)) return null;
  const { rows } = await getPool().query<TWorkspaceRow>({
    name: "resolve-workspace",
    text: `SELECT ${WORKSPACE_COLUMNS}
             FROM workspace w
             LEFT JOIN workspace_member m ON m.workspace_id = w.id AND m.user_id = $2
            WHERE w.slug = $1`,
    values: [opts.slug, opts.user.id],
  });
  return resolvedFromRow(rows[0], opts.user.role);
}
