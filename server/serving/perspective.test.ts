import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sentenceSpans } from "@/lib/serving/spans.ts";
import { createApiKey } from "../api-keys/create-api-key.ts";
import { getPool } from "../db/pool.ts";
import { stopBoss } from "../jobs/boss.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { eventually, startApiProcess, type TApiProcess } from "./api-test-harness.ts";

/**
 * Perspective compatibility against a real API process: requests carrying every field of Google's
 * published AnalyzeCommentRequest / SuggestCommentScoreRequest, responses validated against Google's own
 * schemas (server/serving/fixtures/commentanalyzer-schemas.json, copied unchanged from the published
 * OpenAPI description) with no field Google does not document, and errors in Google's shape.
 */

type TSchema = { properties?: Record<string, TSchema>; additionalProperties?: TSchema; items?: TSchema; $ref?: string; type?: string };
const GOOGLE = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/commentanalyzer-schemas.json"), "utf8")) as {
  schemas: Record<string, TSchema>;
};
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: "google", components: { schemas: GOOGLE.schemas } });

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let api: TApiProcess;
let fx: TModelFixture;
let key: string;
let classifyOnlyKey: string;
let limitedKey: string;

function resolve(schema: TSchema): TSchema {
  return schema.$ref ? GOOGLE.schemas[schema.$ref.replace("#/components/schemas/", "")] : schema;
}

/** Fails on any field of `value` that Google's schema does not document (the schemas allow extras; clients may not). */
function undocumentedFields(schemaName: string, value: unknown): string[] {
  const problems: string[] = [];
  const walk = (schema: TSchema, v: unknown, at: string) => {
    schema = resolve(schema);
    if (Array.isArray(v)) return v.forEach((item, i) => walk(schema.items ?? {}, item, `${at}[${i}]`));
    if (v === null || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v)) {
      const next = schema.properties?.[k] ?? schema.additionalProperties;
      if (!next) problems.push(`${at}.${k}`);
      else walk(next, child, `${at}.${k}`);
    }
  };
  walk(GOOGLE.schemas[schemaName], value, schemaName);
  return problems;
}

function expectGoogleValid(schemaName: string, value: unknown): void {
  const validate = ajv.getSchema(`google#/components/schemas/${schemaName}`)!;
  validate(value);
  expect(validate.errors ?? []).toEqual([]);
  expect(undocumentedFields(schemaName, value)).toEqual([]);
}

