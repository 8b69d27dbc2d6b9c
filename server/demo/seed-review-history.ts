import { DEMO_USERS } from "@/lib/demo/demo-users.ts";
import { createRng, generateDemoChat } from "@/lib/demo/generate-demo-chat.ts";
import { refreshDashboard } from "../dashboard/refresh-dashboard.ts";
import { db } from "../db/client.ts";
import { getPool } from "../db/pool.ts";
import { inTransaction } from "../db/transaction.ts";
import { scorePendingExcerpts } from "../model/score-pending-excerpts.ts";
import { requeueWorkspace } from "../queue/requeue-workspace.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { spaceQueueHead } from "../queue/space-queue-head.ts";
import { calibrateThreshold } from "../evaluation/calibrate-threshold.ts";
import { detectLabelErrors } from "../label-errors/detect-label-errors.ts";

/**
 * Moves a version ($1 names it in the WHERE clause) to the simulated past: trained 20 minutes before
 * its promotion at $2. A built-in version's name carries its training time (linear-YYYYMMDD-HHMMSS-mmm,
 * shortened on the dashboard to "linear 22 Nov 08:40"), so the name moves with it: otherwise the chart
 * marks a promotion on 22 Nov with a version named after the day the demo was seeded.
 */
const BACKDATE_VERSION = `
  UPDATE model_version SET
    promoted_at = $2::timestamptz,
    created_at = $2::timestamptz - interval '20 minutes',
    version = CASE WHEN version ~ '^linear-\\d{8}-\\d{6}-\\d{3}$'
      THEN 'linear-' || to_char(($2::timestamptz - interval '20 minutes') AT TIME ZONE 'UTC', 'YYYYMMDD-HH24MISS-MS') ELSE version END,
    manifest = CASE WHEN version ~ '^linear-\\d{8}-\\d{6}-\\d{3}$'
      THEN jsonb_set(manifest::jsonb, '{version}', to_jsonb('linear-' || to_char(($2::timestamptz - interval '20 minutes') AT TIME ZONE 'UTC', 'YYYYMMDD-HH24MISS-MS'))) ELSE manifest END`;

/**
 * Gives the demo workspace two weeks of (simulated) review history, so the manager's dashboard and
 * the model registry have something true to show on a fresh install: the demo moderators review
 * excerpts the model ranked, right ~92% of the time against the generator's ground truth, with
 * realistic decision times, the audit slice and a 5% double-labelled overlap; after the first week a
 * second model version is trained on the new labels and promoted, and label-error detection queues the
 * moderators' likely slips for re-review. Decisions are back-dated; the
 * rows are ordinary decisions, so everything downstream (labels, exports, metrics) treats them as
 * real. Runs once: a workspace that already has queue decisions is left alone.
 */
