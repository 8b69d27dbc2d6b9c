import type { ReactNode } from "react";

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      <div className="min-w-0 flex-1">
        <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
        {description && <p className="text-[13px] text-slate-500">{description}</p>}
      </div>
      {actions}
    </div>
  );
}

export const inputClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-[13px] outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-100";
/** A native file input drawn as a button and the chosen file's name (the browser's default is bare text). */
export const fileInputClass =
  "max-w-full rounded-md border border-dashed border-slate-300 bg-slate-50 px-2 py-1 text-xs text-slate-700 hover:border-indigo-400 file:mr-2 file:cursor-pointer file:rounded-md file:border file:border-solid file:border-slate-300 file:bg-white file:px-2.5 file:py-1 file:text-[13px] file:font-medium file:text-slate-800 hover:file:bg-slate-100";
export const buttonClass = "rounded-md bg-slate-900 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-slate-700 disabled:opacity-50";
export const secondaryButtonClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-[13px] hover:bg-slate-50 disabled:opacity-50";

export function ErrorBanner({ error }: { error: { message: string } | null | undefined }) {
  if (!error) return null;
  return (
    <div role="alert" className="mb-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-[13px] text-rose-800">
      {error.message}
    </div>
  );
}
