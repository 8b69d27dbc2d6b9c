import { describe, expect, it } from "vitest";
import { apiKeyFromRequest, generateApiKey, hashApiKey, isWellFormedApiKey } from "./api-key.ts";
import { attributeNameOf, perspectiveMatch, resolveAttributes } from "./attributes.ts";
import { sentenceSpans } from "./spans.ts";
import { perInstanceLimit, TokenBucket } from "./token-bucket.ts";
import { signatureHeader, signPayload, verifySignature } from "../webhooks/signature.ts";
import { createHmac } from "node:crypto";

describe("API keys", () => {
  it("are 256-bit random, shown once, stored as their SHA-256, listed by a short prefix", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(isWellFormedApiKey(a.key)).toBe(true);
    expect(Buffer.from(a.key.slice(4), "base64url")).toHaveLength(32);
    expect(a.keyHash).toBe(hashApiKey(a.key));
    expect(a.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.prefix).toHaveLength(10);
    expect(isWellFormedApiKey("mlk_short")).toBe(false);
    expect(isWellFormedApiKey(`${a.key} `)).toBe(false);
  });

  it("come from the Authorization header, else the key query parameter (Perspective clients)", () => {
    expect(apiKeyFromRequest("Bearer mlk_abc", null)).toBe("mlk_abc");
    expect(apiKeyFromRequest("bearer   mlk_abc  ", "other")).toBe("mlk_abc");
    expect(apiKeyFromRequest(undefined, "mlk_q")).toBe("mlk_q");
    expect(apiKeyFromRequest("Basic dXNlcjpwYXNz", "mlk_q")).toBeNull(); // a wrong scheme is not silently replaced
    expect(apiKeyFromRequest(undefined, "")).toBeNull();
    expect(apiKeyFromRequest(undefined, null)).toBeNull();
  });
});

describe("TokenBucket", () => {
  it("allows a minute's burst, then refills continuously and says when to retry", () => {
    const bucket = new TokenBucket(3, 0);
    expect(bucket.take(0).isAllowed).toBe(true);
    expect(bucket.take(0).isAllowed).toBe(true);
    expect(bucket.take(0).isAllowed).toBe(true);
    const refused = bucket.take(1000);
    expect(refused).toEqual({ isAllowed: false, retryAfterSeconds: 19 }); // one token per 20 s, 1 s already passed
    expect(bucket.take(20_000).isAllowed).toBe(true);
    expect(bucket.take(20_000).isAllowed).toBe(false);
  });

  it("never holds more than its capacity, and splits a limit across instances", () => {
    const bucket = new TokenBucket(2, 0);
    expect(bucket.take(10 * 60_000).isAllowed).toBe(true);
    expect(bucket.take(10 * 60_000).isAllowed).toBe(true);
    expect(bucket.take(10 * 60_000).isAllowed).toBe(false);
    expect(perInstanceLimit(600, 3)).toBe(200);
    expect(perInstanceLimit(2, 4)).toBe(1);
    expect(() => new TokenBucket(0, 0)).toThrow(RangeError);
  });
});

describe("Perspective attributes", () => {
  it("match category names to Perspective's attributes", () => {
    expect(perspectiveMatch("Hate")).toBe("IDENTITY_ATTACK");
    expect(perspectiveMatch("Harassment")).toBe("INSULT");
    expect(perspectiveMatch("  Profanity ")).toBe("PROFANITY");
    expect(perspectiveMatch("Sexual")).toBe("SEXUALLY_EXPLICIT");
    expect(perspectiveMatch("Threat")).toBe("THREAT");
    expect(perspectiveMatch("Severe toxicity")).toBe("SEVERE_TOXICITY");
    expect(perspectiveMatch("Spam")).toBeNull();
    expect(attributeNameOf("Spam links", 9)).toBe("SPAM_LINKS");
    expect(attributeNameOf("Élite trash-talk!", 9)).toBe("ELITE_TRASH_TALK");
    expect(attributeNameOf("18+", 9)).toBe("C_18");
    expect(attributeNameOf("!!!", 9)).toBe("CATEGORY_9");
  });

  it("give explicit names first, one category per name, and none to the non-toxic class", () => {
    const categories = [
      { id: 1, name: "Profanity", isNonToxic: false, apiAttribute: null },
      { id: 2, name: "Harassment", isNonToxic: false, apiAttribute: null },
      { id: 3, name: "Insult", isNonToxic: false, apiAttribute: "SEVERE_TOXICITY" },
      { id: 4, name: "Hate", isNonToxic: false, apiAttribute: null },
      { id: 5, name: "Spam", isNonToxic: false, apiAttribute: null },
      { id: 6, name: "Non-toxic", isNonToxic: true, apiAttribute: null },
      { id: 7, name: "Bullying", isNonToxic: false, apiAttribute: null },
    ];
    const map = resolveAttributes(categories);
    expect(Object.fromEntries(map)).toEqual({ SEVERE_TOXICITY: 3, PROFANITY: 1, INSULT: 2, IDENTITY_ATTACK: 4, SPAM: 5, BULLYING: 7 });
    expect(map.has("TOXICITY")).toBe(false);
  });
});

describe("sentenceSpans", () => {
  it("cover the whole text with contiguous spans in UTF-16 offsets", () => {
    const text = "gg ez. You are trash!  Uninstall now?\nok 👍 bye";
    const spans = sentenceSpans(text);
    expect(spans.map((s) => text.slice(s.begin, s.end))).toEqual(["gg ez. ", "You are trash!  ", "Uninstall now?\n", "ok 👍 bye"]);
    expect(spans[0].begin).toBe(0);
    expect(spans.at(-1)!.end).toBe(text.length);
    for (let i = 1; i < spans.length; i++) expect(spans[i].begin).toBe(spans[i - 1].end);
  });

  it("keep a text without boundaries, or with trailing punctuation, as one span", () => {
    expect(sentenceSpans("noob")).toEqual([{ begin: 0, end: 4 }]);
    expect(sentenceSpans("what?! ")).toEqual([{ begin: 0, end: 7 }]);
    expect(sentenceSpans("\n\nhi")).toEqual([{ begin: 0, end: 4 }]);
  });
});

describe("webhook signatures", () => {
  const body = JSON.stringify({ type: "decision.final", data: { externalId: "m-1" } });
  it("are HMAC-SHA256 of timestamp.body, verifiable with only the secret", () => {
    const header = signatureHeader("s3cret", 1_800_000_000, body);
    expect(header).toBe(`t=1800000000,v1=${createHmac("sha256", "s3cret").update(`1800000000.${body}`).digest("hex")}`);
    expect(verifySignature({ secret: "s3cret", header, body, nowSeconds: 1_800_000_010 })).toBe(true);
  });

  it("fail for another secret, a changed body, an old timestamp or a malformed header", () => {
    const header = signatureHeader("s3cret", 1_800_000_000, body);
    expect(verifySignature({ secret: "other", header, body, nowSeconds: 1_800_000_000 })).toBe(false);
    expect(verifySignature({ secret: "s3cret", header, body: body.replace("m-1", "m-2"), nowSeconds: 1_800_000_000 })).toBe(false);
    expect(verifySignature({ secret: "s3cret", header, body, nowSeconds: 1_800_000_000 + 301 })).toBe(false);
    expect(
      verifySignature({ secret: "s3cret", header: `t=1800000000,v1=${signPayload("s3cret", 1_800_000_000, body).slice(2)}`, body, nowSeconds: 1_800_000_000 }),
    ).toBe(false);
    expect(verifySignature({ secret: "s3cret", header: undefined, body })).toBe(false);
  });
});
