/**
 * The sign-in → first excerpt measurement (issue 14's first_card_p95_ms), shared by bench/http.ts, which
 * records it, and anyone diagnosing it on a kept database: one fresh Chromium context per email, each
 * signing in through the login page and waiting for the queue's first card.
 */
import { chromium } from "playwright-core";

/** Where a sample's time went, each from the click, in the page's own clock (Navigation and Paint Timing). */
export const FIRST_CARD_STEPS = ["sign_in_answered", "page_first_byte", "page_last_byte", "first_contentful_paint", "dom_content_loaded"] as const;

export type TFirstCardSample = { total_ms: number; in_page_ms: number | null; frame_start_ms: number | null; steps: Record<string, number | null> };

/**
 * Runs in every document of a first-card sample, before the page's own scripts: the sign-in button's click
 * event stores its wall-clock time (surviving the navigation in sessionStorage), and the queue page records
 * when the excerpt's text was painted: the Element Timing API's renderTime for the element marked
 * elementtiming="excerpt-text" (components/queue/queue-card-view.tsx), i.e. when the frame that shows it
 * was presented. Their difference is what the moderator waits, without Playwright's own checks before the
 * event and its polling after it. Also recorded: the start of the first animation frame after the text
 * entered the DOM (the figure of record until 2026-12-07), which comes before that frame's style, layout
 * and paint (~80–130 ms here).
 */
// A string, not a function: tsx compiles this file with helpers (__name) that do not exist in the page.
const PAINTED_SIGNAL = "bench:first-card-painted";
const MARK_FIRST_CARD = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  document.addEventListener("click", (event) => {
    if (event.target && event.target.closest && event.target.closest("form button")) sessionStorage.setItem("bench.clickAt", String(now()));
  }, true);
  const observer = new MutationObserver(() => {
    if (window.__firstCardFrameAt || !document.querySelector('[data-testid="queue-card"] [data-testid="excerpt-text"]')) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstCardFrameAt = now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // (renderTime 0: not painted yet, or hidden from this page; such an entry gives no time)
      if (entry.identifier !== "excerpt-text" || !entry.renderTime || window.__firstCardAt) continue;
      window.__firstCardAt = performance.timeOrigin + entry.renderTime;
      console.debug("${PAINTED_SIGNAL}");
    }
  }).observe({ type: "element", buffered: true });
})();`;

export async function firstCard(baseUrl: string, emails: string[], password: string): Promise<TFirstCardSample[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const samples: TFirstCardSample[] = [];
  try {
    for (const email of emails) {
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
      await context.addInitScript({ content: MARK_FIRST_CARD });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      const button = page.getByRole("button", { name: "Sign in" });
      await button.waitFor();
      const startedAt = performance.now();
      // Waited for through the page's console, which Playwright already listens to: a locator's waitFor would
      // inject Playwright's ~330 KB selector script into the new document while it loads, on the renderer's
      // main thread before the first frame (~20–45 ms there in a trace): the harness's cost, not the app's.
      const painted = page.waitForEvent("console", { predicate: (m) => m.text() === PAINTED_SIGNAL, timeout: 30_000 });
      await button.click();
      await painted;
      const total = performance.now() - startedAt;
      await page.getByTestId("queue-card").getByTestId("excerpt-text").waitFor({ timeout: 5_000 });
      const inPage = await page.evaluate(() => {
        const clickAt = Number(sessionStorage.getItem("bench.clickAt"));
        const marks = window as unknown as { __firstCardAt?: number; __firstCardFrameAt?: number };
        // (no helper function here: tsx would wrap it in a __name() call that does not exist in the page)
        // the queue page's navigation, which began with the sign-in's POST (answered by a 303: the redirect)
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
        const fcp = performance.getEntriesByName("first-contentful-paint")[0];
        const at = [nav?.redirectEnd, nav?.responseStart, nav?.responseEnd, fcp?.startTime, nav?.domContentLoadedEventEnd];
        return {
          painted: clickAt > 0 && marks.__firstCardAt ? marks.__firstCardAt - clickAt : null,
          frameStart: clickAt > 0 && marks.__firstCardFrameAt ? marks.__firstCardFrameAt - clickAt : null,
          stepsAt: at.map((t) => (clickAt > 0 && t ? Math.round(performance.timeOrigin + t - clickAt) : null)),
        };
      });
      samples.push({
        total_ms: total,
        in_page_ms: inPage.painted,
        frame_start_ms: inPage.frameStart,
        steps: Object.fromEntries(FIRST_CARD_STEPS.map((step, i) => [step, inPage.stepsAt[i]])),
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return samples;
}
