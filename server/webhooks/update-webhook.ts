import { AppError } from "@/lib/errors.ts";
import { formatIssues, ZWebhookPatch, type TWebhookPatch, type TWebhookSummary } from "@/lib/serving/contract.ts";
import { checkWebhookUrl } from "@/lib/webhooks/webhook-url.ts";
import { queryRunner } from "../db/transaction.ts";
import { newWebhookSecret } from "./create-webhook.ts";
import { isInt4Id, toWebhookSummary, WEBHOOK_COLUMNS, type TWebhookRow } from "./webhook-row.ts";
import { webhookSettings } from "./webhook-settings.ts";

/**
 * Changes a webhook's name, URL, events or active flag, or rotates its secret (the new secret is in the
 * result, once). Deliveries already queued are signed with the secret current when they are sent.
 * A webhook of another workspace is NOT_FOUND.
 */
export async function updateWebhook(options: { workspaceId: number; webhookId: number; patch: TWebhookPatch }): Promise<TWebhookSummary> {
  const parsed = ZWebhookPatch.safeParse(options.patch);
  if (!parsed.success) throw new AppError("VALIDATION", formatIssues(parsed.error.issues));
  const patch = parsed.data;
  let url: string | null = null;
  if (patch.url !== undefined) {
    const checked = checkWebhookUrl(patch.url, webhookSettings());
    if ("error" in checked) throw new AppError("VALIDATION", checked.error);
    url = checked.url;
  }
  const secret = patch.rotateSecret ? newWebhookSecret() : null;
  const { rows } = !isInt4Id(options.webhookId)
    ? { rows: [] as TWebhookRow[] }
    : await queryRunner().query<TWebhookRow>(
        `UPDATE webhook SET name = coalesce($3, name), url = coalesce($4, url), events = coalesce($5, events),
                is_active = coalesce($6, is_active), secret = coalesce($7, secret), updated_at = now()
          WHERE id = $1 AND workspace_id = $2 RETURNING ${WEBHOOK_COLUMNS}`,
        [options.webhookId, options.workspaceId, patch.name ?? null, url, patch.events ?? null, patch.isActive ?? null, secret],
      );
  if (!rows[0]) throw new AppError("NOT_FOUND", `Webhook ${options.webhookId} does not exist in this workspace.`);
  return { ...toWebhookSummary(rows[0]), ...(secret ? { secret } : {}) };
}