export async function seedReviewHistory({
  workspaceId,
  conversations,
  perDay = 45,
  days = 14,
  log = () => {},
}: {
  workspaceId: number;
  conversations?: number;
  perDay?: number;
  days?: number;
  log?: (message: string) => void;
}): Promise<{ decisions: number; promotedModelVersionId: number | null }> {
  const pool = getPool();
  const { rows: already } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE workspace_id = $1 AND origin = 'queue'`, [
    workspaceId,
  ]);
  if (already[0].n > 0) return { decisions: 0, promotedModelVersionId: null };

  const truthByExternalId = new Map(generateDemoChat(conversations ? { conversations } : {}).map((l) => [l.externalId, l.intent]));
  const categories = await db().category.findMany({ where: { workspaceId }, select: { id: true, name: true } });
  const categoryIdByName = new Map(categories.map((c) => [c.name, c.id]));
  const moderators = await db().user.findMany({
    where: { email: { in: DEMO_USERS.filter((u) => u.role === "moderator").map((u) => u.email) } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  if (moderators.length < 2 || categories.length === 0) return { decisions: 0, promotedModelVersionId: null };
  const rng = createRng(424242);
  const dayStart = (daysAgo: number) => {
    const d = new Date();
    d.setUTCHours(0, 0, 0, 0);
    return d.getTime() - daysAgo * 86_400_000;
  };

  // the first version went live when the (simulated) review started
  await pool.query(`${BACKDATE_VERSION} WHERE workspace_id = $1 AND status = 'active'`, [workspaceId, new Date(dayStart(days) + 9 * 3_600_000)]);

  let decisions = 0;
  let promotedModelVersionId: number | null = null;
  const half = Math.floor(days / 2);
  for (const [weekStart, weekEnd] of [
    [days, half + 1],
    [half, 1],
  ] as const) {
    // the items the queue would serve first under the active model, as moderators would get them,
    // with the audit slice's share (10%) of random items
    const want = perDay * (weekStart - weekEnd + 1);
    const pick = (isAudit: boolean, limit: number) =>
      pool.query<{
        excerpt_id: string;
        external_id: string | null;
        is_audit: boolean;
        required_reviews: number;
        model_version_id: number;
        suggested_category_id: number;
        confidence: number;
        toxic_score: number;
      }>(
        `SELECT q.excerpt_id::text, e.external_id, q.is_audit, q.required_reviews, p.model_version_id, p.suggested_category_id, p.confidence, p.toxic_score
         FROM queue_item q JOIN excerpt e ON e.id = q.excerpt_id JOIN prediction p ON p.id = q.prediction_id
         WHERE q.workspace_id = $1 AND q.is_open AND q.is_audit = $2 ORDER BY q.priority DESC LIMIT $3`,
        [workspaceId, isAudit, limit],
      );
    const auditRows = (await pick(true, Math.ceil(want * 0.1))).rows;
    const items = [...auditRows, ...(await pick(false, want - auditRows.length)).rows];
    // interleave audit items (taken first above) through the days like the queue's random slots
    const audit = items.filter((i) => i.is_audit);
    const ranked = items.filter((i) => !i.is_audit);
    const ordered: typeof items = [];
    while (audit.length || ranked.length) {
      if (audit.length && (rng.next() < 0.1 || !ranked.length)) ordered.push(audit.shift()!);
      else ordered.push(ranked.shift()!);
    }
    const values: unknown[] = [];
    const tuples: string[] = [];
    const closed: string[] = [];
    ordered.forEach((item, i) => {
      const daysAgo = weekStart - Math.floor(i / perDay);
      const truth = categoryIdByName.get(truthByExternalId.get(item.external_id ?? "") ?? "") ?? item.suggested_category_id;
      const raters = item.required_reviews > 1 ? moderators.slice(0, 2) : [moderators[i % moderators.length]];
      raters.forEach((moderator, r) => {
        const isRight = rng.next() < 0.92;
        const categoryId = isRight ? truth : categories[Math.floor(rng.next() * categories.length)].id;
        // a working day from 14:00 UTC, decisions a few seconds apart
        const at = new Date(dayStart(daysAgo) + 14 * 3_600_000 + (i % perDay) * 95_000 + r * 40_000 + Math.floor(rng.next() * 30_000));
        const durationMs = Math.round(700 + rng.next() * rng.next() * 7000);
        values.push(
          workspaceId,
          item.excerpt_id,
          moderator.id,
          categoryId,
          item.model_version_id,
          item.suggested_category_id,
          item.confidence,
          item.toxic_score,
          item.is_audit,
          durationMs,
          at,
        );
        const b = values.length - 11;
        tuples.push(
          `($${b + 1}, $${b + 2}::bigint, $${b + 3}, 'label', 'queue', $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}, $${b + 11})`,
        );
      });
      closed.push(item.excerpt_id);
    });
    if (tuples.length === 0) break;
    await inTransaction(async (client) => {
      await client.query(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id,
                               suggested_confidence, toxic_score, is_audit, duration_ms, created_at)
         VALUES ${tuples.join(", ")}`,
        values,
      );
      // the derived label: the latest standing label (here: each excerpt's last inserted decision)
      await client.query(
        `UPDATE excerpt e SET current_category_id = d.category_id
         FROM (SELECT DISTINCT ON (excerpt_id) excerpt_id, category_id FROM decision
               WHERE workspace_id = $1 AND excerpt_id = ANY($2::bigint[]) ORDER BY excerpt_id, created_at DESC, id DESC) d
         WHERE e.id = d.excerpt_id`,
        [workspaceId, closed],
      );
      await client.query(`UPDATE queue_item SET is_open = false, leased_by_id = NULL, lease_expires_at = NULL WHERE excerpt_id = ANY($1::bigint[])`, [closed]);
    });
    decisions += tuples.length;
    log(`simulated ${tuples.length} review decisions, ${weekStart}–${weekEnd} days ago`);

    if (promotedModelVersionId === null) {
      // a data scientist retrains on the first week's labels and promotes the new version
      const admin = await db().user.findFirst({ where: { role: "data_scientist" }, select: { id: true } });
      const trained = await trainModelVersion({ workspaceId, trainedById: admin?.id ?? null, activate: true });
      promotedModelVersionId = trained.modelVersionId;
      const promotedAt = new Date(dayStart(half) + 9 * 3_600_000);
      await pool.query(`${BACKDATE_VERSION} WHERE id = $1`, [trained.modelVersionId, promotedAt]);
      for (;;) if ((await scorePendingExcerpts({ workspaceId })).scored === 0) break;
      await spaceQueueHead({ workspaceId });
      log(`trained and promoted ${trained.version} on the first week's labels`);
      // as the training job does: the out-of-fold probabilities of the new labels find the moderators' slips
      const suspects = await detectLabelErrors({ modelVersionId: trained.modelVersionId });
      log(`queued ${suspects.queued} of ${suspects.examined} labels for re-review as likely errors`);
      // …and calibrates the flag threshold on the gold set (audit-slice labels) for precision ≥ 0.6
      try {
        const calibrated = await calibrateThreshold({ workspaceId, target: { metric: "precision", atLeast: 0.6 } });
        await requeueWorkspace({ workspaceId });
        log(`calibrated the flag threshold ${calibrated.previousThreshold} → ${calibrated.threshold.toFixed(3)} on ${calibrated.n} gold labels`);
      } catch (err) {
        log(`kept the flag threshold: ${(err as Error).message}`);
      }
    }
  }
  await refreshDashboard();
  return { decisions, promotedModelVersionId };
}
