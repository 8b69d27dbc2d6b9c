import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The (app) layout looks up no session (a second query on every page load, see its comment): every page
 * under it must check the session itself. A new page that forgets to fails here, found on disk.
 */

const APP_DIR = import.meta.dirname;

function pageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pageFiles(path.join(dir, e.name)) : e.name === "page.tsx" ? [path.join(dir, e.name)] : [],
  );
}

describe("pages under app/(app)", () => {
  const pages = pageFiles(APP_DIR);

  it("are found", () => {
    expect(pages.length).toBeGreaterThan(10);
  });

  it.each(pages.map((p) => [path.relative(APP_DIR, p)]))("%s checks the session before rendering", (file) => {
    const source = readFileSync(path.join(APP_DIR, file), "utf8");
    expect(source).toMatch(/await (requireWorkspacePage|requirePageUser)\(/);
  });
});
