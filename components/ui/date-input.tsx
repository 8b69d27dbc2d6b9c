"use client";

import { useId, type InputHTMLAttributes } from "react";
import { formatDayKey } from "@/lib/format/date.ts";

/**
 * A native date input (its picker and keyboard entry) with the chosen day written out beneath it in
 * the UI's one date style ("12 Nov 2026"). The browser draws the field in its own locale's numeric
 * order (11/12/2026 in en-US is 12 November; in en-GB it is 11 December), which the page cannot
 * change; the line under it says which day was meant, and is the field's accessible description.
 */
export function DateInput({
  value,
  wrapperClassName = "",
  ...props
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "value"> & { value: string; wrapperClassName?: string }) {
  const id = useId();
  return (
    <span className={`inline-flex flex-col gap-0.5 ${wrapperClassName}`}>
      <input type="date" value={value} aria-describedby={id} {...props} />
      {/* aria-hidden keeps it out of a wrapping label's name; aria-describedby still reads it */}
      <span id={id} aria-hidden="true" data-testid="date-reads-as" className="text-[11px] leading-4 text-slate-600 empty:hidden">
        {value ? formatDayKey(value) : ""}
      </span>
    </span>
  );
}
