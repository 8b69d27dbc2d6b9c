import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { normalisePassword } from "./normalise-password.ts";

/**
 * The password policy, after NIST SP 800-63B: a minimum length, no composition rules, a check against
 * common and easily guessed passwords (zxcvbn's estimator with its ~49,000 most common passwords and
 * English words, keyboard walks, repeats, sequences, dates and l33t spellings), and the person's own
 * details. Passwords are compared after Unicode NFKC normalisation, as they are hashed.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** generous for passphrases and password managers; argon2 has no length limit, this only bounds work */
export const PASSWORD_MAX_LENGTH = 256;
/** zxcvbn score 3 = "safely unguessable": about 10^8 guesses or more, even knowing the common lists */
export const PASSWORD_MIN_SCORE = 3;

/** Words that make a password easy to guess here whoever sets it. */
const SITE_WORDS = ["modloop", "moderation", "moderator", "toxic"];

let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  // built on first use: loading the dictionaries takes ~150 ms
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return estimator;
}

export type TPasswordCheck = { isAcceptable: true } | { isAcceptable: false; problem: string };

/**
 * Whether a new password is acceptable. userInputs: the person's email, name and similar, which must not
 * make up most of the password. The problem says what to do instead.
 */
export function checkPasswordPolicy(password: string, userInputs: readonly string[] = []): TPasswordCheck {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { isAcceptable: false, problem: `Use at least ${PASSWORD_MIN_LENGTH} characters (this has ${length}); a few unrelated words make a good one.` };
  }
  if (length > PASSWORD_MAX_LENGTH) return { isAcceptable: false, problem: `Use at most ${PASSWORD_MAX_LENGTH} characters.` };
  if (normalised.trim() === "") return { isAcceptable: false, problem: "A password of only spaces is too easy to guess." };
  // the email's local part and the name's words count as separate inputs, so "ada.lovelace2024…" is caught
  const inputs = [...SITE_WORDS, ...userInputs.flatMap((v) => [v, ...v.toLowerCase().split(/[^\p{L}\p{N}]+/u)])].filter((v) => v.length >= 3);
  // what is left once the person's details and the site's words are taken out must be a password by itself
  const lowered = normalised.toLowerCase();
  const rest = inputs.reduce((text, word) => text.replaceAll(word.toLowerCase(), ""), lowered).replace(/[^\p{L}\p{N}]/gu, "");
  if ([...rest].length < 8) {
    return {
      isAcceptable: false,
      problem: "Most of this password is your name, your email or this site's name. Choose words that have nothing to do with you or modloop.",
    };
  }
  const result = zxcvbn().check(normalised, inputs);
  if (result.score < PASSWORD_MIN_SCORE) {
    const warning = result.feedback.warning ?? "This password is too easy to guess.";
    return { isAcceptable: false, problem: `${warning.replace(/\.?$/, ".")} Choose a longer one, for example three or four unrelated words.` };
  }
  return { isAcceptable: true };
}

/** A new password checked against the policy, without the person's details (add those with checkPasswordPolicy where known). */
export const ZNewPassword = z.string().superRefine((password, ctx) => {
  const check = checkPasswordPolicy(password);
  if (!check.isAcceptable) ctx.addIssue({ code: "custom", message: check.problem });
});

/** Throws VALIDATION naming the field when the password breaks the policy for this person. */
export function assertPasswordPolicy(password: string, userInputs: readonly string[], field = "password"): void {
  const check = checkPasswordPolicy(password, userInputs);
  if (!check.isAcceptable) throw new AppError("VALIDATION", `body.${field}: ${check.problem}`, [{ path: [field], message: check.problem }]);
}
