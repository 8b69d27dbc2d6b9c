/**
 * Why a sign-in sent as a plain HTML form failed, as the login page is told it: the route answers a
 * form with a redirect back to /login?error=<reason>, and the page shows the message for that reason.
 * A fixed vocabulary, never a message taken from the address: a crafted link can then only show one of
 * these texts, not words of an attacker's choosing. (A sign-in sent by the page's script gets the full
 * message, with its exact waiting time, in the JSON answer instead.)
 */
import { formatWait } from "./sign-in-throttle.ts";
import type { TErrorCode } from "@/lib/errors.ts";

export const SIGN_IN_FAILURES = {
  credentials: "Email or password is wrong. Check both and try again.",
  throttled: "Too many failed sign-in attempts. Wait a minute and try again, or ask an admin to reset your password.",
  deactivated: "This account is deactivated. Ask an admin to reactivate it.",
  "cross-site": "Sign-in refused: the form was sent from another site. Open this page from the app's own address and sign in here.",
  incomplete: "Enter your email and your password.",
  "too-long": "What was sent is longer than any email and password can be. Check what was pasted into the fields.",
  unavailable: "The server could not sign you in just now. Try again in a few seconds.",
} as const;

export type TSignInFailure = keyof typeof SIGN_IN_FAILURES;

/** The reason for an error code from the sign-in route (anything unexpected reads as "try again"). */
export function signInFailureOf(code: TErrorCode | undefined, isCrossSite = false): TSignInFailure {
  if (isCrossSite) return "cross-site";
  switch (code) {
    case "UNAUTHENTICATED":
      return "credentials";
    case "RATE_LIMITED":
      return "throttled";
    case "FORBIDDEN":
      return "deactivated";
    case "PAYLOAD_TOO_LARGE":
      return "too-long";
    case "VALIDATION":
    case "BAD_INPUT":
    case "UNSUPPORTED_MEDIA_TYPE":
      return "incomplete";
    default:
      return "unavailable";
  }
}

const first = (raw: string | string[] | undefined) => (Array.isArray(raw) ? raw[0] : raw);

/**
 * The message for /login?error=…[&wait=<seconds>], or null for no or an unknown reason (ignored, not
 * echoed). The wait, a whole number of seconds up to a day, says how long a throttled sign-in waits.
 */
export function signInFailureMessage(rawReason: string | string[] | undefined, rawWait?: string | string[]): string | null {
  const reason = first(rawReason);
  if (reason === undefined || !Object.hasOwn(SIGN_IN_FAILURES, reason)) return null;
  const waitS = Number(first(rawWait));
  if (reason === "throttled" && Number.isInteger(waitS) && waitS >= 1 && waitS <= 86_400) {
    return `Too many failed sign-in attempts. Wait ${formatWait(waitS)} and try again, or ask an admin to reset your password.`;
  }
  return SIGN_IN_FAILURES[reason as TSignInFailure];
}

/** Where the sign-in route sends a form back to after a failure. */
export function signInFailurePath(reason: TSignInFailure, retryAfterS?: number): string {
  return `/login?error=${reason}${reason === "throttled" && retryAfterS ? `&wait=${Math.ceil(retryAfterS)}` : ""}`;
}
