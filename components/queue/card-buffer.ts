/** Pure helpers for the client-side buffer of claimed queue cards. */

/**
 * Refill when this many cards or fewer remain. Deciding takes a moderator well under a second per
 * card at full speed, so the claim round trip must finish within a few keypresses: refilling at 4
 * (rather than waiting for the last 2) keeps the next card local even when the server is busy.
 */
export const REFILL_AT = 4;
/** cards per claim: a refill at REFILL_AT tops the buffer back up to about a dozen */
export const CLAIM_LIMIT = 8;

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
