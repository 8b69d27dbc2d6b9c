/**
 * ONNX bytes for the default hashed-linear model, written with a tiny protobuf encoder (only the
 * fields of onnx.proto this graph needs), so the TypeScript trainer can ship a model without Python.
 *
 *   indices int64 [batch, L], values float [batch, L]
 *   rows   = Gather(W, indices)                 [batch, L, K]   (W row `buckets` is all zeros: padding)
 *   logits = ReduceSum(rows ⊙ values[..., None], axis 1) + b   [batch, K]
 *   probs  = Softmax(logits)                    [batch, K]
 *
 * This is fastText's EmbeddingBag-with-weights specialised to a linear classifier: the sparse
 * dot product costs L·K multiply-adds per text.
 */

// --- protobuf wire format --------------------------------------------------------------------

class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

// --- onnx.proto field numbers (onnx/onnx.proto, IR version 8) ---------------------------------

const TENSOR_FLOAT = 1;
const TENSOR_INT64 = 7;
const ATTR_INT = 2;

type TDim = number | string;

function writeTensor(w: ProtoWriter, name: string, dataType: number, dims: number[], raw: Uint8Array): void {
  for (const d of dims) w.int(1, d); // dims
  w.int(2, dataType); // data_type
  w.string(8, name); // name
  w.bytes(9, raw); // raw_data (little-endian)
}

function writeValueInfo(w: ProtoWriter, name: string, elemType: number, dims: TDim[]): void {
  w.string(1, name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, elemType);
      tensor.message(2, (shape) => {
        for (const d of dims) shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

type TNode = { op: string; inputs: string[]; outputs: string[]; name: string; intAttrs?: Record<string, number> };

function writeNode(w: ProtoWriter, n: TNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.op);
  for (const [key, value] of Object.entries(n.intAttrs ?? {})) {
    w.message(5, (a) => {
      a.string(1, key);
      a.int(3, value);
      a.int(20, ATTR_INT);
    });
  }
}

function asBytes(a: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export const LINEAR_OPSET = 17;
export const LINEAR_OUTPUT = "probs";
export const LINEAR_INPUTS = { indices: "indices", values: "values" } as const;

export type TLinearWeights = {
  /** [buckets + 1, K] row-major; the last row (the padding index `buckets`) must be zero */
  weights: Float32Array;
  /** [K] */
  bias: Float32Array;
  buckets: number;
  classes: number;
};

/** Serialises the hashed-linear classifier as an ONNX ModelProto (opset 17, IR 8). */
export function buildLinearOnnx(model: TLinearWeights, opts: { producerVersion?: string } = {}): Uint8Array {
  const { weights, bias, buckets, classes } = model;
  if (weights.length !== (buckets + 1) * classes) {
    throw new Error(`weights must hold (buckets + 1) × classes = ${(buckets + 1) * classes} floats, got ${weights.length}`);
  }
  if (bias.length !== classes) throw new Error(`bias must hold ${classes} floats, got ${bias.length}`);
  for (let k = 0; k < classes; k++) {
    if (weights[buckets * classes + k] !== 0) throw new Error("the padding row of the weight matrix must be zero");
  }
  const nodes: TNode[] = [
    { op: "Gather", name: "gather_rows", inputs: ["W", LINEAR_INPUTS.indices], outputs: ["rows"], intAttrs: { axis: 0 } },
    { op: "Unsqueeze", name: "values_3d", inputs: [LINEAR_INPUTS.values, "axis_2"], outputs: ["values3"] },
    { op: "Mul", name: "weigh_rows", inputs: ["rows", "values3"], outputs: ["weighted"] },
    { op: "ReduceSum", name: "sum_rows", inputs: ["weighted", "axis_1"], outputs: ["summed"], intAttrs: { keepdims: 0 } },
    { op: "Add", name: "add_bias", inputs: ["summed", "b"], outputs: ["logits"] },
    { op: "Softmax", name: "softmax", inputs: ["logits"], outputs: [LINEAR_OUTPUT], intAttrs: { axis: -1 } },
  ];
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version
  w.string(2, "modloop-linear-trainer"); // producer_name
  w.string(3, opts.producerVersion ?? "1"); // producer_version
  w.message(7, (g) => {
    for (const n of nodes) g.message(1, (nw) => writeNode(nw, n));
    g.string(2, "hashed_linear");
    g.message(5, (t) => writeTensor(t, "W", TENSOR_FLOAT, [buckets + 1, classes], asBytes(weights)));
    g.message(5, (t) => writeTensor(t, "b", TENSOR_FLOAT, [classes], asBytes(bias)));
    g.message(5, (t) => writeTensor(t, "axis_1", TENSOR_INT64, [1], asBytes(BigInt64Array.of(1n))));
    g.message(5, (t) => writeTensor(t, "axis_2", TENSOR_INT64, [1], asBytes(BigInt64Array.of(2n))));
    g.message(11, (v) => writeValueInfo(v, LINEAR_INPUTS.indices, TENSOR_INT64, ["batch", "features"]));
    g.message(11, (v) => writeValueInfo(v, LINEAR_INPUTS.values, TENSOR_FLOAT, ["batch", "features"]));
    g.message(12, (v) => writeValueInfo(v, LINEAR_OUTPUT, TENSOR_FLOAT, ["batch", classes]));
  });
  w.message(8, (o) => {
    o.string(1, "");
    o.int(2, LINEAR_OPSET);
  });
  return w.finish();
}

/**
 * The same forward pass in plain JS over padded inputs: the reference the ONNX graph is tested
 * against, and the trainer's evaluation path (no native addon needed in pure code).
 */
export function linearForward(model: TLinearWeights, indices: ArrayLike<number>, values: ArrayLike<number>, batch: number, width: number): Float32Array[] {
  const { weights, bias, classes } = model;
  const out: Float32Array[] = [];
  const logits = new Float64Array(classes);
  for (let r = 0; r < batch; r++) {
    for (let k = 0; k < classes; k++) logits[k] = bias[k];
    for (let j = 0; j < width; j++) {
      const v = values[r * width + j];
      if (v === 0) continue;
      const row = indices[r * width + j] * classes;
      for (let k = 0; k < classes; k++) logits[k] += v * weights[row + k];
    }
    out.push(softmax(logits));
  }
  return out;
}

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]);
  const p = new Float32Array(logits.length);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    const e = Math.exp(logits[k] - max);
    p[k] = e;
    sum += e;
  }
  for (let k = 0; k < logits.length; k++) p[k] /= sum;
  return p;
}
