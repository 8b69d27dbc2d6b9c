import { AppError } from "@/lib/errors.ts";
import { generateApiKey } from "@/lib/serving/api-key.ts";
import { formatIssues, ZCreateApiKeyInput, type TApiKeySummary, type TCreateApiKeyInput } from "@/lib/serving/contract.ts";
import { queryRunner } from "../db/transaction.ts";
import { toApiKeySummary, type TApiKeyRow, API_KEY_COLUMNS } from "./api-key-row.ts";

/**
 * Creates a machine-API key for a workspace (admin UI, `npm run apikey -- create`). The key is in the
 * result once and never again: only its SHA-256 is stored. The caller has checked that the user may
 * administer this workspace.
 */
export async function createApiKey(options: {
  workspaceId: number;
  createdById?: number | null;
  input: TCreateApiKeyInput;
}): Promise<TApiKeySummary & { key: string }> {
  const parsed = ZCreateApiKeyInput.safeParse(options.input);
  if (!parsed.success) throw new AppError("VALIDATION", formatIssues(parsed.error.issues));
  const input = parsed.data;
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new AppError("VALIDATION", "expiresAt: pick a time in the future.");
  const { key, prefix, keyHash } = generateApiKey();
  const { rows } = await queryRunner().query<TApiKeyRow>(
    `INSERT INTO api_key (workspace_id, name, prefix, key_hash, scopes, rate_limit_per_minute, expires_at, created_by_id)
     SELECT w.id, $2, $3, $4, $5, $6, $7, $8 FROM workspace w WHERE w.id = $1
     RETURNING ${API_KEY_COLUMNS}`,
    [options.workspaceId, input.name, prefix, keyHash, input.scopes, input.rateLimitPerMinute, input.expiresAt, options.createdById ?? null],
  );
  if (!rows[0]) throw new AppError("NOT_FOUND", `Workspace ${options.workspaceId} does not exist.`);
  return { ...toApiKeySummary(rows[0]), key };
}