async function post(
  path: string,
  body: unknown,
  opts: { key?: string | null } = {},
): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: number; message: string; status: string } }; headers: Headers }> {
  const k = opts.key === undefined ? key : opts.key;
  const res = await fetch(`${api.url}${path}${k ? `?key=${encodeURIComponent(k)}` : ""}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as never, headers: res.headers };
}

function expectGoogleError(res: Awaited<ReturnType<typeof post>>, code: number, status: string, message: RegExp): void {
  expect(res.status).toBe(code);
  expect(res.body).toEqual({ error: { code, status, message: expect.stringMatching(message) } });
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await getPool().query<{ n: number }>(sql, params)).rows[0].n;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedModelFixture({ labelled: 200, unlabelled: 0, slug: "forum" });
  await trainModelVersion({ workspaceId: fx.workspaceId, activate: true });
  key = (await createApiKey({ workspaceId: fx.workspaceId, input: { name: "perspective client" } })).key;
  classifyOnlyKey = (await createApiKey({ workspaceId: fx.workspaceId, input: { name: "read only", scopes: ["classify"] } })).key;
  limitedKey = (await createApiKey({ workspaceId: fx.workspaceId, input: { name: "limited", rateLimitPerMinute: 1 } })).key;
  api = await startApiProcess({ databaseUrl: testDb.url, env: { MODLOOP_API_MAX_PERSPECTIVE_BODY_BYTES: "65536", MODLOOP_API_CACHE_MS: "600000" } });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await stopBoss({ graceful: false });
  await releaseModelSessions();
  await testDb?.drop();
});

describe("POST /v1alpha1/comments:analyze", () => {
  const text = "You are an idiot. Nice shot mate!";

  it("round-trips a request with every documented field into Google's response shape", async () => {
    const request = {
      comment: { text, type: "PLAIN_TEXT" },
      context: { entries: [{ text: "previous line", type: "PLAIN_TEXT" }] },
      requestedAttributes: { TOXICITY: { scoreType: "PROBABILITY" }, INSULT: { scoreThreshold: 0 }, PROFANITY: {} },
      languages: ["en"],
      doNotStore: true,
      clientToken: "token-123",
      sessionId: "84721",
      communityId: "forum-general",
      spanAnnotations: true,
      dropUnsupportedAttributes: false,
    };
    // the request really carries every field Google documents
    expect(Object.keys(request).sort()).toEqual(Object.keys(GOOGLE.schemas.AnalyzeCommentRequest.properties!).sort());
    const ajvRequest = ajv.getSchema("google#/components/schemas/AnalyzeCommentRequest")!;
    expect(ajvRequest(request)).toBe(true);

    const res = await post("/v1alpha1/comments:analyze", request);
    expect(res.status).toBe(200);
    expectGoogleValid("AnalyzeCommentResponse", res.body);
    expect(res.body.clientToken).toBe("token-123");
    expect(res.body.languages).toEqual(["en"]);
    const scores = res.body.attributeScores as Record<
      string,
      { summaryScore: { value: number; type: string }; spanScores: { begin: number; end: number; score: { value: number; type: string } }[] }
    >;
    expect(Object.keys(scores).sort()).toEqual(["INSULT", "PROFANITY", "TOXICITY"]);
    // TOXICITY is the toxic score classify gives for the same text
    const classify = await fetch(`${api.url}/api/v1/classify`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
      body: JSON.stringify({ texts: [text], store: false }),
    });
    const [result] = ((await classify.json()) as { results: { toxicScore: number; probabilities: Record<string, number> }[] }).results;
    expect(scores.TOXICITY.summaryScore).toEqual({ value: result.toxicScore, type: "PROBABILITY" });
    expect(scores.INSULT.summaryScore.value).toBe(result.probabilities.Insult);
    // span annotations: one span per sentence, covering the text, each scored on its own
    const spans = sentenceSpans(text);
    expect(spans).toHaveLength(2);
    for (const attribute of Object.values(scores)) {
      expect(attribute.spanScores.map((s) => [s.begin, s.end])).toEqual(spans.map((s) => [s.begin, s.end]));
      expect(attribute.spanScores.every((s) => s.score.type === "PROBABILITY")).toBe(true);
    }
    expect(scores.INSULT.spanScores[0].score.value).toBeGreaterThan(0.5); // "You are an idiot."
    expect(scores.INSULT.spanScores[1].score.value).toBeLessThan(0.5); // "Nice shot mate!"
  });

  it("without span annotations answers one span covering the whole text, and without languages says und", async () => {
    const res = await post("/v1alpha1/comments:analyze", { comment: { text: "fuck this game" }, requestedAttributes: { TOXICITY: {} }, doNotStore: true });
    expectGoogleValid("AnalyzeCommentResponse", res.body);
    const toxicity = (
      res.body.attributeScores as Record<string, { summaryScore: { value: number }; spanScores: { begin: number; end: number; score: { value: number } }[] }>
    ).TOXICITY;
    expect(toxicity.spanScores).toEqual([{ begin: 0, end: 14, score: { value: toxicity.summaryScore.value, type: "PROBABILITY" } }]);
    expect(res.body.languages).toEqual(["und"]);
    expect(res.body).not.toHaveProperty("clientToken");
  });

  it("leaves out attributes below their scoreThreshold", async () => {
    const res = await post("/v1alpha1/comments:analyze", {
      comment: { text: "nice shot mate" },
      requestedAttributes: { TOXICITY: { scoreThreshold: 0.9 }, INSULT: {} },
      doNotStore: true,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.attributeScores as object)).toEqual(["INSULT"]);
  });

  it("stores the comment unless doNotStore, with communityId as its channel", async () => {
    await post("/v1alpha1/comments:analyze", { comment: { text: "never kept line" }, requestedAttributes: { TOXICITY: {} }, doNotStore: true });
    await post("/v1alpha1/comments:analyze", { comment: { text: "kept line you idiot" }, requestedAttributes: { TOXICITY: {} }, communityId: "forum-general" });
    const row = await eventually("the comment stored", async () => {
      const { rows } = await getPool().query(
        `SELECT e.channel, q.is_open FROM excerpt e LEFT JOIN queue_item q ON q.excerpt_id = e.id WHERE e.text = 'kept line you idiot'`,
      );
      return rows[0];
    });
    expect(row).toEqual({ channel: "forum-general", is_open: true });
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE text = 'never kept line'`)).toBe(0);
  });

  it("answers under an attribute name an admin mapped, served without a restart", async () => {
    await getPool().query(`UPDATE category SET api_attribute = 'SEVERE_TOXICITY' WHERE id = $1`, [fx.categoryIds.profanity]);
    const res = await eventually(
      "the mapping served",
      async () => {
        const r = await post("/v1alpha1/comments:analyze", {
          comment: { text: "fuck this game" },
          requestedAttributes: { SEVERE_TOXICITY: {} },
          doNotStore: true,
        });
        return r.status === 200 ? r : undefined;
      },
      10_000,
    );
    expect((res.body.attributeScores as Record<string, { summaryScore: { value: number } }>).SEVERE_TOXICITY.summaryScore.value).toBeGreaterThan(0.5);
    const old = await post("/v1alpha1/comments:analyze", { comment: { text: "x" }, requestedAttributes: { PROFANITY: {} }, doNotStore: true });
    expectGoogleError(old, 400, "INVALID_ARGUMENT", /Unknown attribute PROFANITY/);
    await getPool().query(`UPDATE category SET api_attribute = NULL WHERE id = $1`, [fx.categoryIds.profanity]);
    // back to the name match before the next test reads the attribute list
    await eventually(
      "PROFANITY served again",
      async () => {
        const r = await post("/v1alpha1/comments:analyze", { comment: { text: "x" }, requestedAttributes: { PROFANITY: {} }, doNotStore: true });
        return r.status === 200 ? true : undefined;
      },
      10_000,
    );
  });

  it("answers errors in Google's shape", async () => {
    const base = { comment: { text: "hello" }, requestedAttributes: { TOXICITY: {} }, doNotStore: true };
    expectGoogleError(
      await post("/v1alpha1/comments:analyze", { ...base, requestedAttributes: { TOXICITY: {}, FLIRTATION: {} } }),
      400,
      "INVALID_ARGUMENT",
      /Unknown attribute FLIRTATION\. This workspace answers TOXICITY, INSULT/,
    );
    const dropped = await post("/v1alpha1/comments:analyze", {
      ...base,
      requestedAttributes: { TOXICITY: {}, FLIRTATION: {} },
      dropUnsupportedAttributes: true,
    });
    expect(Object.keys(dropped.body.attributeScores as object)).toEqual(["TOXICITY"]);
    expectGoogleError(await post("/v1alpha1/comments:analyze", { ...base, requestedAttributes: {} }), 400, "INVALID_ARGUMENT", /requestedAttributes is empty/);
    expectGoogleError(await post("/v1alpha1/comments:analyze", { ...base, comment: { text: "  " } }), 400, "INVALID_ARGUMENT", /comment\.text is empty/);
    expectGoogleError(
      await post("/v1alpha1/comments:analyze", { ...base, comment: { text: "a".repeat(20_001) } }),
      400,
      "INVALID_ARGUMENT",
      /too long: 20001 characters \(the limit is 20000\)/,
    );
    expectGoogleError(
      await post("/v1alpha1/comments:analyze", { ...base, comment: { text: "<b>hi</b>", type: "HTML" } }),
      400,
      "INVALID_ARGUMENT",
      /HTML is not supported/,
    );
    expectGoogleError(
      await post("/v1alpha1/comments:analyze", { ...base, requestedAttributes: { TOXICITY: { scoreType: "STD_DEV_SCORE" } } }),
      400,
      "INVALID_ARGUMENT",
      /scoreType STD_DEV_SCORE is not supported/,
    );
    expectGoogleError(await post("/v1alpha1/comments:analyze", { ...base, languages: "en" }), 400, "INVALID_ARGUMENT", /languages/);
    expectGoogleError(await post("/v1alpha1/comments:analyze", "{oops"), 400, "INVALID_ARGUMENT", /not valid JSON/);
    expectGoogleError(await post("/v1alpha1/comments:analyze", base, { key: "AIzaSyNotOurs" }), 403, "PERMISSION_DENIED", /not valid/);
    expectGoogleError(await post("/v1alpha1/comments:analyze", base, { key: null }), 403, "PERMISSION_DENIED", /needs an API key/);
    expectGoogleError(
      await post("/v1alpha1/comments:analyze", { ...base, doNotStore: false }, { key: classifyOnlyKey }),
      403,
      "PERMISSION_DENIED",
      /"ingest" scope/,
    );
    expectGoogleError(await post("/v1alpha1/comments:analyze", { ...base, padding: "z".repeat(70_000) }), 413, "INVALID_ARGUMENT", /larger than 65536 bytes/);
    expect((await post("/v1alpha1/comments:analyze", base, { key: limitedKey })).status).toBe(200);
    const limited = await post("/v1alpha1/comments:analyze", base, { key: limitedKey });
    expectGoogleError(limited, 429, "RESOURCE_EXHAUSTED", /limited to 1 requests per minute/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expectGoogleError(await post("/v1alpha1/comments:nope", base), 404, "NOT_FOUND", /There is no/);
  });
});

