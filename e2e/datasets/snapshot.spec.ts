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

  // one file on its own, from the snapshot's file list: the same bytes as in the archive
  const files = page.getByRole("table", { name: `Files of snapshot ${manifest.snapshotId}` });
  await expect(files.getByTestId("snapshot-file")).toHaveCount(manifest.files.length + 1);
  const [one] = await Promise.all([page.waitForEvent("download"), files.getByRole("link", { name: "Download hf/train.jsonl" }).click()]);
  expect(one.suggestedFilename()).toBe(`snapshot-${manifest.snapshotId}-hf_train.jsonl`);
  const single = path.join(dir, one.suggestedFilename());
  await one.saveAs(single);
  expect(readFileSync(single, "utf8")).toBe(readFileSync(path.join(root, "hf/train.jsonl"), "utf8"));

  await withE2eDb(async (db) => {
    const { rows: log } = await db.query<{ action: string }>(
      `SELECT l.action FROM export_log l JOIN app_user u ON u.id = l.user_id WHERE u.email = $1 AND l.snapshot_id = $2 ORDER BY l.id`,
      [E2E_USERS.data_scientist, manifest.snapshotId],
    );
    expect(log.map((r) => r.action)).toEqual(["create", "download", "download"]);
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
  const file = await page.request.get("/api/w/default/datasets/snapshots/1/files?path=dataset.jsonl");
  expect(file.status()).toBe(403);
});

test("comparing a newer snapshot as the older one is refused before and after the click, and Swap fixes it", async ({ page }) => {
  await signIn(page, E2E_USERS.data_scientist);
  await page.goto("/w/default/datasets");
  const ids: number[] = [];
  for (const name of ["compare older", "compare newer"]) {
    const res = await page.request.post("/api/w/default/datasets/snapshots", { data: { params: { name, formats: ["jsonl"] } }, headers: sameOrigin(page) });
    expect(res.status()).toBeLessThan(300);
    ids.push((await res.json()).snapshot.id);
  }
  const [older, newer] = ids;
  await expect
    .poll(
      async () => {
        const { snapshots } = (await (await page.request.get("/api/w/default/datasets/snapshots")).json()) as { snapshots: { id: number; status: string }[] };
        return ids.map((id) => snapshots.find((s) => s.id === id)?.status);
      },
      { timeout: 60_000 },
    )
    .toEqual(["done", "done"]);
  await page.reload();
  const compare = page.getByRole("region", { name: "Compare snapshots" });
  await compare.getByRole("combobox", { name: /^Older/ }).selectOption(String(newer));
  await compare.getByRole("combobox", { name: /^Newer/ }).selectOption(String(older));
  await expect(compare.getByTestId("compare-problem")).toHaveText(new RegExp(`#${newer} is newer than #${older}: "Older" must be the earlier snapshot`));
  await expect(compare.getByRole("button", { name: "Compare" })).toBeDisabled();
  // the server refuses the same pair on its own, naming the field
  const refused = await page.request.get(`/api/w/default/datasets/diff?before=${newer}&after=${older}`);
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error.message).toMatch(/before must be the older snapshot/);
  await compare.getByRole("button", { name: "Swap them" }).click();
  await expect(compare.getByTestId("compare-problem")).toHaveCount(0);
  await compare.getByRole("button", { name: "Compare" }).click();
  await expect(compare.getByRole("status")).toContainText("added");
});

test("at 1024×768 the date filters stay inside the create form and write the chosen day with a month name", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, E2E_USERS.data_scientist);
  await page.goto("/w/default/datasets");
  const form = page.getByRole("form", { name: "Create snapshot" });
  const to = form.getByLabel("To (exclusive)");
  await to.fill("2026-11-12");
  await expect(form.getByTestId("date-reads-as").nth(1)).toHaveText("12 Nov 2026");
  const formBox = (await form.boundingBox())!;
  for (const field of [form.getByLabel("From"), to]) {
    const box = (await field.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(formBox.x);
    expect(box.x + box.width).toBeLessThanOrEqual(formBox.x + formBox.width);
  }
  // the column the fields sit in: the To field ends inside its grid cell (it overflowed the card before)
  const cell = (await to.locator("xpath=ancestor::div[contains(@class,'grid-cols-2')]").boundingBox())!;
  const toBox = (await to.boundingBox())!;
  expect(toBox.x + toBox.width).toBeLessThanOrEqual(cell.x + cell.width + 0.5);
});
