import type { TProgress } from "./types.ts";

/**
 * The queue's progress line is the server's counts plus the moderator's own changes those counts cannot
 * include yet. The review queue keeps one running total of its changes, `localDelta`: +1 when a decision
 * is keyed, −1 when an undo is, and each withdrawn again if its request fails (a failed decision was never
 * made; a failed undo leaves its decision standing). Each count carries the total as it stood when the
 * count was requested, and covers exactly the changes up to that point: the queue requests a count only
 * once every change keyed so far has been answered (committed, or failed and withdrawn), and the server
 * reads both counts when it serves the request (server/queue/get-progress.ts, no cache). So the figure
 * shown is exact whatever the order of keypresses and responses: a count requested before a decision was
 * keyed and answered after it no longer swallows that decision (which, undone, read "-1 decided today").
 *
 * The one case left: a change keyed while a count is in flight whose write commits on the server before
 * that count is read. It is then counted twice (off by one per such change) until the next count, which
 * the queue requests a few seconds after its last change is answered. A count cached on the server
 * would break the rule (it could predate changes answered before its request): it would have to report
 * when it was read. The figures are never shown below zero.
 */
export type TProgressCount = TProgress & {
  /** the queue's `localDelta` when this count was requested */
  localDeltaAtRequest: number;
};

export function shownProgress(count: TProgressCount, localDelta: number): TProgress {
  const notCounted = localDelta - count.localDeltaAtRequest;
  return {
    decidedToday: Math.max(0, count.decidedToday + notCounted),
    remaining: Math.max(0, count.remaining - notCounted),
  };
}
