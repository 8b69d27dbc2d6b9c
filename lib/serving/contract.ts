import { z } from "zod";
import { MAX_META_CHARS, MAX_TEXT_CHARS, parseOccurredAt } from "../import/row.ts";
import { WEBHOOK_EVENTS, type TWebhookEventType } from "../webhooks/events.ts";
import { API_SCOPES } from "./scopes.ts";
import { ATTRIBUTE_NAME } from "./attributes.ts";

/**
 * The machine API's wire contract (issue 11): request schemas (ZFoo) and response types (TFoo) for
 * /api/v1/* and the Perspective-compatible /v1alpha1/*. The OpenAPI document (lib/serving/openapi.ts) is
 * generated from these schemas, and the tests validate real responses against that document.
 */

/** Texts per /api/v1/classify request. */
export const MAX_TEXTS_PER_REQUEST = 1000;
/** Characters per text: the importer's limit, since a classified text becomes an excerpt. */
export { MAX_TEXT_CHARS };

// PostgreSQL text cannot hold NUL; it carries no meaning in chat, so it is dropped (as the importer does).
const NUL = /\u0000/g;

export const ZText = z
  .string()
  .transform((s) => s.replace(NUL, ""))
  .check((ctx) => {
    if (ctx.value.trim() === "") ctx.issues.push({ code: "custom", message: "text is empty", input: ctx.value });
    else if (ctx.value.length > MAX_TEXT_CHARS)
      ctx.issues.push({ code: "custom", message: `text is longer than ${MAX_TEXT_CHARS} characters (${ctx.value.length})`, input: ctx.value });
  })
  .meta({ description: `1 to ${MAX_TEXT_CHARS} characters, not only whitespace` });

const meta = (what: string) =>
  z
    .string()
    .max(MAX_META_CHARS, `${what} is longer than ${MAX_META_CHARS} characters`)
    .transform((s) => s.replace(NUL, "").trim() || null)
    .nullable()
    .optional();

export const ZClassifyItem = z
  .object({
    text: ZText,
    /** the game's id of the line: a retried line is stored once */
    externalId: meta("externalId"),
    game: meta("game"),
    channel: meta("channel"),
    conversationId: meta("conversationId"),
    speakerId: meta("speakerId"),
    /** when it was said: ISO 8601 or Unix epoch seconds/milliseconds; default: when it arrived */
    time: z
      .union([z.string(), z.number()])
      .nullable()
      .optional()
      .transform((v, ctx) => {
        if (v === null || v === undefined || v === "") return null;
        const date = parseOccurredAt(typeof v === "string" ? v.trim() : v);
        if (!date) {
          ctx.addIssue({ code: "custom", message: `time must be an ISO 8601 date or a Unix epoch (got "${String(v).slice(0, 40)}")` });
          return z.NEVER;
        }
        return date;
      }),
    source: z.enum(["text", "voice"]).optional().default("text"),
  })
  .strict();

export const ZClassifyRequest = z
  .object({
    /** plain strings, or objects with metadata; answered in the same order */
    texts: z
      .array(z.preprocess((v) => (typeof v === "string" ? { text: v } : v), ZClassifyItem))
      .min(1, "send at least one text")
      .max(MAX_TEXTS_PER_REQUEST, `send at most ${MAX_TEXTS_PER_REQUEST} texts per request`),
    /** false: answer only, store nothing (Perspective's doNotStore) */
    store: z.boolean().optional().default(true),
  })
  .strict();
export type TClassifyRequest = z.input<typeof ZClassifyRequest>;
export type TClassifyItem = z.output<typeof ZClassifyItem>;

export const ZCategoryRef = z.object({ id: z.number().int(), name: z.string(), attribute: z.string().nullable() });

export const ZClassifyResult = z.object({
  externalId: z.string().nullable(),
  /** the model's suggested category */
  category: ZCategoryRef,
  /** probability per category name; they sum to 1 */
  probabilities: z.record(z.string(), z.number()),
  /** 1 − p(non-toxic) */
  toxicScore: z.number(),
  /** toxicScore ≥ the workspace's flag threshold */
  isFlagged: z.boolean(),
  modelVersion: z.string(),
});
export type TClassifyResult = z.infer<typeof ZClassifyResult>;

