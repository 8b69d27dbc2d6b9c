import { AppError } from "@/lib/errors.ts";
import { dedupKey } from "@/lib/import/normalize.ts";
import { requiredReviews } from "@/lib/ranking/rank.ts";
import { formatIssues, ZSuggestCommentScoreRequest, type TSuggestCommentScoreRequest } from "@/lib/serving/contract.ts";
import { predictionFacts, queueFields } from "@/lib/ranking/queue-fields.ts";
import { inTransaction } from "../db/transaction.ts";
import { commentText, resolveRequestedAttributes } from "./analyze-comment.ts";
import type { TApiPrincipal } from "./api-key-cache.ts";
import { requireActiveModel, scoreForWorkspace } from "./score-for-workspace.ts";
import type { TServingServices } from "./serving-services.ts";

/**
 * POST /v1alpha1/comments:suggestscore — a client (usually relaying a player's report) says what a
 * comment's scores should be. The comment is stored as an excerpt if it is new, scored by the active
 * model, put in the review queue whatever the routing settings say (unless already labelled), and the
 * suggestion is kept as a user report. Written synchronously in one transaction: the answer means it is
 * stored. Needs the key's `ingest` scope.
 */
export async function suggestCommentScore(options: {
  services: TServingServices;
  principal: TApiPrincipal;
  body: unknown;
  receivedAt: Date;
}): Promise<{ excerptId: string; isQueued: boolean; response: { clientToken?: string; requestedLanguages?: string[] } }> {
  const { services, principal } = options;
  const parsed = ZSuggestCommentScoreRequest.safeParse(options.body);
  if (!parsed.success) throw new AppError("BAD_INPUT", formatIssues(parsed.error.issues));
  const req: TSuggestCommentScoreRequest = parsed.data;
  const text = commentText(req.comment);
  const names = Object.keys(req.attributeScores);
  if (names.length === 0) throw new AppError("BAD_INPUT", "attributeScores is empty: suggest at least one attribute's score.");
  const scores: Record<string, number> = {};
  for (const [name, s] of Object.entries(req.attributeScores)) {
    const value = s.summaryScore?.value;
    if (value === undefined || !(value >= 0 && value <= 1))
      throw new AppError("BAD_INPUT", `attributeScores.${name}.summaryScore.value must be a score from 0 to 1.`);
    scores[name] = value;
  }
  const context = await services.contexts.get(principal.workspaceId);
  const model = requireActiveModel(context);
  resolveRequestedAttributes(context, model, names, false);
  const settings = context.rankSettings!;
  const { scored } = await scoreForWorkspace(services, context, [text]);
  const probs = scored[0].probs;
  const facts = predictionFacts(probs, model.nonToxicIndex);
  const key = dedupKey({ externalId: null, conversationId: null, text });

  const written = await inTransaction(async (client) => {
    const { rows: inserted } = await client.query<{ id: string }>(
      `INSERT INTO excerpt (workspace_id, dedup_key, text, channel, occurred_at, api_key_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, dedup_key) DO NOTHING RETURNING id::text`,
      [principal.workspaceId, key, text, req.communityId ?? null, options.receivedAt, principal.keyId],
    );
    const { rows: ex } = await client.query<{ id: string; is_open_work: boolean; occurred_ms: number }>(
      `SELECT id::text, current_category_id IS NULL AND NOT held_out AS is_open_work,
              (extract(epoch FROM coalesce(occurred_at, created_at)) * 1000)::float8 AS occurred_ms
         FROM excerpt WHERE workspace_id = $1 AND dedup_key = $2 FOR UPDATE`,
      [principal.workspaceId, key],
    );
    const excerptId = inserted[0]?.id ?? ex[0].id;
    await client.query(
      `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
       VALUES ($1, $2, $3::real[], $4, $5, $6) ON CONFLICT (excerpt_id, model_version_id) DO NOTHING`,
      [excerptId, model.modelVersionId, Array.from(probs), facts.toxicScore, model.outputs[facts.top].id, facts.confidence],
    );
    let isQueued = false;
    if (ex[0].is_open_work) {
      const q = queueFields(excerptId, probs, ex[0].occurred_ms, settings, {});
      // a report always reaches a moderator: reopen nothing decided, but queue what is not there yet
      const { rowCount } = await client.query(
        `INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_audit, is_flagged, prediction_id, required_reviews, updated_at)
         SELECT $1, $2, $3, $4, $5, p.id, $7, now() FROM prediction p WHERE p.excerpt_id = $1 AND p.model_version_id = $6
         ON CONFLICT (excerpt_id) DO NOTHING`,
        [excerptId, principal.workspaceId, q.priority, q.isAudit, q.isFlagged, model.modelVersionId, requiredReviews(excerptId, context.overlapShare)],
      );
      const { rows: open } = await client.query<{ is_open: boolean }>(`SELECT is_open FROM queue_item WHERE excerpt_id = $1`, [excerptId]);
      isQueued = (rowCount ?? 0) > 0 || open[0]?.is_open === true;
    }
    await client.query(`INSERT INTO user_report (workspace_id, excerpt_id, api_key_id, scores, client_token) VALUES ($1, $2, $3, $4, $5)`, [
      principal.workspaceId,
      excerptId,
      principal.keyId,
      JSON.stringify(scores),
      req.clientToken ?? null,
    ]);
    return { excerptId, isQueued };
  });
  return {
    ...written,
    response: { ...(req.clientToken !== undefined ? { clientToken: req.clientToken } : {}), ...(req.languages ? { requestedLanguages: req.languages } : {}) },
  };
}
