/** Pure helpers for the client-side buffer of claimed queue cards. */

export const REFILL_AT = 2;

/** Appends newly claimed cards, dropping any excerpt already in the buffer or just decided here. */
export function mergeClaimed<T extends { excerptId: string }>(buffer: readonly T[], claimed: readonly T[], recentlyDecided: ReadonlySet<string>): T[] {
  const seen = new Set(buffer.map((c) => c.excerptId));
  const merged = [...buffer];
  for (const card of claimed) {
    if (seen.has(card.excerptId) || recentlyDecided.has(card.excerptId)) continue;
    seen.add(card.excerptId);
    merged.push(card);
  }
  return merged;
}

/** Puts an undone card back in front, replacing any copy of it further down the buffer. */
export function restoreCard<T extends { excerptId: string }>(buffer: readonly T[], card: T): T[] {
  return [card, ...buffer.filter((c) => c.excerptId !== card.excerptId)];
}

/** Swaps a card for the server's fresh copy (e.g. a renewed lease after undo) wherever it sits. */
export function replaceCard<T extends { excerptId: string }>(buffer: readonly T[], card: T): T[] {
  return buffer.map((c) => (c.excerptId === card.excerptId ? card : c));
}

export function shouldRefill(bufferLength: number, isClaiming: boolean, isExhausted: boolean): boolean {
  return !isClaiming && !isExhausted && bufferLength <= REFILL_AT;
}
