import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { getServingSettings } from "./get-serving-settings.ts";
import { setCategoryAttribute } from "./set-category-attribute.ts";
import { updateRoutingSettings } from "./update-routing-settings.ts";

/** The server functions the admin page for the machine API will call: routing and attribute names. */
let drop: () => Promise<void>;
let ws: number;
let other: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('a', 'A'), ('b', 'B') RETURNING id`);
  [ws, other] = rows.map((r) => r.id);
  for (const [i, name] of ["Harassment", "Hate", "Spam", "Non-toxic"].entries()) {
    const { rows: c } = await getPool().query<{ id: number }>(
      `INSERT INTO category (workspace_id, name, sort_order, is_non_toxic) VALUES ($1, $2, $3, $4) RETURNING id`,
      [ws, name, i, name === "Non-toxic"],
    );
    ids[name] = c[0].id;
  }
});

afterAll(async () => {
  await drop();
});

describe("machine API settings", () => {
  it("start with the defaults: flagged lines routed, uncertain within 0.1, 1% audit; attributes matched by name", async () => {
    const s = await getServingSettings({ workspaceId: ws });
    expect(s).toMatchObject({ isRouteFlagged: true, routeUncertainMargin: 0.1, routeAuditShare: 0.01 });
    expect(s.attributes.map((a) => [a.name, a.attribute, a.isExplicit])).toEqual([
      ["Harassment", "INSULT", false],
      ["Hate", "IDENTITY_ATTACK", false],
      ["Spam", "SPAM", false],
      ["Non-toxic", null, false],
    ]);
  });

  it("change routing, naming the field on bad values", async () => {
    expect(await updateRoutingSettings({ workspaceId: ws, settings: { routeUncertainMargin: null, routeAuditShare: 0.05 } })).toMatchObject({
      isRouteFlagged: true,
      routeUncertainMargin: null,
      routeAuditShare: 0.05,
    });
    expect(await updateRoutingSettings({ workspaceId: ws, settings: { isRouteFlagged: false } })).toMatchObject({
      isRouteFlagged: false,
      routeUncertainMargin: null,
      routeAuditShare: 0.05,
    });
    await expect(updateRoutingSettings({ workspaceId: ws, settings: { routeAuditShare: 2 } })).rejects.toThrow(/routeAuditShare is between 0 and 1/);
    await expect(updateRoutingSettings({ workspaceId: ws, settings: { routeUncertainMargin: 0 } })).rejects.toThrow(/routeUncertainMargin is above 0/);
    await expect(updateRoutingSettings({ workspaceId: 99_999, settings: {} })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("map a category to an attribute; refuse TOXICITY, bad names, the non-toxic class, a taken name and other workspaces", async () => {
    const s = await setCategoryAttribute({ workspaceId: ws, categoryId: ids.Spam, attribute: "severe_toxicity" });
    expect(s.attributes.find((a) => a.name === "Spam")).toMatchObject({ attribute: "SEVERE_TOXICITY", isExplicit: true });
    await expect(setCategoryAttribute({ workspaceId: ws, categoryId: ids.Hate, attribute: "TOXICITY" })).rejects.toThrow(/TOXICITY is the toxic score/);
    await expect(setCategoryAttribute({ workspaceId: ws, categoryId: ids.Hate, attribute: "not ok" })).rejects.toThrow(/upper-case letters/);
    await expect(setCategoryAttribute({ workspaceId: ws, categoryId: ids["Non-toxic"], attribute: "CALM" })).rejects.toThrow(/only toxic categories/);
    await expect(setCategoryAttribute({ workspaceId: ws, categoryId: ids.Hate, attribute: "SEVERE_TOXICITY" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(setCategoryAttribute({ workspaceId: other, categoryId: ids.Hate, attribute: "THREAT" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const cleared = await setCategoryAttribute({ workspaceId: ws, categoryId: ids.Spam, attribute: null });
    expect(cleared.attributes.find((a) => a.name === "Spam")).toMatchObject({ attribute: "SPAM", isExplicit: false });
  });
});
