import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors.ts";
import { formatIssues, ZWebhookInput, type TWebhookInput, type TWebhookSummary } from "@/lib/serving/contract.ts";
import { checkWebhookUrl } from "@/lib/webhooks/webhook-url.ts";
import { queryRunner } from "../db/transaction.ts";
import { toWebhookSummary, WEBHOOK_COLUMNS, type TWebhookRow } from "./webhook-row.ts";
import { webhookSettings } from "./webhook-settings.ts";

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * Adds a webhook to a workspace (admin UI). The signing secret is in the result; the receiver verifies
 * each delivery with it (lib/webhooks/signature.ts, README). The caller has checked the user's rights.
 */
export async function createWebhook(options: {
  workspaceId: number;
  createdById?: number | null;
  input: TWebhookInput;
}): Promise<TWebhookSummary & { secret: string }> {
  const parsed = ZWebhookInput.safeParse(options.input);
  if (!parsed.success) throw new AppError("VALIDATION", formatIssues(parsed.error.issues));
  const input = parsed.data;
  const checked = checkWebhookUrl(input.url, webhookSettings());
  if ("error" in checked) throw new AppError("VALIDATION", checked.error);
  const secret = newWebhookSecret();
  const { rows } = await queryRunner().query<TWebhookRow>(
    `INSERT INTO webhook (workspace_id, name, url, secret, events, is_active, created_by_id)
     SELECT w.id, $2, $3, $4, $5, $6, $7 FROM workspace w WHERE w.id = $1
     RETURNING ${WEBHOOK_COLUMNS}`,
    [options.workspaceId, input.name, checked.url, secret, input.events, input.isActive, options.createdById ?? null],
  );
  if (!rows[0]) throw new AppError("NOT_FOUND", `Workspace ${options.workspaceId} does not exist.`);
  return { ...toWebhookSummary(rows[0]), secret };
}
