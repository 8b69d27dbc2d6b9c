import { DEMO_TAXONOMY } from "@/lib/demo/demo-taxonomy.ts";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-users.ts";
import { generateDemoChat, type TDemoLine } from "@/lib/demo/generate-demo-chat.ts";
import { AppError } from "@/lib/errors.ts";
import { hashPassword } from "../auth/password.ts";
import { db } from "../db/client.ts";
import { getPool } from "../db/pool.ts";
import { evaluateModelVersion } from "../evaluation/evaluate-model-version.ts";
import { selectGoldSet } from "../evaluation/select-gold-set.ts";
import { importRecords, MAX_RECORDS_PER_BATCH } from "../ingest/import-records.ts";
import { scorePendingExcerpts } from "../model/score-pending-excerpts.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { spaceQueueHead } from "../queue/space-queue-head.ts";
import { seedReviewHistory } from "./seed-review-history.ts";

export const DEMO_WORKSPACE_SLUG = "demo";
export const DEMO_IMPORT_FILENAME = "demo-game-chat (generated)";

export type TSeedDemoOptions = {
  /** smaller demos for tests; default is the full demo (120 matches, ~3,000 lines) */
  conversations?: number;
  /** add two weeks of simulated review history (default true) */
  hasReviewHistory?: boolean;
  log?: (message: string) => void;
};

export type TSeedDemoResult = {
  workspaceId: number;
  createdCategories: number;
  createdUsers: number;
  importedExcerpts: number;
  labelledExcerpts: number;
  /** null when the workspace already had an active model */
  trainedModelVersionId: number | null;
  scoredExcerpts: number;
  durationMs: number;
};

function toRecord(line: TDemoLine): Record<string, string> {
  const record: Record<string, string> = {
    external_id: line.externalId,
    text: line.text,
    source: line.source,
    game: line.game,
    channel: line.channel,
    conversation_id: line.conversationId,
    speaker_id: line.speakerId,
    occurred_at: line.occurredAt,
  };
  if (line.label) record.label = line.label;
  return record;
}

/**
 * Creates (or completes) the demo workspace: the six-category taxonomy, one account per role, the
 * generated game chat with its ~100 labelled lines, then trains and activates the default model
 * and scores every excerpt so the queue is ready. Idempotent: each step only adds what is missing
 * and never overwrites what an admin has changed, so seeding twice changes nothing.
 */
