import { readFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { createGzip, gunzipSync as gunzip, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TVersionMetrics } from "@/lib/evaluation/index.ts";
import { tarEnd, tarHeader, tarPadding } from "@/lib/export/tar.ts";
import { getPool } from "../db/pool.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { MODEL_UPLOAD_LIMITS, readModelUpload } from "./read-model-upload.ts";
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
  for (const [i, [name, isNonToxic]] of (
    [
      ["Non-toxic", true],
      ["Insult", false],
      ["Threat", false],
    ] as const
  ).entries()) {
    ids.push(
      (
        await pool.query<{ id: number }>(`INSERT INTO category (workspace_id, name, is_non_toxic, sort_order) VALUES ($1, $2, $3, $4) RETURNING id`, [
          workspaceId,
          name,
          isNonToxic,
          i,
        ])
      ).rows[0].id,
    );
  }
  const gold = [
    ["gg well played everyone", ids[0]],
    ["you are a worthless idiot", ids[1]],
    ["i will find you and hurt you", ids[2]],
    ["nice shot, thanks", ids[0]],
  ] as const;
  for (const [i, [text, cat]] of gold.entries()) {
    await pool.query(`INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id, held_out) VALUES ($1, $2, $3, $4, true)`, [
      workspaceId,
      `g${i}`,
      text,
      cat,
    ]);
  }
  files = await Promise.all(
    ["manifest.json", "model.onnx", "tokenizer.json"].map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(BUNDLE, name))) })),
  );
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
    const { rows } = await getPool().query<{ status: string; metrics: TVersionMetrics }>(`SELECT status::text, metrics FROM model_version WHERE id = $1`, [
      registered.id,
    ]);
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

function uploadRequest(parts: { name: string; bytes: Uint8Array }[]): Request {
  const form = new FormData();
  for (const p of parts) form.append("files", new Blob([new Uint8Array(p.bytes)]), p.name);
  return new Request("http://modloop.test/api/models/upload", { method: "POST", body: form });
}

/** A .tar.gz holding model.onnx of `size` zero bytes, gzipped as a stream (never in memory whole). */
async function zeroBomb(size: number): Promise<Uint8Array> {
  async function* tar() {
    yield tarHeader({ name: "model.onnx", size, mtimeMs: 0 });
    const zeros = new Uint8Array(1024 ** 2);
    for (let left = size; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
    yield tarPadding(size);
    yield tarEnd();
  }
  return new Uint8Array(await buffer(Readable.from(tar()).pipe(createGzip({ level: 1 }))));
}

describe("readModelUpload (streams the request with caps)", () => {
  it("registers a .tar.gz and the files picked one by one, read from a real multipart request", async () => {
    const fromArchive = await readModelUpload(uploadRequest([{ name: "bundle.tar.gz", bytes: tarGz(files.map((f) => ({ ...f, name: `dir/${f.name}` }))) }]));
    expect(fromArchive.map((f) => f.name).sort()).toEqual(["dir/manifest.json", "dir/model.onnx", "dir/tokenizer.json"]);
    expect(unpackModelUpload(fromArchive).onnx).toEqual(files[1].bytes);
    const oneByOne = await readModelUpload(uploadRequest(files));
    expect(unpackModelUpload(oneByOne).tokenizerJson).toBe(new TextDecoder().decode(files[2].bytes));
  });

  it("skips archive entries that are not model files without keeping them", async () => {
    const junk = { name: "dir/checkpoint/optimizer.pt", bytes: new Uint8Array(3 * 1024 ** 2).fill(7) };
    const kept = await readModelUpload(uploadRequest([{ name: "b.tgz", bytes: tarGz([...files, junk]) }]));
    expect(kept.map((f) => f.name)).not.toContain(junk.name);
  });

  // Finding 5: a 4.7 MB upload holding 1 GiB of zeros took the web process to 2.34 GB and blocked every request for 7.2 s.
  it("stops a decompression bomb early: 413, memory growth far below its size, the event loop free", async () => {
    const bomb = await zeroBomb(512 * 1024 ** 2);
    expect(bomb.length).toBeLessThan(5 * 1024 ** 2);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let ticks = 0;
    const sampler = setInterval(() => {
      ticks++;
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    const startedAt = performance.now();
    const error = await readModelUpload(uploadRequest([{ name: "model.tar.gz", bytes: bomb }])).catch((e: unknown) => e);
    const elapsed = performance.now() - startedAt;
    clearInterval(sampler);
    expect(error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/decompression bomb/) });
    // Far below the 512 MiB the bomb expands to. This process's RSS is a loose proxy: it also holds the test's
    // own multipart encoding of the upload and zlib buffers not yet collected (no --expose-gc under vitest),
    // ~110 MB on this machine's Node 20 at the old 50 MB bound. The figure of record is the web process's
    // growth over HTTP, decompression_bomb_rss_growth_mb in bench/results/security.json (2.6 MB, goal ≤ 50).
    expect((peak - before) / 1024 ** 2).toBeLessThan(200);
    // Stopping at the expansion cap takes well under a second on an idle machine; the bound is loose
    // because a loaded 2-core CI box once took 2-9 s. Memory above is the figure that matters.
    expect(elapsed).toBeLessThan(15_000);
    expect(ticks).toBeGreaterThan(0);
  });

  it("refuses too many archive entries, too many files, and a JSON file over its cap", async () => {
    const many = Array.from({ length: MODEL_UPLOAD_LIMITS.maxArchiveEntries + 1 }, (_, i) => ({ name: `f${i}.txt`, bytes: new Uint8Array(1) }));
    await expect(readModelUpload(uploadRequest([{ name: "many.tar.gz", bytes: tarGz(many) }]))).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringMatching(/entries/),
    });
    const nine = Array.from({ length: MODEL_UPLOAD_LIMITS.maxFiles + 1 }, (_, i) => ({ name: `x${i}.json`, bytes: new Uint8Array(1) }));
    await expect(readModelUpload(uploadRequest(nine))).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    const small = { ...MODEL_UPLOAD_LIMITS, maxJsonBytes: 1024 };
    await expect(readModelUpload(uploadRequest([{ name: "tokenizer.json", bytes: new Uint8Array(2048) }]), small)).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringMatching(/tokenizer.json/),
    });
  });

  it("says when an archive is not gzip or is cut short", async () => {
    await expect(readModelUpload(uploadRequest([{ name: "m.tar.gz", bytes: new Uint8Array([1, 2, 3]) }]))).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/not a valid gzip/),
    });
    const whole = tarGz(files);
    const cut = gzipSync(Buffer.from(gunzip(whole).subarray(0, 1000)));
    await expect(readModelUpload(uploadRequest([{ name: "m.tar.gz", bytes: cut }]))).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/truncated/),
    });
  });
});
