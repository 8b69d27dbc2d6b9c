/**
 * The baseline bench/serve.ts compares the machine API with: a bare Node `http` server that scores
 * each request's texts with onnxruntime-node directly: same model bytes, same featurizer (the model's
 * manifest), no key, no validation, no storage, no batching across requests. What is left is the
 * floor any Node server with this model pays.
 *
 *   tsx bench/lib/raw-onnx-server.ts <database url> <model version id> <port>
 */
import http from "node:http";
import * as ort from "onnxruntime-node";
import pg from "pg";
import { parseManifest } from "../../lib/model/manifest.ts";
import { softmax } from "../../lib/model/onnx-linear.ts";
import { linearEncoder, sessionOptionsFor } from "../../server/model/load-model-session.ts";

const [databaseUrl, modelVersionId, port] = process.argv.slice(2);
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const { rows } = await client.query<{ manifest: unknown; onnx: Buffer }>(`SELECT manifest, onnx FROM model_version WHERE id = $1`, [Number(modelVersionId)]);
await client.end();
const manifest = parseManifest(rows[0].manifest);
const encode = linearEncoder(manifest);
const session = await ort.InferenceSession.create(
  new Uint8Array(rows[0].onnx.buffer, rows[0].onnx.byteOffset, rows[0].onnx.byteLength),
  sessionOptionsFor(manifest),
);

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const { texts } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { texts: string[] };
      const out = (await session.run(encode(texts)))[manifest.onnx.outputName];
      const width = manifest.labels.length;
      const data = out.data as Float32Array;
      const results = texts.map((_, r) => {
        const row = data.slice(r * width, (r + 1) * width);
        const probs = manifest.onnx.outputIsProbability ? row : softmax(row);
        return { probabilities: Array.from(probs), toxicScore: 1 - probs[manifest.nonToxicIndex] };
      });
      const body = JSON.stringify({ results });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  })
  .listen(Number(port), "127.0.0.1", () => console.log(`raw server on ${port}`));
