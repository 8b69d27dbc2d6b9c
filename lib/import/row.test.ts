import { describe, expect, it } from "vitest";
import { parseOccurredAt, toExcerptRow, type TExcerptRow } from "./row.ts";

function ok(fields: Record<string, unknown>): TExcerptRow {
  const result = toExcerptRow(fields);
  if ("reason" in result) throw new Error(result.reason);
  return result.row;
}
function reason(fields: Record<string, unknown>): string {
  const result = toExcerptRow(fields);
  if ("row" in result) throw new Error("expected a rejection");
  return result.reason;
}

describe("toExcerptRow", () => {
  it("accepts a minimal row with defaults", () => {
    const row = ok({ text: "  gg ez  " });
    expect(row).toMatchObject({ text: "gg ez", source: "text", externalId: null, conversationId: null, occurredAt: null, label: null });
    expect(row.dedupKey).toMatch(/^h::[0-9a-f]{40}$/);
  });
  it("keeps metadata, turning blanks into null and numbers into strings", () => {
    const row = ok({ text: "hi", external_id: 42, game: " Dota 2 ", channel: "", conversation_id: 7, speaker_id: "p1", label: " Toxic " });
    expect(row).toMatchObject({ externalId: "42", game: "Dota 2", channel: null, conversationId: "7", speakerId: "p1", label: "Toxic" });
    expect(row.dedupKey).toBe("x:42");
  });
  it("requires text", () => {
    expect(reason({})).toBe("text is empty");
    expect(reason({ text: "   " })).toBe("text is empty");
    expect(reason({ text: null })).toBe("text is empty");
  });
  it("rejects an overlong text with its length", () => {
    expect(reason({ text: "a".repeat(20_001) })).toMatch(/longer than 20000 characters \(20001\)/);
  });
  it("accepts source text|voice in any case and rejects others", () => {
    expect(ok({ text: "x", source: "VOICE" }).source).toBe("voice");
    expect(ok({ text: "x", source: "" }).source).toBe("text");
    expect(reason({ text: "x", source: "video" })).toBe('source must be "text" or "voice" (got "video")');
  });
  it("rejects nested values with the field name", () => {
    expect(reason({ text: { a: 1 } })).toMatch(/^text: /);
  });
  it("reports every problem of a row together", () => {
    expect(reason({ text: "", source: "fax" })).toBe('text is empty; source must be "text" or "voice" (got "fax")');
  });
  it("drops NUL characters that PostgreSQL cannot store", () => {
    expect(ok({ text: "a\u0000b", speaker_id: "\u0000" })).toMatchObject({ text: "ab", speakerId: null });
  });
  it("validates occurred_at", () => {
    expect(ok({ text: "x", occurred_at: "2026-11-28T10:00:00Z" }).occurredAt?.toISOString()).toBe("2026-11-28T10:00:00.000Z");
    expect(reason({ text: "x", occurred_at: "yesterday" })).toBe('occurred_at must be an ISO 8601 date or a Unix epoch (got "yesterday")');
    expect(reason({ text: "x", occurred_at: true })).toMatch(/occurred_at/);
  });
});

describe("parseOccurredAt", () => {
  it("reads ISO dates with and without zone (no zone = UTC)", () => {
    expect(parseOccurredAt("2026-11-28")?.toISOString()).toBe("2026-11-28T00:00:00.000Z");
    expect(parseOccurredAt("2026-11-28 10:30")?.toISOString()).toBe("2026-11-28T10:30:00.000Z");
    expect(parseOccurredAt("2026-11-28T10:30:05.250+02:00")?.toISOString()).toBe("2026-11-28T08:30:05.250Z");
  });
  it("reads epoch seconds and milliseconds, as numbers or strings", () => {
    expect(parseOccurredAt(1764324000)?.toISOString()).toBe("2025-11-28T10:00:00.000Z");
    expect(parseOccurredAt("1764324000000")?.toISOString()).toBe("2025-11-28T10:00:00.000Z");
    expect(parseOccurredAt("1764324000.5")?.toISOString()).toBe("2025-11-28T10:00:00.500Z");
  });
  it("rejects impossible or free-form dates", () => {
    expect(parseOccurredAt("2026-13-45")).toBeNull();
    expect(parseOccurredAt("28/11/2026")).toBeNull();
    expect(parseOccurredAt("Nov 28 2026")).toBeNull();
  });
});
