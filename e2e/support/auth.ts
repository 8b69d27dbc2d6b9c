import { expect, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "./fixture.ts";

export async function signIn(page: Page, email: string, password = E2E_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // the first sign-in on a fresh server also loads the password-hashing workers and the workspace pages
  // (10 s on the shared 2-core machine under load), so this waits longer than an ordinary assertion
  await expect(page).not.toHaveURL(/\/login/, { timeout: 30_000 });
}

/**
 * The Origin header a browser puts on the app's own POST/PUT/PATCH requests. `page.request` (Playwright's
 * API client) sends none, and the server refuses state-changing requests without it (CSRF), so specs
 * that call the API directly say where they come from — the page's own origin.
 */
export const sameOrigin = (page: Page) => ({ origin: new URL(page.url()).origin });

/**
 * The queue's first cards are in the server-rendered HTML, so they are visible before the page has
 * hydrated and its keyboard handler is attached; a key pressed in between does nothing. Specs that
 * press keys wait for the queue to say its keys work.
 */
export async function queueKeysReady(page: Page): Promise<void> {
  await expect(page.getByTestId("review-queue")).toHaveAttribute("data-keyboard-ready", "true", { timeout: 15_000 });
}
