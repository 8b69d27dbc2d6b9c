import { predictTexts } from "../model/predict-texts.ts";

type TWaiter = { start: number; count: number; resolve: (rows: Float32Array[]) => void; reject: (err: unknown) => void };
type TPending = { texts: string[]; waiters: TWaiter[] };

/**
 * Scores the texts of concurrent requests together: requests that arrive while the model is busy (or
 * in the same event-loop turn) join one predictTexts call, so 64 connections of one line each cost a
 * few model calls instead of 64. Every score still goes through the project's one model path
 * (server/model/predict-texts.ts), with whatever it applies (e.g. calibration).
 */
export class BatchScorer {
  private readonly pending = new Map<number, TPending>();
  private inFlight = 0;
  private isScheduled = false;

  /**
   * @param maxInFlight model calls running at once (onnxruntime runs them off the main thread; more than
   *   the cores only queues them there)
   * @param maxBatch texts per call: past it a waiting batch is sent even if calls are running
   */
  constructor(private readonly opts: { maxInFlight: number; maxBatch: number } = { maxInFlight: 2, maxBatch: 4096 }) {}

  score(modelVersionId: number, texts: string[]): Promise<Float32Array[]> {
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(modelVersionId);
      if (!batch) {
        batch = { texts: [], waiters: [] };
        this.pending.set(modelVersionId, batch);
      }
      batch.waiters.push({ start: batch.texts.length, count: texts.length, resolve, reject });
      for (const t of texts) batch.texts.push(t);
      if (batch.texts.length >= this.opts.maxBatch) this.run(modelVersionId);
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.isScheduled) return;
    this.isScheduled = true;
    setImmediate(() => {
      this.isScheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    for (const id of [...this.pending.keys()]) {
      if (this.inFlight >= this.opts.maxInFlight) return;
      this.run(id);
    }
  }

  private run(modelVersionId: number): void {
    const batch = this.pending.get(modelVersionId);
    if (!batch) return;
    this.pending.delete(modelVersionId);
    this.inFlight++;
    predictTexts({ modelVersionId, texts: batch.texts })
      .then(
        (rows) => {
          for (const w of batch.waiters) w.resolve(rows.slice(w.start, w.start + w.count));
        },
        (err) => {
          for (const w of batch.waiters) w.reject(err);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.drain();
      });
  }
}