describe("POST /v1alpha1/comments:suggestscore", () => {
  it("stores the suggestion as a user report and puts the comment in the review queue", async () => {
    const request = {
      comment: { text: "report this nice shot mate", type: "PLAIN_TEXT" },
      context: { entries: [{ text: "before" }] },
      attributeScores: { TOXICITY: { summaryScore: { value: 1, type: "PROBABILITY" } }, INSULT: { summaryScore: { value: 0.9 } } },
      languages: ["en"],
      communityId: "forum-general",
      clientToken: "report-7",
      sessionId: "84721",
    };
    expect(Object.keys(request).sort()).toEqual(Object.keys(GOOGLE.schemas.SuggestCommentScoreRequest.properties!).sort());
    const res = await post("/v1alpha1/comments:suggestscore", request);
    expect(res.status).toBe(200);
    expectGoogleValid("SuggestCommentScoreResponse", res.body);
    expect(res.body).toEqual({ clientToken: "report-7", requestedLanguages: ["en"] });
    // written before the answer: no waiting
    const { rows } = await getPool().query(
      `SELECT r.scores, r.client_token, q.is_open, e.channel FROM user_report r JOIN excerpt e ON e.id = r.excerpt_id JOIN queue_item q ON q.excerpt_id = e.id
        WHERE e.text = 'report this nice shot mate'`,
    );
    expect(rows).toEqual([{ scores: { TOXICITY: 1, INSULT: 0.9 }, client_token: "report-7", is_open: true, channel: "forum-general" }]);
    // a second report of the same comment: one excerpt, one queue item, two reports
    await post("/v1alpha1/comments:suggestscore", { ...request, clientToken: "report-8" });
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE text = 'report this nice shot mate'`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM user_report`)).toBe(2);
  });

  it("refuses what Google refuses, in Google's shape, and keys without the ingest scope", async () => {
    const base = { comment: { text: "hello" }, attributeScores: { TOXICITY: { summaryScore: { value: 1 } } } };
    expectGoogleError(await post("/v1alpha1/comments:suggestscore", { ...base, attributeScores: {} }), 400, "INVALID_ARGUMENT", /attributeScores is empty/);
    expectGoogleError(
      await post("/v1alpha1/comments:suggestscore", { ...base, attributeScores: { FLIRTATION: { summaryScore: { value: 1 } } } }),
      400,
      "INVALID_ARGUMENT",
      /Unknown attribute FLIRTATION/,
    );
    expectGoogleError(
      await post("/v1alpha1/comments:suggestscore", { ...base, attributeScores: { TOXICITY: { summaryScore: { value: 3 } } } }),
      400,
      "INVALID_ARGUMENT",
      /from 0 to 1/,
    );
    expectGoogleError(await post("/v1alpha1/comments:suggestscore", base, { key: classifyOnlyKey }), 403, "PERMISSION_DENIED", /"ingest" scope/);
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE text = 'hello'`)).toBe(0);
  });
});

describe("GET /$discovery/rest (Google's client libraries)", () => {
  it("describes both methods so a client built from it calls this server, under a workspace prefix too", async () => {
    for (const [prefix, servicePath] of [
      ["", ""],
      ["/w/forum", "w/forum/"],
    ] as const) {
      const res = await fetch(`${api.url}${prefix}/$discovery/rest?version=v1alpha1`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as {
        id: string;
        rootUrl: string;
        servicePath: string;
        parameters: Record<string, unknown>;
        resources: { comments: { methods: Record<string, { path: string; httpMethod: string; request: { $ref: string }; response: { $ref: string } }> } };
        schemas: Record<string, unknown>;
      };
      expect(doc).toMatchObject({ id: "commentanalyzer:v1alpha1", rootUrl: `${api.url}/`, servicePath });
      expect(doc.parameters).toHaveProperty("key");
      const { analyze, suggestscore } = doc.resources.comments.methods;
      for (const m of [analyze, suggestscore]) {
        expect(m.httpMethod).toBe("POST");
        expect(doc.schemas).toHaveProperty(m.request.$ref);
        expect(doc.schemas).toHaveProperty(m.response.$ref);
      }
      // what googleapiclient does with it: rootUrl + servicePath + path, ?key=…&alt=json
      const called = await fetch(`${doc.rootUrl}${doc.servicePath}${analyze.path}?key=${key}&alt=json`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ comment: { text: "friendly greetings" }, requestedAttributes: { TOXICITY: {} }, doNotStore: true }),
      });
      expect(called.status).toBe(200);
      expectGoogleValid("AnalyzeCommentResponse", await called.json());
    }
  });
});
