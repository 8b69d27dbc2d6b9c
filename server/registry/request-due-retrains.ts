import { retrainVerdict, type TRetrainFacts } from "@/lib/registry/auto-retrain.ts";
import { getPool } from "../db/pool.ts";
import { requestTraining } from "./request-training.ts";

export type TWorkspaceRetrainFacts = TRetrainFacts & { workspaceId: number; since: Date | null };

export type TDueRetrain = { workspaceId: number; newLabels: number } & (
  | { trainingRunId: number; isAlreadyRunning: boolean; error?: undefined }
  | { trainingRunId?: undefined; error: string }
);

/**
 * The facts the sweep decides on, for every workspace with automatic retrain on. "New labels" are
 * the label decisions people made (queue, review, adjudication; not imports) since the newest
 * training run started or the newest model version was made, whichever is later, minus those undone
 * since, and never gold: audit-slice labels and labels on held-out excerpts are the evaluation split,
 * which training leaves out. A failed run restarts the count too, so a failing training is retried
 * after the next batch of labels, not every minute.
 *
 * Both counts are range scans of decision(workspace_id, created_at) over the labels since then: cheap
 * once a minute, and nowhere near the decision hot path. A run unfinished for over an hour counts
 * as stale (requestTraining closes it), as it does for the "Train new version" button.
 */
export async function readRetrainFacts(options: { workspaceId?: number } = {}): Promise<TWorkspaceRetrainFacts[]> {
  const { rows } = await getPool().query<{
    id: number;
    retrain_every: number;
    has_active: boolean;
    has_unfinished: boolean;
    since: Date | null;
    new_labels: number | null;
  }>(
    `WITH w AS (
       SELECT w.id, w.retrain_every, w.active_model_version_id IS NOT NULL AS has_active,
              EXISTS (SELECT 1 FROM training_run r
                       WHERE r.workspace_id = w.id AND r.status IN ('queued', 'training', 'evaluating')
                         AND coalesce(r.started_at, r.created_at) >= now() - interval '1 hour') AS has_unfinished,
              greatest((SELECT max(coalesce(r.started_at, r.created_at)) FROM training_run r WHERE r.workspace_id = w.id),
                       (SELECT max(m.created_at) FROM model_version m WHERE m.workspace_id = w.id)) AS since
         FROM workspace w
        WHERE w.retrain_every IS NOT NULL AND ($1::int IS NULL OR w.id = $1))
     SELECT w.*, n.new_labels
       FROM w
       LEFT JOIN LATERAL (
         SELECT (SELECT count(*) FROM decision d JOIN excerpt e ON e.id = d.excerpt_id
                  WHERE d.workspace_id = w.id AND d.created_at > coalesce(w.since, '-infinity')
                    AND d.kind = 'label' AND d.origin <> 'import' AND NOT d.is_audit AND NOT e.held_out)
              - (SELECT count(*) FROM decision u JOIN decision d ON d.id = u.reverses_id JOIN excerpt e ON e.id = d.excerpt_id
                  WHERE u.workspace_id = w.id AND u.created_at > coalesce(w.since, '-infinity') AND u.kind = 'reversal'
                    AND d.created_at > coalesce(w.since, '-infinity')
                    AND d.kind = 'label' AND d.origin <> 'import' AND NOT d.is_audit AND NOT e.held_out) AS new_labels
          -- only where it can matter: the count is the one part that reads decisions
          WHERE w.has_active AND NOT w.has_unfinished
       ) n ON true
      ORDER BY w.id`,
    [options.workspaceId ?? null],
  );
  return rows.map((r) => ({
    workspaceId: r.id,
    retrainEvery: r.retrain_every,
    hasActiveModel: r.has_active,
    hasUnfinishedRun: r.has_unfinished,
    since: r.since,
    newLabels: Number(r.new_labels ?? 0),
  }));
}

/**
 * The sweep's automatic retrain: for each workspace that is due (lib/registry/auto-retrain.ts),
 * requests a training run marked automatic. The training job trains, evaluates and then promotes the
 * version only if it is not worse than the active one on the gold set (runTraining).
 */
export async function requestDueRetrains(): Promise<TDueRetrain[]> {
  const requested: TDueRetrain[] = [];
  for (const facts of await readRetrainFacts()) {
    const verdict = retrainVerdict(facts);
    if (!verdict.isDue) continue;
    try {
      const { run, isAlreadyRunning } = await requestTraining({
        workspaceId: facts.workspaceId,
        requestedById: null,
        isAuto: true,
        newLabels: facts.newLabels,
        reason: `Automatic retrain: ${verdict.reason}`,
      });
      requested.push({ workspaceId: facts.workspaceId, newLabels: facts.newLabels, trainingRunId: run.id, isAlreadyRunning });
    } catch (err) {
      // one workspace's failure (recorded on its run by requestTraining) must not stop the others'
      requested.push({ workspaceId: facts.workspaceId, newLabels: facts.newLabels, error: (err as Error).message });
    }
  }
  return requested;
}
