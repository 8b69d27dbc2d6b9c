/** The review queue's keyboard map, kept pure so every binding is unit-tested. */

export type TQueueAction = { type: "accept" } | { type: "pick"; categoryId: number } | { type: "skip" } | { type: "undo" } | { type: "note" };

export type TKeyInput = { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; repeat?: boolean };

/**
 * Maps a keydown to a queue action, or null when the key is not ours (so the browser keeps it).
 * `hotkeys` maps 1–9 onto active category ids. Held-down keys (repeat) never decide twice.
 */
export function actionForKey(input: TKeyInput, hotkeys: ReadonlyMap<number, number>): TQueueAction | null {
  if (input.repeat) return null;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if ((input.ctrlKey || input.metaKey) && !input.altKey) return key === "z" ? { type: "undo" } : null;
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  if (key === "Enter") return { type: "accept" };
  if (key === "s") return { type: "skip" };
  if (key === "u") return { type: "undo" };
  if (key === "n") return { type: "note" };
  if (/^[1-9]$/.test(key)) {
    const categoryId = hotkeys.get(Number(key));
    return categoryId === undefined ? null : { type: "pick", categoryId };
  }
  return null;
}

/** hotkey → category id for the active categories that have one. */
export function hotkeyMap(categories: readonly { id: number; hotkey: number | null; isActive: boolean }[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const c of categories) if (c.isActive && c.hotkey != null) map.set(c.hotkey, c.id);
  return map;
}

/** Keys typed into a form field belong to that field, never to the queue. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  return el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable;
}
