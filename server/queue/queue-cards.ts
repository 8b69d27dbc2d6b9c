import type { TContextLine, TQueueCard, TSpeakerLabel, TSuggestion } from "@/lib/queue/types.ts";

/**
 * The card query shared by claim and undo. `itemsSql` is a CTE body yielding
 * (excerpt_id, lease_expires_at, is_audit, is_flagged, prediction_id, is_held, ord); the result is one row per
 * item with the excerpt, its prediction + model version, and up to CONTEXT_LINES lines either side
 * of it in the same conversation (the (workspace_id, conversation_id, occurred_at) index serves both
 * lateral lookups), so a whole batch of cards is one round trip.
 */
export const CONTEXT_LINES = 3;
/** The speaker's most recent labelled lines shown beside the card (excerpt_speaker_labelled_idx). */
export const SPEAKER_HISTORY_LINES = 5;

export function cardsSql(itemsCte: string): string {
  return `${itemsCte}
SELECT i.excerpt_id::text AS excerpt_id, i.lease_expires_at, i.is_audit, i.is_flagged, i.is_held, i.ord,
       e.text, e.source::text AS source, e.game, e.channel, e.conversation_id, e.speaker_id, e.occurred_at,
       p.suggested_category_id, p.confidence, p.toxic_score, p.probs, p.model_version_id,
       mv.version AS model_version, mv.category_ids,
       ctx_before.lines AS context_before, ctx_after.lines AS context_after, speaker.lines AS speaker_history
FROM items i
JOIN excerpt e ON e.id = i.excerpt_id
LEFT JOIN prediction p ON p.id = i.prediction_id
LEFT JOIN model_version mv ON mv.id = p.model_version_id
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('excerptId', b.id::text, 'text', b.text, 'speakerId', b.speaker_id, 'occurredAt', b.occurred_at)
                  ORDER BY b.occurred_at, b.id) AS lines
  FROM (SELECT b.id, b.text, b.speaker_id, b.occurred_at FROM excerpt b
        WHERE b.workspace_id = e.workspace_id AND b.conversation_id = e.conversation_id
          AND b.occurred_at <= e.occurred_at AND (b.occurred_at < e.occurred_at OR b.id < e.id)
        ORDER BY b.occurred_at DESC, b.id DESC LIMIT ${CONTEXT_LINES}) b
) ctx_before ON e.conversation_id IS NOT NULL AND e.occurred_at IS NOT NULL
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('excerptId', a.id::text, 'text', a.text, 'speakerId', a.speaker_id, 'occurredAt', a.occurred_at)
                  ORDER BY a.occurred_at, a.id) AS lines
  FROM (SELECT a.id, a.text, a.speaker_id, a.occurred_at FROM excerpt a
        WHERE a.workspace_id = e.workspace_id AND a.conversation_id = e.conversation_id
          AND a.occurred_at >= e.occurred_at AND (a.occurred_at > e.occurred_at OR a.id > e.id)
        ORDER BY a.occurred_at, a.id LIMIT ${CONTEXT_LINES}) a
) ctx_after ON e.conversation_id IS NOT NULL AND e.occurred_at IS NOT NULL
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('excerptId', h.id::text, 'text', h.text, 'categoryId', h.current_category_id) ORDER BY h.id DESC) AS lines
  FROM (SELECT h.id, h.text, h.current_category_id FROM excerpt h
        WHERE h.workspace_id = e.workspace_id AND h.speaker_id = e.speaker_id
          AND h.current_category_id IS NOT NULL AND h.speaker_id IS NOT NULL AND h.id <> e.id
        ORDER BY h.id DESC LIMIT ${SPEAKER_HISTORY_LINES}) h
) speaker ON e.speaker_id IS NOT NULL
ORDER BY i.ord`;
}

export type TCardRow = {
  excerpt_id: string;
  lease_expires_at: Date;
  is_audit: boolean;
  is_flagged: boolean;
  is_held: boolean;
  ord: number;
  text: string;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversation_id: string | null;
  speaker_id: string | null;
  occurred_at: Date | null;
  suggested_category_id: number | null;
  confidence: number | null;
  toxic_score: number | null;
  probs: number[] | null;
  model_version_id: number | null;
  model_version: string | null;
  category_ids: number[] | null;
  context_before: TRawContextLine[] | null;
  context_after: TRawContextLine[] | null;
  speaker_history: TSpeakerLabel[] | null;
};

// json_build_object renders timestamptz as ISO text without a trailing Z: normalise through Date.
type TRawContextLine = { excerptId: string; text: string; speakerId: string | null; occurredAt: string | null };

export function toCard(row: TCardRow): TQueueCard {
  return {
    excerptId: row.excerpt_id,
    text: row.text,
    source: row.source,
    game: row.game,
    channel: row.channel,
    conversationId: row.conversation_id,
    speakerId: row.speaker_id,
    occurredAt: row.occurred_at ? row.occurred_at.toISOString() : null,
    leaseExpiresAt: row.lease_expires_at.toISOString(),
    isAudit: row.is_audit,
    isFlagged: row.is_flagged,
    suggestion: toSuggestion(row),
    context: { before: (row.context_before ?? []).map(toContextLine), after: (row.context_after ?? []).map(toContextLine) },
    speakerHistory: row.speaker_history ?? [],
  };
}

function toContextLine(line: TRawContextLine): TContextLine {
  return {
    excerptId: line.excerptId,
    text: line.text,
    speakerId: line.speakerId,
    occurredAt: line.occurredAt ? new Date(line.occurredAt).toISOString() : null,
  };
}

function toSuggestion(row: TCardRow): TSuggestion | null {
  if (row.suggested_category_id == null || row.model_version_id == null) return null;
  const probsByCategoryId: Record<number, number> = {};
  const probs = row.probs ?? [];
  const categoryIds = row.category_ids ?? [];
  // category_ids maps the model's output index to a category id, fixed when the model was trained
  for (let i = 0; i < Math.min(probs.length, categoryIds.length); i++) probsByCategoryId[categoryIds[i]] = probs[i];
  return {
    categoryId: row.suggested_category_id,
    confidence: row.confidence ?? 0,
    toxicScore: row.toxic_score ?? 0,
    modelVersionId: row.model_version_id,
    modelVersion: row.model_version ?? "",
    probsByCategoryId,
  };
}
