/** Renders SVG documents to PNG files in the system Chromium (Playwright cannot download one offline). */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "@playwright/test";

export async function svgsToPngs(items: { svg: string; file: string; width: number; height: number }[]): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const item of items) {
      // 2× device pixels: readable when the README scales the image down
      const page = await browser.newPage({ viewport: { width: item.width, height: item.height }, deviceScaleFactor: 2 });
      await page.setContent(`<!doctype html><html><body style="margin:0">${item.svg}</body></html>`);
      // a clean clone has no bench/tmp yet
      await mkdir(path.dirname(item.file), { recursive: true });
      await writeFile(item.file, await page.locator("svg").screenshot({ type: "png" }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
