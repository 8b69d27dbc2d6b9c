import { describe, expect, it } from "vitest";
import { actionForKey, hotkeyMap, isTypingTarget } from "./keymap.ts";

const keys = hotkeyMap([
  { id: 10, hotkey: 1, isActive: true },
  { id: 11, hotkey: 2, isActive: true },
  { id: 12, hotkey: 3, isActive: false },
  { id: 13, hotkey: null, isActive: true },
]);
const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat: boolean }> = {}) =>
  actionForKey({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods }, keys);

describe("actionForKey", () => {
  it("maps Enter to accepting the suggestion", () => expect(press("Enter")).toEqual({ type: "accept" }));
  it("maps digits to the category with that hotkey", () => {
    expect(press("1")).toEqual({ type: "pick", categoryId: 10 });
    expect(press("2")).toEqual({ type: "pick", categoryId: 11 });
  });
  it("ignores digits of inactive or unassigned categories", () => {
    expect(press("3")).toBeNull();
    expect(press("9")).toBeNull();
    expect(press("0")).toBeNull();
  });
  it("maps s, u and n in either case", () => {
    expect(press("s")).toEqual({ type: "skip" });
    expect(press("S")).toEqual({ type: "skip" });
    expect(press("U")).toEqual({ type: "undo" });
    expect(press("n")).toEqual({ type: "note" });
  });
  it("maps Ctrl+Z and Cmd+Z to undo but leaves other shortcuts to the browser", () => {
    expect(press("z", { ctrlKey: true })).toEqual({ type: "undo" });
    expect(press("Z", { metaKey: true })).toEqual({ type: "undo" });
    expect(press("s", { ctrlKey: true })).toBeNull();
    expect(press("1", { metaKey: true })).toBeNull();
    expect(press("u", { altKey: true })).toBeNull();
  });
  it("never decides twice on a held-down key", () => expect(press("Enter", { repeat: true })).toBeNull());
  it("ignores unrelated keys", () => {
    expect(press("x")).toBeNull();
    expect(press("Tab")).toBeNull();
  });
});

describe("isTypingTarget", () => {
  it("treats inputs and textareas as typing targets", () => {
    expect(isTypingTarget({ tagName: "INPUT" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true } as unknown as EventTarget)).toBe(true);
  });
  it("does not treat the page body as a typing target", () => {
    expect(isTypingTarget({ tagName: "BODY", isContentEditable: false } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
