/** Renders SVG documents to PNG files in the system Chromium (Playwright cannot download one offline). */
import { writeFile } from "node:fs/promises";
import { chromium } from "playwright";

export async function svgsToPngs(items: { svg: string; file: string; width: number; height: number }[]): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    for (const item of items) {
      // 2× device pixels: readable when the README scales the image down
      const page = await browser.newPage({ viewport: { width: item.width, height: item.height }, deviceScaleFactor: 2 });
      await page.setContent(`<!doctype html><html><body style="margin:0">${item.svg}</body></html>`);
      await writeFile(item.file, await page.locator("svg").screenshot({ type: "png" }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
