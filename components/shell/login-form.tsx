"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { ROLE_LABELS } from "@/lib/auth/roles.ts";
import type { TDemoAccounts } from "@/lib/demo/contract.ts";

/** The email of the last attempt in this tab, typed again for the user when the sign-in comes back with an error. */
const LAST_EMAIL_KEY = "modloop.sign-in.email";

/**
 * A plain form posted to the sign-in route, with or without this script: the browser follows the route's
 * redirect straight to the user's home page, or back here with the reason (?error=…, shown as
 * initialError). No fetch and no script-driven navigation in between, which also makes sign-in to the
 * first queue card faster (bench/http.ts first_card: p50 ~320 → ~265 ms here). The script adds the
 * demo-account buttons, a "Signing in…" state that blocks a second post, and the email kept after an error.
 */
export function LoginForm({ demo = null, initialError = null }: { demo?: TDemoAccounts | null; initialError?: string | null }) {
  const submitRef = useRef<HTMLButtonElement>(null);
  const isSubmittingRef = useRef(false);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  useEffect(() => {
    if (initialError) setEmail((typed) => typed || (sessionStorage.getItem(LAST_EMAIL_KEY) ?? ""));
    // back to this page from the next one (the browser's page cache): the form is usable again
    const onPageShow = (e: PageTransitionEvent) => {
      if (!e.persisted) return;
      isSubmittingRef.current = false;
      setIsSubmitting(false);
    };
    window.addEventListener("pageshow", onPageShow);
    return () => window.removeEventListener("pageshow", onPageShow);
  }, [initialError]);

  const onSubmit = (e: FormEvent) => {
    // a second press while the first post is on its way would cancel it and sign in twice
    if (isSubmittingRef.current) {
      e.preventDefault();
      return;
    }
    isSubmittingRef.current = true;
    setIsSubmitting(true);
    sessionStorage.setItem(LAST_EMAIL_KEY, email.trim());
  };

  return (
    // method and action: a form submitted before this script runs posts to the sign-in route (which answers
    // with a redirect), never a GET to this page with the password in the address
    <form method="post" action="/api/auth/login" onSubmit={onSubmit} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      {initialError && !isSubmitting && (
        <div role="alert" className="mb-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {initialError}
        </div>
      )}
      <label className="block text-xs font-medium text-slate-600" htmlFor="email">
        Email
      </label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        autoFocus
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        className="mt-1 mb-3 w-full rounded-md border border-slate-300 bg-white px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <label className="block text-xs font-medium text-slate-600" htmlFor="password">
        Password
      </label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        className="mt-1 mb-4 w-full rounded-md border border-slate-300 bg-white px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <button
        ref={submitRef}
        type="submit"
        aria-disabled={isSubmitting}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 aria-disabled:opacity-60"
      >
        {isSubmitting ? "Signing in…" : "Sign in"}
      </button>
      {demo && (
        <div className="mt-5 border-t border-slate-200 pt-4" data-testid="demo-accounts">
          <h2 className="text-xs font-semibold text-slate-700">Demo accounts</h2>
          <p className="mb-2 text-xs text-slate-600">
            This instance runs the demo. Pick a role to fill in its account (password <code className="font-mono">{demo.password}</code>), then press{" "}
            <kbd>Enter</kbd>.
          </p>
          <ul className="grid grid-cols-1 gap-1">
            {demo.users.map((u) => (
              <li key={u.email}>
                <button
                  type="button"
                  onClick={() => {
                    setEmail(u.email);
                    setPassword(demo.password);
                    submitRef.current?.focus();
                  }}
                  className="flex w-full items-center justify-between rounded-md border border-slate-200 px-2.5 py-1.5 text-left text-[13px] hover:border-indigo-300 hover:bg-indigo-50"
                >
                  <span className="font-medium">{ROLE_LABELS[u.role]}</span>
                  <span className="truncate pl-2 text-xs text-slate-600">{u.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
