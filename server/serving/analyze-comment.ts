import { AppError } from "@/lib/errors.ts";
import { dedupKey } from "@/lib/import/normalize.ts";
import { TOXICITY } from "@/lib/serving/attributes.ts";
import { formatIssues, MAX_TEXT_CHARS, ZAnalyzeCommentRequest, type TAnalyzeCommentRequest, type TAnalyzeCommentResponse } from "@/lib/serving/contract.ts";
import { sentenceSpans, type TSpan } from "@/lib/serving/spans.ts";
import type { TApiPrincipal } from "./api-key-cache.ts";
import { requireActiveModel, round6, scoreForWorkspace, scoreShadows, type TActiveModel } from "./score-for-workspace.ts";
import type { TServingContext } from "./serving-context.ts";
import type { TServingServices } from "./serving-services.ts";

/** Perspective answers with the request's languages; modloop detects none (see README, Perspective differences). */
export const UNDETERMINED_LANGUAGE = "und";

/** The comment's text after Perspective's own checks, as INVALID_ARGUMENT errors in Google's words. */
export function commentText(comment: TAnalyzeCommentRequest["comment"]): string {
  if (comment.type === "HTML") throw new AppError("BAD_INPUT", "comment.type HTML is not supported; strip the markup and send PLAIN_TEXT.");
  const text = (comment.text ?? "").replace(/\u0000/g, "");
  if (text.trim() === "") throw new AppError("BAD_INPUT", "comment.text is empty.");
  if (text.length > MAX_TEXT_CHARS) throw new AppError("BAD_INPUT", `Comment text too long: ${text.length} characters (the limit is ${MAX_TEXT_CHARS}).`);
  return text;
}

/** Which output of the active model answers each attribute; unknown names are an error unless dropped. */
export function resolveRequestedAttributes(
  context: TServingContext,
  model: TActiveModel,
  names: string[],
  isDropUnsupported: boolean,
): Map<string, number | "toxicity"> {
  const outputIndex = new Map(model.outputs.map((c, k) => [c.id, k]));
  const resolved = new Map<string, number | "toxicity">();
  const unknown: string[] = [];
  for (const name of names) {
    if (name === TOXICITY) {
      resolved.set(name, "toxicity");
      continue;
    }
    const categoryId = context.attributes.get(name);
    const k = categoryId === undefined ? undefined : outputIndex.get(categoryId);
    if (k === undefined) unknown.push(name);
    else resolved.set(name, k);
  }
  if (unknown.length > 0 && !isDropUnsupported) {
    const available = [TOXICITY, ...[...context.attributes].filter(([, id]) => outputIndex.has(id)).map(([name]) => name)];
    throw new AppError(
      "BAD_INPUT",
      `Unknown attribute${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}. This workspace answers ${available.join(", ")} (an admin can map a category to another name).`,
    );
  }
  return resolved;
}

/**
 * POST /v1alpha1/comments:analyze — Perspective's AnalyzeComment, answered by the workspace's active
 * model: TOXICITY is the toxic score (1 − p(non-toxic)), each mapped category its probability. With
 * spanAnnotations each sentence is scored on its own; without, one span covers the text. Unless
 * doNotStore, the comment is kept like a classified text (needs the key's `ingest` scope).
 */
export async function analyzeComment(options: {
  services: TServingServices;
  principal: TApiPrincipal;
  body: unknown;
  receivedAt: Date;
}): Promise<TAnalyzeCommentResponse> {
  const { services, principal } = options;
  const parsed = ZAnalyzeCommentRequest.safeParse(options.body);
  if (!parsed.success) throw new AppError("BAD_INPUT", formatIssues(parsed.error.issues));
  const req = parsed.data;
  const text = commentText(req.comment);
  const names = Object.keys(req.requestedAttributes);
  if (names.length === 0) throw new AppError("BAD_INPUT", "requestedAttributes is empty: ask for at least one attribute, e.g. TOXICITY.");
  for (const [name, params] of Object.entries(req.requestedAttributes)) {
    if (params?.scoreType && params.scoreType !== "PROBABILITY" && params.scoreType !== "SCORE_TYPE_UNSPECIFIED") {
      throw new AppError("BAD_INPUT", `requestedAttributes.${name}.scoreType ${params.scoreType} is not supported; modloop returns PROBABILITY scores.`);
    }
  }
  const isStored = req.doNotStore !== true;
  if (isStored && !principal.scopes.includes("ingest")) {
    throw new AppError(
      "FORBIDDEN",
      'This API key may analyze but not store comments (it lacks the "ingest" scope): send "doNotStore": true, or ask an admin for a key with "ingest".',
    );
  }
  const context = await services.contexts.get(principal.workspaceId);
  const model = requireActiveModel(context);
  const attributes = resolveRequestedAttributes(context, model, names, req.dropUnsupportedAttributes === true);

  const spans: TSpan[] = req.spanAnnotations ? sentenceSpans(text) : [{ begin: 0, end: text.length }];
  const texts = spans.length > 1 ? [text, ...spans.map((s) => text.slice(s.begin, s.end))] : [text];
  const { scored } = await scoreForWorkspace(services, context, texts);
  const value = (i: number, target: number | "toxicity") => round6(target === "toxicity" ? scored[i].toxicScore : scored[i].probs[target]);

  const attributeScores: TAnalyzeCommentResponse["attributeScores"] = {};
  for (const [name, target] of attributes) {
    const summary = value(0, target);
    const threshold = req.requestedAttributes[name]?.scoreThreshold;
    if (threshold !== undefined && summary < threshold) continue;
    attributeScores[name] = {
      spanScores: spans.map((s, k) => ({
        begin: s.begin,
        end: s.end,
        score: { value: spans.length > 1 ? value(k + 1, target) : summary, type: "PROBABILITY" },
      })),
      summaryScore: { value: summary, type: "PROBABILITY" },
    };
  }

  if (isStored) {
    const shadows = context.shadowVersionIds.length > 0 ? await scoreShadows(services, context, [text]) : null;
    await services.store.add([
      {
        workspaceId: principal.workspaceId,
        apiKeyId: principal.keyId,
        dedupKey: dedupKey({ externalId: null, conversationId: null, text }),
        externalId: null,
        text,
        source: "text",
        game: null,
        channel: req.communityId ?? null,
        conversationId: null,
        speakerId: null,
        occurredAt: options.receivedAt,
        modelVersionId: model.modelVersionId,
        probs: scored[0].probs,
        shadows: shadows?.[0] ?? [],
      },
    ]);
  }

  const languages = req.languages && req.languages.length > 0 ? req.languages : [UNDETERMINED_LANGUAGE];
  return { attributeScores, languages, ...(req.clientToken !== undefined ? { clientToken: req.clientToken } : {}) };
}
