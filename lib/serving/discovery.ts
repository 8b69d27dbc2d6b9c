import { z } from "zod";
import { ZAnalyzeCommentRequest, ZAnalyzeCommentResponse, ZSuggestCommentScoreRequest, ZSuggestCommentScoreResponse } from "./contract.ts";

/** Where Google's client libraries look for the API description (their default discovery URL, minus the host). */
export const DISCOVERY_PATH = "/$discovery/rest";

function schema(id: string, s: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return { id, ...rest };
}

const queryParam = (description: string, extra: Record<string, unknown> = {}) => ({ type: "string", location: "query", description, ...extra });

/**
 * A Google API discovery document for the Perspective-compatible endpoints. Google's own client
 * libraries (e.g. Python's `googleapiclient.discovery.build("commentanalyzer", "v1alpha1",
 * discoveryServiceUrl=…)`, as in Perspective's quickstart) build their methods from it, so pointing
 * them at `<base URL>/$discovery/rest?version=v1alpha1` is the only change such a client needs.
 */
export function buildDiscoveryDocument(opts: { rootUrl: string; servicePath: string }): Record<string, unknown> {
  const method = (name: string, request: string, response: string, description: string) => ({
    id: `commentanalyzer.comments.${name}`,
    path: `v1alpha1/comments:${name}`,
    flatPath: `v1alpha1/comments:${name}`,
    httpMethod: "POST",
    parameters: {},
    parameterOrder: [],
    request: { $ref: request },
    response: { $ref: response },
    description,
  });
  return {
    kind: "discovery#restDescription",
    discoveryVersion: "v1",
    id: "commentanalyzer:v1alpha1",
    name: "commentanalyzer",
    version: "v1alpha1",
    title: "Perspective Comment Analyzer API (served by modloop)",
    description: "Perspective-compatible comments:analyze and comments:suggestscore, answered by the workspace's active model.",
    protocol: "rest",
    rootUrl: opts.rootUrl,
    servicePath: opts.servicePath,
    baseUrl: `${opts.rootUrl}${opts.servicePath}`,
    batchPath: "batch",
    parameters: {
      key: queryParam("API key (a modloop key, mlk_…)"),
      alt: queryParam("Data format for response.", { default: "json", enum: ["json"] }),
      prettyPrint: { type: "boolean", location: "query", default: "true", description: "Accepted and ignored." },
      fields: queryParam("Accepted and ignored: the whole response is returned."),
      quotaUser: queryParam("Accepted and ignored."),
      "$.xgafv": queryParam("Accepted and ignored.", { enum: ["1", "2"] }),
      access_token: queryParam("Not used: modloop authenticates with its API keys."),
      oauth_token: queryParam("Not used: modloop authenticates with its API keys."),
      callback: queryParam("Not supported."),
      uploadType: queryParam("Not used."),
      upload_protocol: queryParam("Not used."),
    },
    schemas: {
      AnalyzeCommentRequest: schema("AnalyzeCommentRequest", ZAnalyzeCommentRequest, "input"),
      AnalyzeCommentResponse: schema("AnalyzeCommentResponse", ZAnalyzeCommentResponse, "output"),
      SuggestCommentScoreRequest: schema("SuggestCommentScoreRequest", ZSuggestCommentScoreRequest, "input"),
      SuggestCommentScoreResponse: schema("SuggestCommentScoreResponse", ZSuggestCommentScoreResponse, "output"),
    },
    resources: {
      comments: {
        methods: {
          analyze: method(
            "analyze",
            "AnalyzeCommentRequest",
            "AnalyzeCommentResponse",
            "Analyzes the provided text and returns scores for requested attributes.",
          ),
          suggestscore: method("suggestscore", "SuggestCommentScoreRequest", "SuggestCommentScoreResponse", "Suggest comment scores as training data."),
        },
      },
    },
  };
}
