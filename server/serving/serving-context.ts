import { AppError } from "@/lib/errors.ts";
import { resolveAttributes } from "@/lib/serving/attributes.ts";
import { getPool } from "../db/pool.ts";
import { loadModelSession } from "../model/load-model-session.ts";
import { RANK_SETTING_COLUMNS, rankSettingsOf, type TRankSettingRow, type TRankSettings } from "@/lib/ranking/queue-fields.ts";

export type TServedCategory = { id: number; name: string; isNonToxic: boolean; attribute: string | null };

/** What the API needs to answer for a workspace: its active model, taxonomy, threshold and routing. */
export type TServingContext = {
  workspaceId: number;
  slug: string;
  flagThreshold: number;
  overlapShare: number;
  /** null until the workspace has an active model */
  model: {
    modelVersionId: number;
    version: string;
    nonToxicIndex: number;
    /** output index → category */
    outputs: TServedCategory[];
  } | null;
  /** shadow versions: scored alongside stored traffic and recorded, never returned */
  shadowVersionIds: number[];
  /** ranking + routing settings for the active model (null without one) */
  rankSettings: TRankSettings | null;
  categoriesById: Map<number, TServedCategory>;
  /** attribute name → category id, for Perspective requests (TOXICITY is separate) */
  attributes: Map<string, number>;
};

type TEntry = { context: Promise<TServingContext>; loadedAt: number; isStale: boolean };

async function loadContext(workspaceId: number): Promise<TServingContext> {
  const pool = getPool();
  const { rows: ws } = await pool.query<TRankSettingRow & { id: number; slug: string; overlap_share: number; active_model_version_id: number | null }>(
    `SELECT w.id, w.slug, w.overlap_share, w.active_model_version_id, ${RANK_SETTING_COLUMNS} FROM workspace w WHERE w.id = $1`,
    [workspaceId],
  );
  const w = ws[0];
  if (!w) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
  const [{ rows: categories }, { rows: shadows }] = await Promise.all([
    pool.query<{ id: number; name: string; is_non_toxic: boolean; api_attribute: string | null }>(
      `SELECT id, name, is_non_toxic, api_attribute FROM category WHERE workspace_id = $1 ORDER BY sort_order, id`,
      [workspaceId],
    ),
    pool.query<{ id: number }>(`SELECT id FROM model_version WHERE workspace_id = $1 AND status = 'shadow' ORDER BY id`, [workspaceId]),
  ]);
  const attributes = resolveAttributes(categories.map((c) => ({ id: c.id, name: c.name, isNonToxic: c.is_non_toxic, apiAttribute: c.api_attribute })));
  const attributeOf = new Map([...attributes].map(([attribute, id]) => [id, attribute]));
  const categoriesById = new Map<number, TServedCategory>(
    categories.map((c) => [c.id, { id: c.id, name: c.name, isNonToxic: c.is_non_toxic, attribute: attributeOf.get(c.id) ?? null }]),
  );
  let model: TServingContext["model"] = null;
  let rankSettings: TRankSettings | null = null;
  if (w.active_model_version_id !== null) {
    // Loaded (and its ONNX session created) before the context is published: the first request after a
    // promotion does not pay for it, and a broken version fails here, not in every request.
    const session = await loadModelSession(w.active_model_version_id);
    const outputs = session.categoryIds.map(
      (id, i) => categoriesById.get(id) ?? { id, name: session.manifest.labels[i], isNonToxic: i === session.manifest.nonToxicIndex, attribute: null },
    );
    model = { modelVersionId: session.modelVersionId, version: session.manifest.version, nonToxicIndex: session.manifest.nonToxicIndex, outputs };
    rankSettings = rankSettingsOf(w, session.manifest.nonToxicIndex);
  }
  return {
    workspaceId: w.id,
    slug: w.slug,
    flagThreshold: w.flag_threshold,
    overlapShare: w.overlap_share,
    model,
    shadowVersionIds: shadows.map((s) => s.id),
    rankSettings,
    categoriesById,
    attributes,
  };
}

/**
 * Per-process cache of serving contexts. A NOTIFY (`ws:<id>`, from triggers on the workspace, its
 * categories and its model versions) marks a workspace stale and the next request waits for the
 * re-read, so a promotion is served from the first request after its commit. Without notifications a
 * context is re-read in the background after ttlMs while requests keep the previous one.
 */
export class ServingContextCache {
  private readonly entries = new Map<number, TEntry>();

  constructor(private readonly opts: { ttlMs: number }) {}

  get(workspaceId: number): Promise<TServingContext> {
    const entry = this.entries.get(workspaceId);
    if (!entry || entry.isStale) return this.reload(workspaceId);
    if (Date.now() - entry.loadedAt >= this.opts.ttlMs) {
      const previous = entry.context;
      const next = this.reload(workspaceId, previous);
      // a failed background re-read keeps serving what was there
      next.catch(() => {});
      return previous;
    }
    return entry.context;
  }

  private reload(workspaceId: number, fallback?: Promise<TServingContext>): Promise<TServingContext> {
    const context = loadContext(workspaceId);
    const entry: TEntry = { context, loadedAt: Date.now(), isStale: false };
    this.entries.set(workspaceId, entry);
    context.catch(() => {
      if (this.entries.get(workspaceId) !== entry) return;
      if (fallback) this.entries.set(workspaceId, { context: fallback, loadedAt: Date.now(), isStale: false });
      else this.entries.delete(workspaceId);
    });
    return context;
  }

  invalidate(workspaceId: number): void {
    const entry = this.entries.get(workspaceId);
    if (entry) entry.isStale = true;
  }

  invalidateAll(): void {
    for (const entry of this.entries.values()) entry.isStale = true;
  }
}