export const ZClassifyResponse = z.object({
  modelVersion: z.string(),
  threshold: z.number(),
  /** whether the texts were kept (as excerpts, for the review loop) */
  isStored: z.boolean(),
  results: z.array(ZClassifyResult),
});
export type TClassifyResponse = z.infer<typeof ZClassifyResponse>;

export const ZApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** GET /api/v1/decisions: the standing labels of excerpts, in the order they changed. */
export const ZDecisionsQuery = z
  .object({
    after: z
      .string()
      .regex(/^\d{1,19}$/, "after must be a cursor returned by an earlier call")
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional().default(100),
  })
  .strict();

export const ZDecisionEntry = z.object({
  decisionId: z.string(),
  excerptId: z.string(),
  externalId: z.string().nullable(),
  /** the label the excerpt stands at now; null when its last label was undone */
  category: ZCategoryRef.nullable(),
  isToxic: z.boolean().nullable(),
  decidedAt: z.string(),
});
export const ZDecisionsResponse = z.object({ decisions: z.array(ZDecisionEntry), next: z.string().nullable() });
export type TDecisionsResponse = z.infer<typeof ZDecisionsResponse>;

export const ZApiScope = z.enum(API_SCOPES);
export const ZAttributeName = z.string().regex(ATTRIBUTE_NAME, "attribute names are upper-case letters, digits and _ (e.g. INSULT)");

// ---- Perspective (commentanalyzer v1alpha1), every field of Google's published request shapes ----

const SCORE_TYPES = ["SCORE_TYPE_UNSPECIFIED", "PROBABILITY", "STD_DEV_SCORE", "PERCENTILE", "RAW"] as const;

export const ZTextEntry = z.object({
  text: z.string().optional(),
  type: z.enum(["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"]).optional(),
});

export const ZPerspectiveContext = z.object({
  entries: z.array(ZTextEntry).optional(),
  articleAndParentComment: z.object({ article: ZTextEntry.optional(), parentComment: ZTextEntry.optional() }).optional(),
});

export const ZAttributeParameters = z.object({
  scoreType: z.enum(SCORE_TYPES).optional(),
  scoreThreshold: z.number().min(0).max(1).optional(),
});

export const ZAnalyzeCommentRequest = z.object({
  comment: ZTextEntry,
  context: ZPerspectiveContext.optional(),
  requestedAttributes: z.record(z.string(), ZAttributeParameters.nullable()),
  languages: z.array(z.string()).optional(),
  doNotStore: z.boolean().optional(),
  clientToken: z.string().optional(),
  sessionId: z.string().optional(),
  /** kept as the excerpt's channel */
  communityId: z.string().max(500, "communityId is longer than 500 characters").optional(),
  spanAnnotations: z.boolean().optional(),
  dropUnsupportedAttributes: z.boolean().optional(),
});
export type TAnalyzeCommentRequest = z.infer<typeof ZAnalyzeCommentRequest>;

export const ZScore = z.object({ value: z.number(), type: z.enum(SCORE_TYPES).optional() });
export const ZSpanScore = z.object({ begin: z.number().int().optional(), end: z.number().int().optional(), score: ZScore });
export const ZAttributeScores = z.object({ summaryScore: ZScore.optional(), spanScores: z.array(ZSpanScore).optional() });

export const ZAnalyzeCommentResponse = z.object({
  attributeScores: z.record(z.string(), ZAttributeScores),
  languages: z.array(z.string()),
  detectedLanguages: z.array(z.string()).optional(),
  clientToken: z.string().optional(),
});
export type TAnalyzeCommentResponse = z.infer<typeof ZAnalyzeCommentResponse>;

export const ZSuggestCommentScoreRequest = z.object({
  comment: ZTextEntry,
  context: ZPerspectiveContext.optional(),
  attributeScores: z.record(z.string(), ZAttributeScores),
  languages: z.array(z.string()).optional(),
  communityId: z.string().max(500, "communityId is longer than 500 characters").optional(),
  clientToken: z.string().optional(),
  sessionId: z.string().optional(),
});
export type TSuggestCommentScoreRequest = z.infer<typeof ZSuggestCommentScoreRequest>;

