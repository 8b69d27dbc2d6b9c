import { z } from "zod";
import { ZColumnMapping } from "@/lib/import/mapping.ts";
import { afterCommit } from "@/server/db/transaction.ts";
import { withRoute } from "@/server/http/route.ts";
import { importRecords, MAX_RECORDS_PER_BATCH } from "@/server/ingest/import-records.ts";
import { enqueueScoring } from "@/server/jobs/enqueue.ts";

export const runtime = "nodejs";

const ZImportRecordsBody = z.object({
  records: z
    .array(z.unknown())
    .min(1, "Send at least one record")
    .max(MAX_RECORDS_PER_BATCH, `At most ${MAX_RECORDS_PER_BATCH} records per request: split the batch`),
  mapping: ZColumnMapping.optional(),
  labelMap: z.record(z.string().trim().min(1), z.string().trim().min(1)).optional(),
  heldOut: z.boolean().optional(),
});

// a full batch of long records is a few MiB of JSON; the body is read (and capped) before parsing
// POST /api/w/:workspace/excerpts – imports a batch of excerpt records; bad records are reported by index, the rest kept.
// With an Idempotency-Key, a retried batch answers with the first summary and records no second import (its
// chunks commit on their own connections; were the key lost with a crash, a rerun skips the rows as duplicates).
export const POST = withRoute(
  { workspace: true, roles: ["admin", "data_scientist"], body: ZImportRecordsBody, maxBodyBytes: 32 * 1024 ** 2, idempotent: "excerpts.import" },
  async ({ workspace, body, user }) => {
    const summary = await importRecords({ workspaceId: workspace.id, userId: user.id, ...body });
    // a hint to the workers: the periodic sweep scores anything a failed enqueue misses
    if (summary.insertedRows > 0)
      await afterCommit(() =>
        enqueueScoring(workspace.id)
          .then(() => {})
          .catch((err: unknown) => console.error("[excerpts] could not queue scoring", (err as Error).message)),
      );
    return summary;
  },
);
