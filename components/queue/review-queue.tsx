"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { useCategories, useCategoryIndex } from "@/components/hooks/use-categories.ts";
import { useClaimCards } from "@/components/hooks/use-claim-cards.ts";
import { QUEUE_PROGRESS_KEY, useQueueProgress } from "@/components/hooks/use-queue-progress.ts";
import { useSubmitDecision, type TDecisionInput } from "@/components/hooks/use-submit-decision.ts";
import { useUndoDecision } from "@/components/hooks/use-undo-decision.ts";
import { newIdempotencyKey } from "@/lib/http/idempotency-key.ts";
import { shownProgress } from "@/lib/queue/progress-delta.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { CLAIM_LIMIT, mergeClaimed, replaceCard, restoreCard, shouldRefill } from "./card-buffer.ts";
import { actionForKey, isTypingTarget, type TQueueAction } from "./keymap.ts";
import { QueueCardView } from "./queue-card-view.tsx";
import { CategoryPanel } from "./category-panel.tsx";
import { GuidelinePanel } from "./guideline-panel.tsx";
import { useWorkspace } from "@/components/hooks/workspace-context.tsx";
import { workspacePath } from "@/lib/workspace/paths.ts";
import { SpeakerHistory } from "./speaker-history.tsx";

type TDecided = { card: TQueueCard; input: TDecisionInput; status: "pending" | "saved" | "failed"; decisionId?: string };
type TNotice = { id: number; tone: "warn" | "error" | "info"; text: string; excerptId?: string; retry?: () => void };

const RECENT_LIMIT = 200;

// Excerpts decided in this tab, kept across remounts: when the router restores the page from its cache
// (back, forward), its server-claimed initial cards may include ones decided since, which must not return.
const decidedInThisTab = new Set<string>();

