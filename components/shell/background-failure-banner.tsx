"use client";

import { useBackgroundFailures } from "@/components/hooks/use-background-failures.ts";
import { formatDateTime } from "@/lib/format/date.ts";
import { describeBackgroundFailure } from "@/lib/jobs/contract.ts";

/**
 * Background work that failed for good (scoring, training, re-ranking, a snapshot), shown on every page of
 * the workspace to those who can act on it, until the task next succeeds: before, only the worker's log said so.
 */
export function BackgroundFailureBanner() {
  const { data } = useBackgroundFailures();
  if (!data || data.length === 0) return null;
  return (
    <div role="alert" aria-label="Background task failures" className="border-b border-rose-200 bg-rose-50 px-4 py-2 text-[13px] text-rose-900">
      {data.map((f) => {
        const { title, detail } = describeBackgroundFailure(f);
        return (
          <p key={f.task} className="py-0.5">
            <strong>{title}.</strong> {detail} <span className="text-rose-700">Last failed {formatDateTime(f.failedAt)}.</span>
          </p>
        );
      })}
    </div>
  );
}
