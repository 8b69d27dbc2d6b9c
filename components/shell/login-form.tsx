"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { ROLE_LABELS } from "@/lib/auth/roles.ts";
import type { TDemoAccounts } from "@/lib/demo/contract.ts";

/** The email of the last attempt in this tab, typed again for the user when the sign-in comes back with an error. */
const LAST_EMAIL_KEY = "modloop.sign-in.email";
/** A post that has not left the page by then (the user pressed Stop, the network dropped it) frees the button again. */
const SUBMIT_STUCK_MS = 15_000;

/** sessionStorage, where the browser allows it (it throws where storage is blocked): the email is a convenience. */
const lastEmail = {
  read: () => {
    try {
      return sessionStorage.getItem(LAST_EMAIL_KEY);
    } catch {
      return null;
    }
  },
  write: (email: string) => {
    try {
      sessionStorage.setItem(LAST_EMAIL_KEY, email);
    } catch {}
  },
};

/**
 * A plain form posted to the sign-in route, with or without this script: the browser follows the route's
 * redirect straight to the user's home page, or back here with the reason (?error=…, shown as
 * initialError). No fetch and no script-driven navigation in between, which also makes sign-in to the
 * first queue card faster (bench/http.ts first_card: p50 ~320 → ~265 ms here). The inputs are the
 * browser's own (uncontrolled): what was typed or autofilled before this script ran is what gets posted.
 * The script adds the demo-account buttons, a "Signing in…" state that blocks a second post, and the
 * email kept after an error.
 */
export function LoginForm({ demo = null, initialError = null }: { demo?: TDemoAccounts | null; initialError?: string | null }) {
  const submitRef = useRef<HTMLButtonElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const isSubmittingRef = useRef(false);
  const stuckTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [isSubmitting, setIsSubmitting] = useState(false);

  useEffect(() => {
    const email = emailRef.current;
    const kept = initialError ? lastEmail.read() : null;
    if (email && kept && !email.value) {
      email.value = kept;
      passwordRef.current?.focus(); // the email is there again: the password is what to type
    }
    const release = () => {
      isSubmittingRef.current = false;
      setIsSubmitting(false);
    };
    // back to this page from the next one (the browser's page cache): the form is usable again
    const onPageShow = (e: PageTransitionEvent) => {
      if (e.persisted) release();
    };
    window.addEventListener("pageshow", onPageShow);
    return () => {
      window.removeEventListener("pageshow", onPageShow);
      clearTimeout(stuckTimer.current);
    };
  }, [initialError]);

  const onSubmit = (e: FormEvent) => {
    // a second press while the first post is on its way would cancel it and sign in twice
    if (isSubmittingRef.current) {
      e.preventDefault();
      return;
    }
    isSubmittingRef.current = true;
    setIsSubmitting(true);
    lastEmail.write(emailRef.current?.value.trim() ?? "");
    stuckTimer.current = setTimeout(() => {
      isSubmittingRef.current = false;
      setIsSubmitting(false);
    }, SUBMIT_STUCK_MS);
  };

  const fillDemo = (email: string, password: string) => {
    if (emailRef.current) emailRef.current.value = email;
    if (passwordRef.current) passwordRef.current.value = password;
    submitRef.current?.focus();
  };
  const errorId = initialError && !isSubmitting ? "sign-in-error" : undefined;

  return (
    // method and action: a form submitted before this script runs posts to the sign-in route (which answers
    // with a redirect), never a GET to this page with the password in the address
    <form method="post" action="/api/auth/login" onSubmit={onSubmit} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      {initialError && !isSubmitting && (
        <div id="sign-in-error" role="alert" className="mb-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
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
        ref={emailRef}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className="mt-1 mb-3 w-full rounded-md border border-slate-300 bg-white px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <label className="block text-xs font-medium text-slate-600" htmlFor="password">
        Password
      </label>
      <input
        ref={passwordRef}
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className="mt-1 mb-4 w-full rounded-md border border-slate-300 bg-white px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <button
        ref={submitRef}
        type="submit"
        aria-disabled={isSubmitting}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 aria-disabled:cursor-wait aria-disabled:bg-indigo-600 aria-disabled:opacity-60"
      >
        <span aria-live="polite">{isSubmitting ? "Signing in…" : "Sign in"}</span>
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
                  onClick={() => fillDemo(u.email, demo.password)}
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
