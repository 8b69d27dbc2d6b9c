import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TVersionMetrics } from "@/lib/evaluation/index.ts";
import { tarEnd, tarHeader, tarPadding } from "@/lib/export/tar.ts";
import { getPool } from "../db/pool.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { registerModelUpload } from "./register-model-upload.ts";
import { unpackModelUpload, type TUploadedFile } from "./unpack-model-upload.ts";

const BUNDLE = path.resolve(import.meta.dirname, "../model/transformer/fixtures/tiny-bundle");
let drop: () => Promise<void>;
let workspaceId: number;
let files: TUploadedFile[];

function tarGz(entries: TUploadedFile[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) parts.push(tarHeader({ name: e.name, size: e.bytes.length, mtimeMs: 0 }), e.bytes, tarPadding(e.bytes.length));
  parts.push(tarEnd());
  return gzipSync(Buffer.concat(parts));
}

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  workspaceId = (await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('up', 'up') RETURNING id`)).rows[0].id;
  const ids: number[] = [];
  for (const [i, [name, isNonToxic]] of ([["Non-toxic", true], ["Insult", false], ["Threat", false]] as const).entries()) {
    ids.push((await pool.query<{ id: number }>(`INSERT INTO category (workspace_id, name, is_non_toxic, sort_order) VALUES ($1, $2, $3, $4) RETURNING id`, [workspaceId, name, isNonToxic, i])).rows[0].id);
  }
  const gold = [
    ["gg well played everyone", ids[0]],
    ["you are a worthless idiot", ids[1]],
    ["i will find you and hurt you", ids[2]],
    ["nice shot, thanks", ids[0]],
  ] as const;
  for (const [i, [text, cat]] of gold.entries()) {
    await pool.query(`INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id, held_out) VALUES ($1, $2, $3, $4, true)`, [workspaceId, `g${i}`, text, cat]);
  }
  files = await Promise.all(["manifest.json", "model.onnx", "tokenizer.json"].map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(BUNDLE, name))) })));
});

afterAll(async () => {
  await releaseModelSessions();
  await drop();
});

describe("unpackModelUpload", () => {
  it("reads a .tar.gz of the folder, whatever its sub-folder", () => {
    const unpacked = unpackModelUpload([{ name: "tiny.tar.gz", bytes: tarGz(files.map((f) => ({ ...f, name: `out/tiny-bundle/${f.name}` }))) }]);
    expect(JSON.parse(unpacked.manifestJson).version).toBe("tiny-fixture");
    expect(new Uint8Array(unpacked.onnx)).toEqual(files[1].bytes);
    expect(unpacked.tokenizerJson).toBe(new TextDecoder().decode(files[2].bytes));
  });

  it("says what is missing or unsupported", () => {
    expect(() => unpackModelUpload([])).toThrow(/Choose/);
    expect(() => unpackModelUpload([files[1], files[2]])).toThrow(/no manifest.json/);
    expect(() => unpackModelUpload([files[0], files[2]])).toThrow(/no model.onnx/);
    expect(() => unpackModelUpload([{ name: "m.zip", bytes: new Uint8Array(4) }])).toThrow(/Zip/);
    expect(() => unpackModelUpload([{ name: "m.tar.gz", bytes: new Uint8Array([1, 2, 3]) }])).toThrow(/not a valid gzip/);
  });
});

describe("registerModelUpload", () => {
  it("registers the uploaded folder as a candidate and evaluates it on the gold set", async () => {
    const registered = await registerModelUpload({ workspaceId, files: [{ name: "tiny.tgz", bytes: tarGz(files) }], uploadedById: null });
    expect(registered).toMatchObject({ version: "tiny-fixture", kind: "transformer", goldN: 4 });
    const { rows } = await getPool().query<{ status: string; metrics: TVersionMetrics }>(`SELECT status::text, metrics FROM model_version WHERE id = $1`, [registered.id]);
    expect(rows[0].status).toBe("candidate");
    expect(rows[0].metrics.evaluation?.n).toBe(4);
    expect(rows[0].metrics.evaluation?.fineGrained.perCategory.map((c) => c.label)).toEqual(["Non-toxic", "Insult", "Threat"]);
  });

  it("refuses the same version twice (files picked one by one), registering nothing", async () => {
    await expect(registerModelUpload({ workspaceId, files, uploadedById: null })).rejects.toMatchObject({ code: "CONFLICT" });
    const { rows } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM model_version WHERE workspace_id = $1`, [workspaceId]);
    expect(rows[0].n).toBe(1);
  });
});
