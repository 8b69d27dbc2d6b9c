/**
 * Runs jobs on worker threads that load a benchmark file itself as the worker (the file checks
 * `isBenchWorker()` and answers each job message with one result message; `null` tells it to exit).
 * Jobs go out one at a time as workers free up, so slow and fast jobs even out across the threads.
 */
import { Worker, workerData } from "node:worker_threads";

/** True inside a worker started by runOnWorkers. */
export function isBenchWorker(): boolean {
  return (workerData as { isWorker?: boolean } | null)?.isWorker === true;
}

export async function runOnWorkers<TJob, TResult>(input: {
  /** import.meta.url of the benchmark file the workers load */
  moduleUrl: string;
  jobs: TJob[];
  workers: number;
  /** called with each result as it arrives, in arrival order */
  onResult?: (result: TResult, done: number) => void;
}): Promise<TResult[]> {
  const { jobs, moduleUrl } = input;
  const results: TResult[] = [];
  const workerCount = Math.max(1, Math.min(jobs.length, input.workers));
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let live = workerCount;
    for (let w = 0; w < workerCount; w++) {
      const worker = new Worker(
        // a worker does not inherit tsx's loader on Node 20: register it, then load the file as the worker
        `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); })`,
        { eval: true, workerData: { isWorker: true } },
      );
      const feed = () => worker.postMessage(next < jobs.length ? jobs[next++] : null);
      worker.on("message", (r: TResult) => {
        results.push(r);
        input.onResult?.(r, results.length);
        feed();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (code !== 0) return reject(new Error(`a benchmark worker exited with code ${code}`));
        if (--live === 0) resolve();
      });
      feed();
    }
  });
  return results;
}