export async function seedDemoWorkspace(opts: TSeedDemoOptions = {}): Promise<TSeedDemoResult> {
  const log = opts.log ?? (() => {});
  const startedAt = Date.now();
  const prisma = db();

  const workspace = await prisma.workspace.upsert({
    where: { slug: DEMO_WORKSPACE_SLUG },
    create: { slug: DEMO_WORKSPACE_SLUG, name: "Demo: game chat" },
    update: {},
  });

  const { count: createdCategories } = await prisma.category.createMany({
    data: DEMO_TAXONOMY.map((c) => ({ workspaceId: workspace.id, ...c })),
    skipDuplicates: true,
  });
  const nonToxic = await prisma.category.count({ where: { workspaceId: workspace.id, isNonToxic: true, isActive: true } });
  if (nonToxic !== 1) {
    throw new AppError(
      "CONFLICT",
      `The demo workspace has ${nonToxic} active non-toxic categories; it needs exactly one. Fix the taxonomy in Admin → Taxonomy.`,
    );
  }

  let createdUsers = 0;
  const demoEmails = DEMO_USERS.map((u) => u.email);
  const existing = new Set((await prisma.user.findMany({ where: { email: { in: demoEmails } }, select: { email: true } })).map((u) => u.email));
  // On an install that already has its own accounts, the demo's admin (whose password is published) must
  // not become an instance admin, who could open every workspace: it administers the demo workspace only,
  // through its membership. On a fresh demo install it is the instance admin, as the README says.
  const hasOwnAccounts = (await prisma.user.count({ where: { email: { notIn: demoEmails } } })) > 0;
  for (const user of DEMO_USERS) {
    if (existing.has(user.email)) continue;
    const instanceRole = user.role === "admin" && hasOwnAccounts ? "moderator" : user.role;
    await prisma.user.create({ data: { ...user, role: instanceRole, passwordHash: await hashPassword(DEMO_PASSWORD) } });
    createdUsers++;
  }
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_USERS.find((u) => u.role === "admin")!.email } });
  // the demo accounts are members of the demo workspace with their demo role (and of nothing else)
  const demoRole = new Map(DEMO_USERS.map((u) => [u.email, u.role]));
  const demoUsers = await prisma.user.findMany({ where: { email: { in: demoEmails } }, select: { id: true, email: true } });
  await prisma.workspaceMember.createMany({
    data: demoUsers.map((u) => ({ workspaceId: workspace.id, userId: u.id, role: demoRole.get(u.email)! })),
    skipDuplicates: true,
  });

  const lines = generateDemoChat(opts.conversations ? { conversations: opts.conversations } : {});
  // Re-importing would be harmless (external ids dedup), but it would add an empty import batch
  // to the history each time; skip it when every demo line is already there.
  const present = await prisma.excerpt.count({ where: { workspaceId: workspace.id, externalId: { in: lines.map((l) => l.externalId) } } });
  let importedExcerpts = 0;
  let labelledExcerpts = 0;
  if (present < lines.length) {
    for (let i = 0; i < lines.length; i += MAX_RECORDS_PER_BATCH) {
      const summary = await importRecords({
        workspaceId: workspace.id,
        userId: admin.id,
        records: lines.slice(i, i + MAX_RECORDS_PER_BATCH).map(toRecord),
        filename: DEMO_IMPORT_FILENAME,
      });
      if (summary.errorRows > 0) {
        throw new AppError("INTERNAL", `The demo import rejected ${summary.errorRows} rows, first: ${JSON.stringify(summary.errors.slice(0, 3))}`);
      }
      importedExcerpts += summary.insertedRows;
      labelledExcerpts += summary.labelledRows;
    }
    log(`imported ${importedExcerpts} demo excerpts (${labelledExcerpts} labelled)`);
  }

  let trainedModelVersionId: number | null = null;
  const current = await prisma.workspace.findUniqueOrThrow({ where: { id: workspace.id }, select: { activeModelVersionId: true } });
  if (current.activeModelVersionId === null) {
    const trainStartedAt = Date.now();
    const trained = await trainModelVersion({ workspaceId: workspace.id, trainedById: admin.id, activate: true });
    trainedModelVersionId = trained.modelVersionId;
    log(`trained and activated the default model in ${Date.now() - trainStartedAt} ms`);
  }

  const scoreStartedAt = Date.now();
  let scoredExcerpts = 0;
  for (;;) {
    const { scored } = await scorePendingExcerpts({ workspaceId: workspace.id });
    if (scored === 0) break;
    scoredExcerpts += scored;
  }
  if (scoredExcerpts > 0) {
    // as the scoring worker does: near-duplicates in the head of the queue wait behind the rest
    const spaced = await spaceQueueHead({ workspaceId: workspace.id });
    log(`scored ${scoredExcerpts} excerpts in ${Date.now() - scoreStartedAt} ms; ${spaced.demoted} near-duplicates in the queue head wait`);
  }

  // Two weeks of simulated review on a new demo, so the dashboard and registry show real trends.
  if (trainedModelVersionId !== null && opts.hasReviewHistory !== false) {
    const history = await seedReviewHistory({ workspaceId: workspace.id, conversations: opts.conversations, log });
    if (history.promotedModelVersionId !== null) trainedModelVersionId = history.promotedModelVersionId;
    // the registry opens with every version measured on the same gold set, side by side
    const goldSet = await selectGoldSet({ workspaceId: workspace.id });
    if (goldSet.items.length > 0) {
      const { rows: versions } = await getPool().query<{ id: number }>(`SELECT id FROM model_version WHERE workspace_id = $1 ORDER BY id`, [workspace.id]);
      for (const v of versions) await evaluateModelVersion({ modelVersionId: v.id, goldSet });
      log(`evaluated ${versions.length} model versions on ${goldSet.items.length} gold labels`);
    }
  }

  return {
    workspaceId: workspace.id,
    createdCategories,
    createdUsers,
    importedExcerpts,
    labelledExcerpts,
    trainedModelVersionId,
    scoredExcerpts,
    durationMs: Date.now() - startedAt,
  };
}

/** True when the database holds no workspace yet: `npm start` seeds the demo only then. */
export async function isDatabaseEmpty(): Promise<boolean> {
  return (await db().workspace.count()) === 0;
}
