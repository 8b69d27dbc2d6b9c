import { describe, expect, it } from "vitest";
import { SLUG_PATTERN, slugFromName } from "./slug.ts";

describe("slugFromName", () => {
  it("turns a name into a URL-safe slug", () => {
    expect(slugFromName("Demo: game chat")).toBe("demo-game-chat");
    expect(slugFromName("  Équipe Français — EU/West  ")).toBe("equipe-francais-eu-west");
    expect(slugFromName("Game_Chat 2026!!")).toBe("game-chat-2026");
  });

  it("cuts at 40 characters without leaving a trailing hyphen, and is empty without latin letters or digits", () => {
    const slug = slugFromName(`${"a".repeat(39)} b`);
    expect(slug).toBe("a".repeat(39));
    expect(slugFromName("日本語チャット")).toBe("");
    expect(slugFromName("---")).toBe("");
  });

  it("every slug it makes matches the slug rule", () => {
    for (const name of ["Demo: game chat", "x", "A-B", `${"ab-".repeat(30)}`, "Ünïcödé 9"]) {
      const slug = slugFromName(name);
      expect(SLUG_PATTERN.test(slug), `${name} → ${slug}`).toBe(true);
    }
  });

  it("the rule refuses upper case, double or edge hyphens, and more than 40 characters", () => {
    for (const bad of ["Game", "a--b", "-a", "a-", "", "a".repeat(41), "a b", "a_b"]) expect(SLUG_PATTERN.test(bad), bad).toBe(false);
    for (const good of ["a", "9", "game-chat-en", "a".repeat(40)]) expect(SLUG_PATTERN.test(good), good).toBe(true);
  });
});
