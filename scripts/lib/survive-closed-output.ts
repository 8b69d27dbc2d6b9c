/**
 * Imported by the long-running scripts (web, worker, api, start) right after check-env: a process whose
 * standard output or error has lost its reader (the terminal closed, the log collector it was piped to
 * died) keeps serving, and the lines it logs from then on are dropped.
 *
 * Without this, the first line written after the reader went away fails with EPIPE, nothing handles the
 * stream's error, so it becomes an uncaught exception; Next.js's handler for those logs it, to the same
 * closed stream, which raises the next one. The web process then spent a whole core in that loop and
 * stopped answering requests (found 2026-12-07, when a benchmark's parent process exited before the web
 * server it had started).
 */
export function surviveClosedOutput(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    // Whatever the error (EPIPE, a destroyed stream): there is nowhere left to report it.
    stream.on("error", () => {});
  }
}

surviveClosedOutput();
