import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { sameOrigin, signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("a data scientist creates a snapshot, watches it finish and downloads it; the export is recorded", async ({ page }) => {
  await signIn(page, E2E_USERS.data_scientist);
  await page.goto("/w/default/datasets");
  await expect(page.getByRole("heading", { name: "Datasets" })).toBeVisible();
  const name = `e2e snapshot ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Label rule").selectOption("majority");
  await page.getByRole("button", { name: "Create snapshot" }).click();

  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByText("done")).toBeVisible({ timeout: 30_000 });
  const rows = Number((await row.locator("td").nth(5).innerText()).replace(/[^0-9]/g, ""));
  expect(rows).toBeGreaterThan(0);

  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^modloop-.+-snapshot-\d+\.tar\.gz$/);
  const dir = mkdtempSync(path.join(tmpdir(), "modloop-e2e-snapshot-"));
  const archive = path.join(dir, download.suggestedFilename());
  await download.saveAs(archive);
  execFileSync("tar", ["-xzf", archive, "-C", dir]);
  const root = path.join(dir, download.suggestedFilename().replace(/\.tar\.gz$/, ""));
  const manifest = JSON.parse(readFileSync(path.join(root, "manifest.json"), "utf8"));
  expect(manifest.params.name).toBe(name);
  expect(manifest.params.labelRule).toBe("majority");
  expect(manifest.counts.rows).toBe(rows);
  expect(readFileSync(path.join(root, "dataset.jsonl"), "utf8").trim().split("\n")).toHaveLength(rows);
  expect(readFileSync(path.join(root, "hf/README.md"), "utf8")).toContain("class_label");

  await withE2eDb(async (db) => {
    const { rows: log } = await db.query<{ action: string }>(
      `SELECT l.action FROM export_log l JOIN app_user u ON u.id = l.user_id WHERE u.email = $1 AND l.snapshot_id = $2 ORDER BY l.id`,
      [E2E_USERS.data_scientist, manifest.snapshotId],
    );
    expect(log.map((r) => r.action)).toEqual(["create", "download"]);
  });
});

test("a moderator can neither open the datasets page nor export through the API", async ({ page }) => {
  await signIn(page, E2E_USERS.moderator);
  await page.goto("/w/default/datasets");
  await expect(page).toHaveURL(/\/forbidden$/);
  const create = await page.request.post("/api/w/default/datasets/snapshots", { data: { params: {} }, headers: sameOrigin(page) });
  expect(create.status()).toBe(403);
  const list = await page.request.get("/api/w/default/datasets/snapshots");
  expect(list.status()).toBe(403);
  const download = await page.request.get("/api/w/default/datasets/snapshots/1/download");
  expect(download.status()).toBe(403);
});
