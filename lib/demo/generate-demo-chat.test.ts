import { describe, expect, it } from "vitest";
import { DEMO_CATEGORY_NAMES, DEMO_NON_TOXIC, DEMO_TAXONOMY } from "./demo-taxonomy.ts";
import { createRng, generateDemoChat } from "./generate-demo-chat.ts";

const lines = generateDemoChat();
const countBy = <K extends string>(key: (l: (typeof lines)[number]) => K) => {
  const m = new Map<K, number>();
  for (const l of lines) m.set(key(l), (m.get(key(l)) ?? 0) + 1);
  return m;
};

describe("generateDemoChat", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    expect(JSON.stringify(generateDemoChat())).toBe(JSON.stringify(lines));
    const other = generateDemoChat({ seed: 7 });
    expect(other.map((l) => l.text)).not.toEqual(lines.map((l) => l.text));
  });

  it("produces a few thousand lines with unique external ids", () => {
    expect(lines.length).toBeGreaterThan(2500);
    expect(lines.length).toBeLessThan(5000);
    expect(new Set(lines.map((l) => l.externalId)).size).toBe(lines.length);
  });

  it("covers every category, mostly non-toxic as real chat is", () => {
    const byIntent = countBy((l) => l.intent);
    for (const name of DEMO_CATEGORY_NAMES) expect(byIntent.get(name) ?? 0, name).toBeGreaterThanOrEqual(20);
    const nonToxicShare = byIntent.get(DEMO_NON_TOXIC)! / lines.length;
    expect(nonToxicShare).toBeGreaterThan(0.8);
    expect(nonToxicShare).toBeLessThan(0.97);
  });

  it("labels about 100 lines, every category included, each label matching the line's intent", () => {
    const labelled = lines.filter((l) => l.label !== null);
    expect(labelled).toHaveLength(100);
    expect(labelled.every((l) => l.label === l.intent)).toBe(true);
    const byLabel = countBy((l) => l.label ?? "none");
    for (const name of DEMO_CATEGORY_NAMES) expect(byLabel.get(name) ?? 0, name).toBeGreaterThanOrEqual(10);
    // Unlabelled toxic lines remain for the queue to surface.
    expect(lines.filter((l) => l.label === null && l.intent !== DEMO_NON_TOXIC).length).toBeGreaterThan(100);
  });

  it("spans three games, text channels and voice transcripts", () => {
    expect([...countBy((l) => l.game).keys()].sort()).toEqual(["Dropzone Royale", "Rift Legends", "Sector Zero"]);
    const bySource = countBy((l) => l.source);
    expect(bySource.get("text")! / lines.length).toBeGreaterThan(0.4);
    expect(bySource.get("voice")! / lines.length).toBeGreaterThan(0.2);
    // Transcripts read like speech: no capitals, no punctuation marks.
    for (const l of lines.filter((x) => x.source === "voice")) expect(l.text).not.toMatch(/[A-Z!?]/);
  });

  it("builds conversations with several speakers, one channel and increasing timestamps", () => {
    // Map.groupBy needs Node 21; the project supports Node 20.
    const byConversation = new Map<string, typeof lines>();
    for (const l of lines) byConversation.set(l.conversationId, [...(byConversation.get(l.conversationId) ?? []), l]);
    expect(byConversation.size).toBe(120);
    for (const [id, conv] of byConversation) {
      expect(new Set(conv.map((l) => l.speakerId)).size, id).toBeGreaterThanOrEqual(2);
      expect(new Set(conv.map((l) => `${l.game}/${l.channel}/${l.source}`)).size, id).toBe(1);
      const times = conv.map((l) => Date.parse(l.occurredAt));
      for (let i = 1; i < times.length; i++) expect(times[i]!, id).toBeGreaterThan(times[i - 1]!);
    }
  });

  it("mentions other players by name, never leaves a template slot unfilled", () => {
    expect(lines.some((l) => /\{\w+\}/.test(l.text))).toBe(false);
    const speakers = new Set(lines.map((l) => l.speakerId.toLowerCase()));
    const mentioning = lines.filter((l) =>
      l.text
        .toLowerCase()
        .split(/[\s,]+/)
        .some((w) => speakers.has(w) && w !== l.speakerId.toLowerCase()),
    );
    expect(mentioning.length).toBeGreaterThan(50);
  });

  it("has enough distinct text to be worth reviewing", () => {
    expect(new Set(lines.map((l) => l.text)).size).toBeGreaterThan(1200);
  });

  it("scales with the conversations option and respects a smaller label budget", () => {
    const small = generateDemoChat({ conversations: 10, labelled: 12 });
    expect(new Set(small.map((l) => l.conversationId)).size).toBe(10);
    expect(small.filter((l) => l.label).length).toBeLessThanOrEqual(12);
    expect(() => generateDemoChat({ startAt: "not a date" })).toThrow(/startAt/);
  });
});

describe("DEMO_TAXONOMY", () => {
  it("has six categories, exactly one non-toxic, hotkeys 1–6 in display order", () => {
    expect(DEMO_TAXONOMY.map((c) => c.name)).toEqual([...DEMO_CATEGORY_NAMES]);
    expect(DEMO_TAXONOMY.filter((c) => c.isNonToxic).map((c) => c.name)).toEqual([DEMO_NON_TOXIC]);
    expect(DEMO_TAXONOMY.map((c) => c.hotkey)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(DEMO_TAXONOMY.map((c) => c.sortOrder)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of DEMO_TAXONOMY) expect(c.color).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe("createRng", () => {
  it("repeats for a seed and stays in [0, 1)", () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });
});
