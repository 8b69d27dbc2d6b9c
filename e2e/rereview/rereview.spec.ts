import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";
import { withE2eDb } from "../support/database.ts";
import { E2E_USERS } from "../support/fixture.ts";

test("a senior moderator re-reviews a suspected label error: sees who labelled it, the out-of-fold distribution and the twin's label, keeps it with K", async ({
  page,
}) => {
  // a label by the first moderator that a training run's out-of-fold probabilities doubt, as detection stores it,
  // with a twin (same text) the second moderator labelled otherwise
  const excerptId = await withE2eDb(async (db) => {
    const { rows: ws } = await db.query<{ id: number }>(`SELECT id FROM workspace WHERE slug = 'default'`);
    const workspaceId = ws[0].id;
    const { rows: cats } = await db.query<{ id: number; name: string }>(
      `SELECT id, name FROM category WHERE workspace_id = $1 AND name IN ('Insult', 'Not toxic')`,
      [workspaceId],
    );
    const insult = cats.find((c) => c.name === "Insult")!.id;
    const ok = cats.find((c) => c.name === "Not toxic")!.id;
    const ex = async (key: string, category: number) =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id) VALUES ($1, $2, 'gg well played, see you next round', $3) RETURNING id::text`,
          [workspaceId, key, category],
        )
      ).rows[0].id;
    const suspect = await ex("e2e-rereview-suspect", insult);
    const twin = await ex("e2e-rereview-twin", ok);
    const label = async (id: string, email: string, category: number) =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id)
         SELECT $1, $2::bigint, id, 'label', 'queue', $4 FROM app_user WHERE email = $3 RETURNING id::text`,
          [workspaceId, id, email, category],
        )
      ).rows[0].id;
    const decisionId = await label(suspect, E2E_USERS.moderator, insult);
    await label(twin, E2E_USERS.moderator2, ok);
    const allCats = (await db.query<{ id: number }>(`SELECT id FROM category WHERE workspace_id = $1 AND is_active ORDER BY id`, [workspaceId])).rows.map(
      (r) => r.id,
    );
    const { rows: mv } = await db.query<{ id: number }>(
      `INSERT INTO model_version (workspace_id, version, kind, manifest, onnx, category_ids) VALUES ($1, 'e2e-rereview-v1', 'hashed-linear', '{}', '\\x00', $2) RETURNING id`,
      [workspaceId, allCats],
    );
    await db.query(
      `INSERT INTO label_suspect (workspace_id, excerpt_id, model_version_id, category_id, label_decision_id, labelled_by_id, suggested_category_id, probs, quality, peer_excerpt_ids)
       SELECT $1, $2::bigint, $3, $4, $5::bigint, (SELECT id FROM app_user WHERE email = $6), $7, $8::real[], 0.01, ARRAY[$9::bigint]`,
      [workspaceId, suspect, mv[0].id, insult, decisionId, E2E_USERS.moderator, ok, allCats.map((c) => (c === ok ? 0.87 : 0.13 / (allCats.length - 1))), twin],
    );
    return suspect;
  });

  // a plain moderator neither sees the link nor gets in
  await signIn(page, E2E_USERS.moderator);
  await expect(page.getByRole("link", { name: "Re-review" })).toHaveCount(0);
  await page.goto("/w/default/rereview");
  await expect(page).toHaveURL(/\/forbidden$/);
  await page.context().clearCookies();

  await withE2eDb((db) => db.query(`UPDATE app_user SET is_senior = true WHERE email = $1`, [E2E_USERS.moderator2]));
  await signIn(page, E2E_USERS.moderator2);
  await page.getByRole("link", { name: "Re-review" }).click();
  await expect(page.getByRole("heading", { name: "Re-review" })).toBeVisible();
  await expect(page.getByTestId("queue-card")).toHaveAttribute("data-excerpt-id", excerptId);
  const current = page.getByTestId("rereview-current-label");
  await expect(current).toContainText("Insult");
  await expect(current).toContainText("Not toxic"); // the likely label
  await expect(page.getByTestId("rereview-out-of-fold")).toContainText("87%");
  await expect(page.getByTestId("rereview-near-duplicates")).toContainText("Not toxic");

  await page.keyboard.press("k");
  await expect(page.getByTestId("rereview-empty")).toBeVisible();

  const stored = await withE2eDb(async (db) => {
    const { rows } = await db.query<{ name: string; status: string; is_corrected: boolean }>(
      `SELECT c.name, s.status, s.is_corrected FROM decision d JOIN category c ON c.id = d.category_id JOIN label_suspect s ON s.decision_id = d.id
        WHERE d.excerpt_id = $1::bigint AND d.origin = 'rereview'`,
      [excerptId],
    );
    await db.query(`UPDATE app_user SET is_senior = false WHERE email = $1`, [E2E_USERS.moderator2]);
    return rows;
  });
  expect(stored).toEqual([{ name: "Insult", status: "resolved", is_corrected: false }]);
});
