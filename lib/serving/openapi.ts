import { z } from "zod";
import {
  MAX_TEXTS_PER_REQUEST,
  ZAnalyzeCommentRequest,
  ZAnalyzeCommentResponse,
  ZApiError,
  ZClassifyItem,
  ZClassifyRequest,
  ZClassifyResponse,
  ZDecisionsResponse,
  ZGoogleError,
  ZSuggestCommentScoreRequest,
  ZSuggestCommentScoreResponse,
} from "./contract.ts";

/** Where the OpenAPI document is served (a stable path, also under a /w/<workspace> prefix). */
export const OPENAPI_PATH = "/api/v1/openapi.json";

type TJsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): TJsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as TJsonSchema;
  return rest;
}

function errorResponses(codes: Record<number, string>, ref: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(codes).map(([code, description]) => [
      code,
      { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } },
    ]),
  );
}

/**
 * The machine API's OpenAPI 3.1 document, generated from the zod schemas the server validates with
 * (lib/serving/contract.ts), so the document cannot drift from the code; the integration tests
 * validate real responses against it.
 */
export function buildOpenApi(opts: { serverUrl?: string } = {}): Record<string, unknown> {
  const classifyRequest = schemaOf(ZClassifyRequest, "input");
  // a text is a plain string or an object with metadata (the schema parses strings into objects)
  const texts = (classifyRequest.properties as Record<string, TJsonSchema>).texts;
  texts.items = { oneOf: [{ type: "string", description: "the text alone" }, schemaOf(ZClassifyItem, "input")] };
  const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
  const modloopErrors = {
    400: "Not JSON",
    401: "No key, or an unknown, revoked or expired key",
    403: "The key lacks the scope, or belongs to another workspace",
    409: "The workspace has no active model yet (NO_MODEL)",
    413: "Body over the size limit (refused before it is read)",
    422: "Invalid request: the message names each field",
    429: "Rate limit of the key exceeded; see Retry-After",
  };
  const googleErrors = {
    400: "INVALID_ARGUMENT (unknown attribute, empty or too long comment, …) or FAILED_PRECONDITION (no active model)",
    403: "PERMISSION_DENIED: missing, unknown, revoked, expired or wrong-scope key",
    413: "Body over the size limit",
    429: "RESOURCE_EXHAUSTED: rate limit; see Retry-After",
  };
  const security = [{ bearer: [] }, { queryKey: [] }];
  return {
    openapi: "3.1.0",
    info: {
      title: "modloop machine API",
      version: "1",
      description:
        "Classify chat lines and voice transcripts with the workspace's active model, read moderators' decisions, and call it as a drop-in replacement for Perspective's comments:analyze and comments:suggestscore. Every path also works under /w/{workspace} (the key must belong to that workspace).",
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Authorization: Bearer mlk_…" },
        queryKey: { type: "apiKey", in: "query", name: "key", description: "?key=mlk_… (how Perspective clients send keys)" },
      },
      schemas: {
        ClassifyRequest: classifyRequest,
        ClassifyResponse: schemaOf(ZClassifyResponse, "output"),
        DecisionsResponse: schemaOf(ZDecisionsResponse, "output"),
        ApiError: schemaOf(ZApiError, "output"),
        AnalyzeCommentRequest: schemaOf(ZAnalyzeCommentRequest, "input"),
        AnalyzeCommentResponse: schemaOf(ZAnalyzeCommentResponse, "output"),
        SuggestCommentScoreRequest: schemaOf(ZSuggestCommentScoreRequest, "input"),
        SuggestCommentScoreResponse: schemaOf(ZSuggestCommentScoreResponse, "output"),
        GoogleError: schemaOf(ZGoogleError, "output"),
      },
    },
    paths: {
      "/api/v1/classify": {
        post: {
          operationId: "classify",
          summary: `Classify 1–${MAX_TEXTS_PER_REQUEST} texts (scope: classify; storing also needs ingest)`,
          security,
          requestBody: { required: true, content: json("ClassifyRequest") },
          responses: { 200: { description: "One result per text, in order", content: json("ClassifyResponse") }, ...errorResponses(modloopErrors, "ApiError") },
        },
      },
      "/api/v1/decisions": {
        get: {
          operationId: "listDecisions",
          summary: "Moderators' decisions since a cursor, with each excerpt's standing label (scope: decisions:read)",
          security,
          parameters: [
            { name: "after", in: "query", schema: { type: "string", pattern: "^\\d{1,19}$" }, description: "`next` of the previous page" },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: { 200: { description: "A page of decisions", content: json("DecisionsResponse") }, ...errorResponses(modloopErrors, "ApiError") },
        },
      },
      "/v1alpha1/comments:analyze": {
        post: {
          operationId: "commentanalyzer.comments.analyze",
          summary: "Perspective AnalyzeComment (scope: classify; storing also needs ingest)",
          security,
          requestBody: { required: true, content: json("AnalyzeCommentRequest") },
          responses: {
            200: { description: "Scores per requested attribute", content: json("AnalyzeCommentResponse") },
            ...errorResponses(googleErrors, "GoogleError"),
          },
        },
      },
      "/v1alpha1/comments:suggestscore": {
        post: {
          operationId: "commentanalyzer.comments.suggestscore",
          summary: "Perspective SuggestCommentScore: a user report that enters the review queue (scope: ingest)",
          security,
          requestBody: { required: true, content: json("SuggestCommentScoreRequest") },
          responses: { 200: { description: "Stored", content: json("SuggestCommentScoreResponse") }, ...errorResponses(googleErrors, "GoogleError") },
        },
      },
      [OPENAPI_PATH]: { get: { operationId: "openapi", summary: "This document", security: [], responses: { 200: { description: "OpenAPI 3.1" } } } },
      "/api/v1/health": { get: { operationId: "health", summary: "Liveness for load balancers", security: [], responses: { 200: { description: "Up" } } } },
    },
  };
}
