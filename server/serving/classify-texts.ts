import { AppError } from "@/lib/errors.ts";
import { dedupKey } from "@/lib/import/normalize.ts";
import { formatIssues, ZClassifyRequest, type TClassifyResponse } from "@/lib/serving/contract.ts";
import type { TApiPrincipal } from "./api-key-cache.ts";
import type { TLiveLine } from "./live-store.ts";
import { round6, scoreForWorkspace, scoreShadows } from "./score-for-workspace.ts";
import type { TServingServices } from "./serving-services.ts";

/**
 * POST /api/v1/classify: 1–1,000 texts scored by the workspace's active model, answered in order.
 * Unless `store: false`, the texts go to the live store (off the request path) and become excerpts with
 * their prediction; routed ones enter the review queue. Storing needs the key's `ingest` scope.
 */
export async function classifyTexts(options: {
  services: TServingServices;
  principal: TApiPrincipal;
  body: unknown;
  receivedAt: Date;
}): Promise<TClassifyResponse> {
  const { services, principal } = options;
  const parsed = ZClassifyRequest.safeParse(options.body);
  if (!parsed.success) throw new AppError("VALIDATION", formatIssues(parsed.error.issues));
  const { texts: items, store } = parsed.data;
  if (store && !principal.scopes.includes("ingest")) {
    throw new AppError(
      "FORBIDDEN",
      'This API key may classify but not store texts (it lacks the "ingest" scope): send "store": false, or ask an admin for a key with "ingest".',
    );
  }
  const context = await services.contexts.get(principal.workspaceId);
  const texts = items.map((i) => i.text);
  const { model, scored } = await scoreForWorkspace(services, context, texts);

  if (store) {
    const shadows = context.shadowVersionIds.length > 0 ? await scoreShadows(services, context, texts) : null;
    const lines: TLiveLine[] = items.map((item, i) => ({
      workspaceId: principal.workspaceId,
      apiKeyId: principal.keyId,
      dedupKey: dedupKey({ externalId: item.externalId ?? null, conversationId: item.conversationId ?? null, text: item.text }),
      externalId: item.externalId ?? null,
      text: item.text,
      source: item.source,
      game: item.game ?? null,
      channel: item.channel ?? null,
      conversationId: item.conversationId ?? null,
      speakerId: item.speakerId ?? null,
      occurredAt: item.time ?? options.receivedAt,
      modelVersionId: model.modelVersionId,
      probs: scored[i].probs,
      shadows: shadows?.[i] ?? [],
    }));
    await services.store.add(lines);
  }

  return {
    modelVersion: model.version,
    threshold: context.flagThreshold,
    isStored: store,
    results: scored.map((s, i) => {
      const probabilities: Record<string, number> = {};
      model.outputs.forEach((c, k) => (probabilities[c.name] = round6(s.probs[k])));
      return {
        externalId: items[i].externalId ?? null,
        category: { id: s.top.id, name: s.top.name, attribute: s.top.attribute },
        probabilities,
        toxicScore: round6(s.toxicScore),
        isFlagged: s.isFlagged,
        modelVersion: model.version,
      };
    }),
  };
}