export function ReviewQueue({
  initialCategories,
  initialCards,
  examplesByCategoryId = {},
}: {
  initialCategories: TCategory[];
  /** the first batch, claimed while the page rendered (so the first excerpt is in its HTML); undefined: claim here */
  initialCards?: TQueueCard[];
  examplesByCategoryId?: Record<number, string[]>;
}) {
  const { slug } = useWorkspace();
  const queryClient = useQueryClient();
  const { data: categories = initialCategories } = useCategories(initialCategories);
  const { mutateAsync: claimCards } = useClaimCards();
  const { mutateAsync: submitDecision } = useSubmitDecision();
  const { mutateAsync: undoDecision } = useUndoDecision();

  const [cards, setCards] = useState<TQueueCard[]>(() => mergeClaimed([], initialCards ?? [], decidedInThisTab));
  const [isLoaded, setLoaded] = useState(initialCards !== undefined);
  const [isExhausted, setExhausted] = useState(false);
  const [pendingCount, setPendingCount] = useState(0);
  const [notices, setNotices] = useState<TNotice[]>([]);
  const [isNoteOpen, setNoteOpen] = useState(false);
  const [noteDraft, setNoteDraft] = useState("");
  const [note, setNote] = useState("");
  const [localDelta, setLocalDelta] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const [inspectedId, setInspectedId] = useState<number | null>(null);

  const rootRef = useRef<HTMLDivElement>(null);
  const cardsRef = useRef(cards);
  cardsRef.current = cards;
  const isClaimingRef = useRef(false);
  const decidedRef = useRef<TDecided[]>([]);
  const recentRef = useRef(decidedInThisTab);
  const outboxRef = useRef<Promise<unknown>>(Promise.resolve());
  const shownAtRef = useRef(performance.now());
  const noticeIdRef = useRef(0);
  const localDeltaRef = useRef(0);

  const { categoryById, hotkeys, activeCategories } = useCategoryIndex(categories);
  const current = cards[0] ?? null;

  const pushNotice = useCallback((notice: Omit<TNotice, "id">) => {
    const id = ++noticeIdRef.current;
    setNotices((list) => [...list.slice(-4), { ...notice, id }]);
    if (notice.tone !== "error") setTimeout(() => setNotices((list) => list.filter((n) => n.id !== id)), 8000);
  }, []);

  /** Resolves once every decision and undo keyed so far has been answered (saved, or failed). */
  const outboxSettled = useCallback(async () => {
    for (let outbox = outboxRef.current; ; outbox = outboxRef.current) {
      await outbox.catch(() => undefined);
      if (outbox === outboxRef.current) return;
    }
  }, []);

  /** +1 for a decision keyed, −1 for an undo, and back when one fails; the ref is what a count request reads. */
  const changeLocalDelta = useCallback((by: 1 | -1) => {
    localDeltaRef.current += by;
    setLocalDelta(localDeltaRef.current);
  }, []);

  // Counts are requested once the changes already keyed are answered, and carry the local delta they
  // include; the progress line adds only the changes keyed since (lib/queue/progress-delta.ts).
  const settledLocalDelta = useCallback(async () => {
    await outboxSettled();
    return localDeltaRef.current;
  }, [outboxSettled]);
  const progress = useQueueProgress(settledLocalDelta);

  const refill = useCallback(async () => {
    if (isClaimingRef.current) return;
    isClaimingRef.current = true;
    try {
      // Claim once the decisions already keyed have reached the server: until then it still holds their
      // items for this moderator, and a claim resumes held items first. Claiming earlier, a fast
      // moderator got back only cards already buffered or just decided, which read as "queue dry" and
      // stalled the queue for 20 s after the first batch (bench/ui.ts at 12 quick decisions).
      await outboxSettled();
      const { cards: claimed } = await claimCards({ limit: CLAIM_LIMIT });
      // Counted against what is already here: a claim that only re-leases buffered cards means the queue is dry.
      const buffered = new Set(cardsRef.current.map((c) => c.excerptId));
      const newCount = claimed.filter((c) => !buffered.has(c.excerptId) && !recentRef.current.has(c.excerptId)).length;
      setCards((buffer) => mergeClaimed(buffer, claimed, recentRef.current));
      setExhausted(newCount === 0);
    } catch (err) {
      pushNotice({ tone: "error", text: `Could not load more excerpts: ${(err as Error).message}` });
      setExhausted(true);
    } finally {
      isClaimingRef.current = false;
      setLoaded(true);
    }
  }, [claimCards, pushNotice, outboxSettled]);

  // Keep the buffer topped up in the background: claim again when two or fewer cards remain.
  useEffect(() => {
    if (shouldRefill(cards.length, isClaimingRef.current, isExhausted)) void refill();
  }, [cards.length, isExhausted, refill]);

  // An empty queue is checked again every 20 s, so new scored excerpts show up without a reload.
  useEffect(() => {
    if (!isExhausted || cards.length > 0) return;
    const timer = setInterval(() => setExhausted(false), 20_000);
    return () => clearInterval(timer);
  }, [isExhausted, cards.length]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when a new card is shown (the excerpt id is the trigger, not an input)
  useEffect(() => {
    shownAtRef.current = performance.now();
    // each new card opens on its own suggestion's guideline
    setInspectedId(null);
  }, [current?.excerptId]);

  useEffect(() => {
    if (pendingCount !== 0) return;
    // A fresh count once the moderator pauses: it includes every change so far, and brings in other
    // moderators' work on "remaining". (The 6 s once outlasted a server-side cache of the open count;
    // server/queue/get-progress.ts reads it exactly now.)
    const timer = setTimeout(() => void queryClient.invalidateQueries({ queryKey: ["w", slug, ...QUEUE_PROGRESS_KEY] }), 6000);
    return () => clearTimeout(timer);
  }, [pendingCount, queryClient, slug]);

  /** Runs tasks one after another so an undo always reaches the server after the decision it undoes. */
  const enqueue = useCallback((task: () => Promise<void>) => {
    setPendingCount((n) => n + 1);
    outboxRef.current = outboxRef.current.then(task).finally(() => setPendingCount((n) => n - 1));
  }, []);

  const sendDecision = useCallback(
    (entry: TDecided) => {
      enqueue(async () => {
        if (entry.status === "saved") return;
        try {
          const result = await submitDecision(entry.input);
          entry.status = "saved";
          entry.decisionId = result.decisionId;
          if (result.isLateConflict) {
            pushNotice({
              tone: "warn",
              excerptId: entry.card.excerptId,
              text: `Your decision on excerpt #${entry.card.excerptId} arrived after its lease expired. It was kept and marked as a late conflict.`,
            });
          }
        } catch (err) {
          entry.status = "failed";
          changeLocalDelta(-1);
          pushNotice({
            tone: "error",
            excerptId: entry.card.excerptId,
            text: `Decision on excerpt #${entry.card.excerptId} was not saved: ${(err as Error).message}`,
            retry: () => {
              entry.status = "pending";
              changeLocalDelta(1);
              sendDecision(entry);
            },
          });
        }
      });
    },
    [enqueue, submitDecision, pushNotice, changeLocalDelta],
  );

  const decide = useCallback(
    (input: Omit<TDecisionInput, "excerptId" | "durationMs" | "note" | "idempotencyKey">) => {
      const card = cardsRef.current[0];
      if (!card) return;
      const entry: TDecided = {
        card,
        status: "pending",
        input: {
          ...input,
          excerptId: card.excerptId,
          durationMs: Math.round(performance.now() - shownAtRef.current),
          note: note || undefined,
          // this keypress's key: the hook's retries and the notice's manual retry resend it, so the decision is stored once
          idempotencyKey: newIdempotencyKey(),
        },
      };
      decidedRef.current = [...decidedRef.current.slice(-49), entry];
      recentRef.current.add(card.excerptId);
      if (recentRef.current.size > RECENT_LIMIT) recentRef.current.delete(recentRef.current.values().next().value!);
      // Advance first, send in the background: the next excerpt must appear on the keypress.
      setCards((buffer) => buffer.slice(1));
      setNote("");
      changeLocalDelta(1);
      sendDecision(entry);
    },
    [note, sendDecision, changeLocalDelta],
  );

  const undoLast = useCallback(() => {
    const entry = decidedRef.current.pop();
    if (!entry) {
      setFlash("Nothing to undo yet.");
      return;
    }
    recentRef.current.delete(entry.card.excerptId);
    setCards((buffer) => restoreCard(buffer, entry.card));
    setExhausted(false);
    const dropNotices = () => setNotices((list) => list.filter((n) => n.excerptId !== entry.card.excerptId));
    if (entry.status === "failed") {
      // never reached the server (and no longer counted): withdrawing it locally is the whole undo
      dropNotices();
      return;
    }
    changeLocalDelta(-1);
    const idempotencyKey = newIdempotencyKey();
    enqueue(async () => {
      if (entry.status === "failed") {
        // It failed while this undo waited behind it: the server's undo would reverse the moderator's
        // previous decision instead. Withdraw it locally; its failure already took back its +1, so give
        // back this undo's −1.
        changeLocalDelta(1);
        dropNotices();
        return;
      }
      try {
        const result = await undoDecision({ idempotencyKey });
        if (result.card) setCards((buffer) => replaceCard(buffer, result.card!));
      } catch (err) {
        changeLocalDelta(1);
        pushNotice({ tone: "error", text: `Undo of excerpt #${entry.card.excerptId} failed: ${(err as Error).message}. Its decision still stands.` });
      }
    });
  }, [enqueue, undoDecision, pushNotice, changeLocalDelta]);

  const run = useCallback(
    (action: TQueueAction) => {
      setFlash(null);
      if (action.type === "undo") return undoLast();
      if (!cardsRef.current[0]) return;
      if (action.type === "note") {
        setNoteDraft(note);
        setNoteOpen(true);
        return;
      }
      if (action.type === "skip") return decide({ kind: "skip" });
      if (action.type === "pick") return decide({ kind: "label", categoryId: action.categoryId });
      const suggestion = cardsRef.current[0].suggestion;
      if (!suggestion) {
        setFlash("No model suggestion for this excerpt — pick a category with 1–9.");
        return;
      }
      decide({ kind: "label", categoryId: suggestion.categoryId });
    },
    [decide, undoLast, note],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isNoteOpen || isTypingTarget(e.target)) return;
      const action = actionForKey(e, hotkeys);
      if (!action) return;
      e.preventDefault();
      run(action);
    };
    window.addEventListener("keydown", onKey);
    // the first cards are in the server-rendered HTML, so they show before the keys work: say when they do
    rootRef.current?.setAttribute("data-keyboard-ready", "true");
    return () => window.removeEventListener("keydown", onKey);
  }, [hotkeys, isNoteOpen, run]);

  // Leaving with decisions still in flight would lose them: ask the browser to warn.
  useEffect(() => {
    if (pendingCount === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [pendingCount]);

  const { decidedToday, remaining } = shownProgress(progress.data ?? { decidedToday: 0, remaining: 0, localDeltaAtRequest: 0 }, localDelta);

  return (
    <div ref={rootRef} className="mx-auto max-w-[1600px] px-4 py-3" data-testid="review-queue">
      <h1 className="sr-only">Review queue</h1>
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-[13px] text-slate-600" data-testid="progress">
        <span>
          <strong className="font-semibold text-slate-900 tabular-nums">{decidedToday}</strong> decided today
        </span>
        <span>
          <strong className="font-semibold text-slate-900 tabular-nums">{progress.data ? remaining.toLocaleString() : "…"}</strong> remaining
        </span>
        <span className="text-slate-500" aria-hidden>
          ·
        </span>
        <span className="tabular-nums">{cards.length} buffered</span>
        <span className={`tabular-nums ${pendingCount > 0 ? "text-amber-700" : "text-emerald-700"}`}>
          {pendingCount > 0 ? `saving ${pendingCount}…` : "all saved"}
        </span>
        <span className="ml-auto hidden items-center gap-2 text-xs text-slate-600 md:flex">
          <kbd>Enter</kbd> accept <kbd>1–9</kbd> category <kbd>S</kbd> skip <kbd>U</kbd> undo <kbd>N</kbd> note
        </span>
      </div>

      {notices.length > 0 && (
        <div className="mb-3 space-y-1.5" aria-live="polite">
          {notices.map((n) => (
            <div
              key={n.id}
              role={n.tone === "error" ? "alert" : "status"}
              className={`flex items-start gap-3 rounded-md border px-3 py-2 text-[13px] ${
                n.tone === "error"
                  ? "border-rose-200 bg-rose-50 text-rose-800"
                  : n.tone === "warn"
                    ? "border-amber-200 bg-amber-50 text-amber-900"
                    : "border-slate-200 bg-white"
              }`}
            >
              <span className="flex-1">
                {n.text}{" "}
                {n.excerptId && (
                  <Link className="underline" href={workspacePath(slug, `excerpts/${n.excerptId}`)} target="_blank">
                    View history
                  </Link>
                )}
              </span>
              {n.retry && (
                <button
                  type="button"
                  className="font-medium underline"
                  onClick={() => {
                    setNotices((l) => l.filter((x) => x.id !== n.id));
                    n.retry!();
                  }}
                >
                  Retry
                </button>
              )}
              <button
                type="button"
                aria-label="Dismiss"
                className="text-slate-600 hover:text-slate-900"
                onClick={() => setNotices((l) => l.filter((x) => x.id !== n.id))}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      )}

      {!current && !isLoaded && <div className="h-64 animate-pulse rounded-lg border border-slate-200 bg-white" data-testid="queue-loading" />}

      {!current && isLoaded && (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-16 text-center" data-testid="queue-empty">
          <div className="text-base font-semibold">The queue is empty</div>
          <p className="mx-auto mt-1 max-w-md text-slate-600">
            Every scored excerpt has been reviewed or is leased to another moderator. New excerpts appear here as they are scored; this page checks again every
            20 seconds.
          </p>
          <div className="mt-4 flex justify-center gap-2">
            <button type="button" onClick={() => setExhausted(false)} className="rounded-md bg-slate-900 px-3 py-1.5 text-white hover:bg-slate-700">
              Check again
            </button>
            {decidedRef.current.length > 0 && (
              <button type="button" onClick={undoLast} className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
                Undo last <kbd>U</kbd>
              </button>
            )}
          </div>
        </div>
      )}

      {current && (
        <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_300px] xl:grid-cols-[minmax(0,1fr)_280px_300px]">
          <div className="min-w-0 space-y-3 lg:row-span-2 xl:row-span-1">
            <QueueCardView card={current} categoryById={categoryById} />
            {flash && (
              <div role="status" className="rounded-md border border-slate-200 bg-white px-3 py-2 text-[13px] text-slate-700">
                {flash}
              </div>
            )}
            {isNoteOpen ? (
              <form
                className="flex items-center gap-2 rounded-md border border-indigo-200 bg-indigo-50/50 p-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  setNote(noteDraft.trim());
                  setNoteOpen(false);
                }}
              >
                <label htmlFor="note" className="text-xs font-medium text-indigo-900">
                  Note
                </label>
                <input
                  id="note"
                  autoFocus
                  value={noteDraft}
                  maxLength={2000}
                  onChange={(e) => setNoteDraft(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Escape") {
                      e.preventDefault();
                      setNoteOpen(false);
                    }
                  }}
                  placeholder="Why? Saved with your decision on this excerpt"
                  className="flex-1 rounded border border-slate-300 bg-white px-2 py-1 outline-none focus:border-indigo-500"
                />
                <span className="text-xs text-slate-500">
                  <kbd>Enter</kbd> save <kbd>Esc</kbd> cancel
                </span>
              </form>
            ) : note ? (
              <div className="flex items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-[13px]" data-testid="pending-note">
                <span className="text-xs font-medium text-slate-500">Note</span>
                <span className="flex-1 truncate">{note}</span>
                <button type="button" className="text-xs text-slate-500 hover:underline" onClick={() => setNote("")}>
                  remove
                </button>
              </div>
            ) : null}
          </div>
          <div className="lg:col-start-2 xl:col-start-2 xl:row-start-1">
            <GuidelinePanel
              category={categoryById.get(inspectedId ?? current.suggestion?.categoryId ?? -1)}
              examples={examplesByCategoryId[inspectedId ?? current.suggestion?.categoryId ?? -1] ?? []}
              isSuggested={inspectedId === null || inspectedId === current.suggestion?.categoryId}
            />
            <div className="mt-3">
              <SpeakerHistory speakerId={current.speakerId} history={current.speakerHistory ?? []} categoryById={categoryById} />
            </div>
          </div>
          <div className="lg:col-start-2 lg:row-start-1 xl:col-start-3">
            <CategoryPanel
              categories={activeCategories}
              suggestion={current.suggestion}
              onPick={(categoryId) => run({ type: "pick", categoryId })}
              onAccept={() => run({ type: "accept" })}
              onSkip={() => run({ type: "skip" })}
              onUndo={() => run({ type: "undo" })}
              onNote={() => run({ type: "note" })}
              canUndo={decidedRef.current.length > 0}
              onInspect={setInspectedId}
            />
          </div>
        </div>
      )}
    </div>
  );
}