export const ZSuggestCommentScoreResponse = z.object({
  requestedLanguages: z.array(z.string()).optional(),
  detectedLanguages: z.array(z.string()).optional(),
  clientToken: z.string().optional(),
});

/** Google's error body: `{"error": {"code": 400, "message": "…", "status": "INVALID_ARGUMENT"}}`. */
export const ZGoogleError = z.object({
  error: z.object({ code: z.number().int(), message: z.string(), status: z.string() }),
});
export type TGoogleStatus =
  | "INVALID_ARGUMENT"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "RESOURCE_EXHAUSTED"
  | "NOT_FOUND"
  | "FAILED_PRECONDITION"
  | "INTERNAL"
  | "UNAVAILABLE";

/** Zod issues as one message naming each field: `texts[3].text: text is empty`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const path = i.path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
      return `${path || "body"}: ${i.message}`;
    })
    .join("; ");
}

// ---- admin: keys and webhooks (server functions the admin UI and the CLI call) ----

export const ZCreateApiKeyInput = z
  .object({
    name: z.string().trim().min(1, "name is empty").max(100, "name is longer than 100 characters"),
    scopes: z
      .array(ZApiScope)
      .min(1, "give the key at least one scope")
      .refine((s) => new Set(s).size === s.length, "scopes are listed twice")
      .optional()
      .default(["classify", "ingest"]),
    /** requests per minute, across all API processes; null = unlimited */
    rateLimitPerMinute: z.number().int().min(1).max(10_000_000).nullable().optional().default(null),
    expiresAt: z.coerce.date().nullable().optional().default(null),
  })
  .strict();
export type TCreateApiKeyInput = z.input<typeof ZCreateApiKeyInput>;

export type TApiKeySummary = {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitPerMinute: number | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** active = usable now; revoked and expired keys stay listed for the audit trail */
  status: "active" | "revoked" | "expired";
};

export { WEBHOOK_EVENTS, type TWebhookEventType };
export const ZWebhookEventType = z.enum(WEBHOOK_EVENTS);

export const ZWebhookInput = z
  .object({
    name: z.string().trim().max(100, "name is longer than 100 characters").optional().default(""),
    url: z.string().trim().max(2000, "url is longer than 2000 characters"),
    events: z
      .array(ZWebhookEventType)
      .min(1, "subscribe to at least one event")
      .refine((s) => new Set(s).size === s.length, "events are listed twice"),
    isActive: z.boolean().optional().default(true),
  })
  .strict();
export type TWebhookInput = z.input<typeof ZWebhookInput>;

export const ZWebhookPatch = ZWebhookInput.partial().extend({ rotateSecret: z.boolean().optional() }).strict();
export type TWebhookPatch = z.input<typeof ZWebhookPatch>;

export type TWebhookSummary = {
  id: number;
  name: string;
  url: string;
  events: string[];
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
  /** the signing secret: shown when created or rotated, never in lists */
  secret?: string;
};

export type TWebhookDelivery = {
  id: string;
  webhookId: number;
  eventId: string;
  eventType: string;
  status: "pending" | "delivered" | "failed" | "cancelled";
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
};

/** How live traffic enters the review queue (workspace columns; lib/ranking/route.ts). */
export const ZRoutingSettings = z
  .object({
    isRouteFlagged: z.boolean().optional(),
    /** p₁ − p₂ below which a line counts as uncertain; null turns it off */
    routeUncertainMargin: z
      .number()
      .gt(0, "routeUncertainMargin is above 0 and at most 1 (or null: off)")
      .max(1, "routeUncertainMargin is above 0 and at most 1 (or null: off)")
      .nullable()
      .optional(),
    /** share of live lines queued as the audit slice */
    routeAuditShare: z.number().min(0, "routeAuditShare is between 0 and 1").max(1, "routeAuditShare is between 0 and 1").optional(),
  })
  .strict();
export type TRoutingSettings = z.input<typeof ZRoutingSettings>;

export type TServingSettings = {
  isRouteFlagged: boolean;
  routeUncertainMargin: number | null;
  routeAuditShare: number;
  /** every category with the attribute it answers under now, and whether an admin set it */
  attributes: { categoryId: number; name: string; isNonToxic: boolean; attribute: string | null; isExplicit: boolean }[];
};
