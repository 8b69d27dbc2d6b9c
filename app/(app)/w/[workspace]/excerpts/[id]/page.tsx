import Link from "next/link";
import { notFound } from "next/navigation";
import { CategoryChip } from "@/components/ui/category-chip.tsx";
import { AppError } from "@/lib/errors.ts";
import { parseBigIntPathId } from "@/lib/http/ids.ts";
import { workspacePath } from "@/lib/workspace/paths.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { getExcerptHistory, type TExcerptHistory } from "@/server/excerpts/get-excerpt-history.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { VisibleText } from "@/components/ui/visible-text.tsx";

export const metadata = { title: "Excerpt · modloop" };

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }) + " UTC" : "—";

export default async function ExcerptPage({ params }: { params: Promise<{ workspace: string; id: string }> }) {
  const { workspace } = await requireWorkspacePage(params, "any");
  const id = parseBigIntPathId((await params).id);
  if (id === null) notFound();
  let history: TExcerptHistory;
  try {
    history = await getExcerptHistory({ workspaceId: workspace.id, excerptId: id });
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  }
  const categories = await listCategories({ workspaceId: workspace.id });
  const byId = new Map(categories.map((c) => [c.id, c]));
  const { excerpt, decisions, predictions, conversation, queue } = history;

  return (
    <div className="mx-auto max-w-[1400px] px-4 py-4">
      <div className="mb-2 text-[13px]">
        <Link href={workspacePath(workspace.slug, "excerpts")} className="text-indigo-600 hover:underline">
          ← Excerpts
        </Link>
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_380px]">
        <div className="min-w-0 space-y-4">
          <section className="rounded-lg border border-slate-200 bg-white">
            <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 px-3 py-2 text-xs text-slate-500">
              <span className="font-mono">#{excerpt.id}</span>
              {excerpt.externalId && <span className="font-mono">ext {excerpt.externalId}</span>}
              <span className="rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700">{excerpt.source === "voice" ? "Voice" : "Text"}</span>
              {excerpt.game && <span>{excerpt.game}</span>}
              {excerpt.channel && <span>#{excerpt.channel}</span>}
              <span>{excerpt.speakerId ?? "unknown speaker"}</span>
              <span>{when(excerpt.occurredAt)}</span>
              {excerpt.heldOut && <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-800">held-out test</span>}
              <span className="ml-auto flex items-center gap-2">
                Current label <CategoryChip category={excerpt.currentCategoryId ? byId.get(excerpt.currentCategoryId) : undefined} fallback="unlabelled" />
              </span>
            </header>
            <p className="px-3 py-4 text-[17px] leading-relaxed break-words whitespace-pre-wrap" data-testid="excerpt-text">
              <VisibleText text={excerpt.text} />
            </p>
            <footer className="border-t border-slate-100 px-3 py-2 text-xs text-slate-500">
              Queue:{" "}
              {queue
                ? `${queue.isOpen ? "open" : "closed"}${queue.isFlagged ? " · flagged" : ""}${queue.isAudit ? " · audit sample" : ""}${queue.leasedBy && queue.isOpen ? ` · leased to ${queue.leasedBy} until ${when(queue.leaseExpiresAt)}` : ""}`
                : "not queued"}
              {excerpt.importBatchId && ` · import batch ${excerpt.importBatchId}`} · imported {when(excerpt.createdAt)}
            </footer>
          </section>

          <section className="rounded-lg border border-slate-200 bg-white">
            <h2 className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Decision history</h2>
            {decisions.length === 0 ? (
              <p className="px-3 py-6 text-center text-[13px] text-slate-500">No decisions yet.</p>
            ) : (
              <table className="w-full text-[13px]">
                <thead className="text-left text-[11px] text-slate-500">
                  <tr className="border-b border-slate-100">
                    <th className="px-3 py-1.5 font-medium">When</th>
                    <th className="px-3 py-1.5 font-medium">Who</th>
                    <th className="px-3 py-1.5 font-medium">Decision</th>
                    <th className="px-3 py-1.5 font-medium">Model suggested</th>
                    <th className="px-3 py-1.5 font-medium">Time</th>
                    <th className="px-3 py-1.5 font-medium">Note</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100" data-testid="decision-rows">
                  {decisions.map((d) => (
                    <tr key={d.id} className={d.isReversed ? "text-slate-500" : ""}>
                      <td className="px-3 py-1.5 text-xs whitespace-nowrap tabular-nums">{when(d.createdAt)}</td>
                      <td className="px-3 py-1.5">{d.userName}</td>
                      <td className="px-3 py-1.5">
                        <span className="flex flex-wrap items-center gap-1.5">
                          {d.kind === "label" && <CategoryChip category={d.categoryId ? byId.get(d.categoryId) : undefined} />}
                          {d.kind === "skip" && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">skipped</span>}
                          {d.kind === "reversal" && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">undo of #{d.reversesId}</span>}
                          {d.isReversed && <span className="text-xs line-through">reversed</span>}
                          {d.origin !== "queue" && <span className="text-[11px] text-slate-500">via {d.origin}</span>}
                          {d.isLateConflict && (
                            <span
                              className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800"
                              title="Arrived after the lease expired; kept"
                            >
                              late conflict
                            </span>
                          )}
                          {d.isAudit && <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-700">audit</span>}
                        </span>
                      </td>
                      <td className="px-3 py-1.5 text-xs">
                        {d.suggestedCategoryId ? (
                          <>
                            {byId.get(d.suggestedCategoryId)?.name ?? d.suggestedCategoryId}
                            {d.suggestedConfidence !== null && ` ${Math.round(d.suggestedConfidence * 100)}%`}
                            {d.kind === "label" && (
                              <span className={`ml-1 ${d.categoryId === d.suggestedCategoryId ? "text-emerald-700" : "text-rose-700"}`}>
                                {d.categoryId === d.suggestedCategoryId ? "agreed" : "corrected"}
                              </span>
                            )}
                            {d.modelVersion && <span className="ml-1 font-mono text-slate-500">{d.modelVersion}</span>}
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td className="px-3 py-1.5 text-xs tabular-nums">{d.durationMs !== null ? `${(d.durationMs / 1000).toFixed(1)} s` : "—"}</td>
                      <td className="max-w-64 px-3 py-1.5 text-xs break-words whitespace-pre-wrap">
                        <VisibleText text={d.note ?? ""} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="rounded-lg border border-slate-200 bg-white">
            <h2 className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Predictions by model version</h2>
            {predictions.length === 0 ? (
              <p className="px-3 py-6 text-center text-[13px] text-slate-500">Not scored by any model yet.</p>
            ) : (
              <table className="w-full text-[13px]">
                <thead className="text-left text-[11px] text-slate-500">
                  <tr className="border-b border-slate-100">
                    <th className="px-3 py-1.5 font-medium">Model</th>
                    <th className="px-3 py-1.5 font-medium">Suggested</th>
                    <th className="px-3 py-1.5 font-medium">Confidence</th>
                    <th className="px-3 py-1.5 font-medium">Toxic score</th>
                    <th className="px-3 py-1.5 font-medium">Probabilities</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {predictions.map((p) => (
                    <tr key={p.modelVersionId}>
                      <td className="px-3 py-1.5 font-mono text-xs">
                        {p.modelVersion} <span className="font-sans text-slate-500">{p.isActive ? "active" : p.modelStatus}</span>
                      </td>
                      <td className="px-3 py-1.5">
                        <CategoryChip category={byId.get(p.suggestedCategoryId)} />
                      </td>
                      <td className="px-3 py-1.5 tabular-nums">{Math.round(p.confidence * 100)}%</td>
                      <td className="px-3 py-1.5 tabular-nums">{p.toxicScore.toFixed(3)}</td>
                      <td className="px-3 py-1.5">
                        <span
                          className="flex h-3 w-48 overflow-hidden rounded bg-slate-100"
                          title={p.categoryIds.map((cid, i) => `${byId.get(cid)?.name ?? cid}: ${(p.probs[i] ?? 0).toFixed(3)}`).join("\n")}
                        >
                          {p.categoryIds.map((cid, i) => (
                            <span key={cid} style={{ width: `${(p.probs[i] ?? 0) * 100}%`, backgroundColor: byId.get(cid)?.color ?? "#94a3b8" }} />
                          ))}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>

        <aside className="rounded-lg border border-slate-200 bg-white lg:self-start">
          <h2 className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Conversation {excerpt.conversationId && <span className="font-mono normal-case">{excerpt.conversationId}</span>}
          </h2>
          {conversation.length === 0 ? (
            <p className="px-3 py-6 text-center text-[13px] text-slate-500">No conversation recorded for this line.</p>
          ) : (
            <ol className="max-h-[70vh] overflow-y-auto py-1 text-[13px]">
              {conversation.map((line) => {
                const isCurrent = line.id === excerpt.id;
                return (
                  <li key={line.id} className={`px-3 py-1 ${isCurrent ? "border-l-4 border-indigo-500 bg-indigo-50" : "border-l-4 border-transparent"}`}>
                    <div className="flex items-center gap-2 text-[11px] text-slate-600">
                      <span className="font-mono tabular-nums">{line.occurredAt ? new Date(line.occurredAt).toISOString().slice(11, 19) : "—"}</span>
                      <span className="font-medium text-slate-700">{line.speakerId ?? "unknown"}</span>
                      {line.currentCategoryId && <CategoryChip category={byId.get(line.currentCategoryId)} />}
                    </div>
                    {isCurrent ? (
                      <div className="break-words whitespace-pre-wrap">
                        <VisibleText text={line.text} />
                      </div>
                    ) : (
                      <Link
                        href={workspacePath(workspace.slug, `excerpts/${line.id}`)}
                        className="block break-words whitespace-pre-wrap text-slate-700 hover:text-indigo-700"
                      >
                        <VisibleText text={line.text} />
                      </Link>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </aside>
      </div>
    </div>
  );
}
