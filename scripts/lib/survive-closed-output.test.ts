import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A real child process whose stdout and stderr readers are closed, which then logs, with an
 * uncaughtException handler that logs as Next.js's does: it must stay responsive and idle.
 */
const MODULE = path.resolve(import.meta.dirname, "survive-closed-output.ts");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "modloop-closed-output-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function child(withGuard: boolean): Promise<ChildProcess> {
  const file = path.join(dir, `child-${withGuard}.mts`);
  await writeFile(
    file,
    `${withGuard ? `import ${JSON.stringify(MODULE)};` : ""}
process.on("uncaughtException", (err) => console.error("uncaught:", err)); // as Next.js's server does
process.on("message", (m) => {
  if (m === "log") for (let i = 0; i < 50; i++) console.log("a log line " + i);
  setTimeout(() => process.send("alive"), 50);
});
process.send("ready");
`,
  );
  const proc = spawn(process.execPath, ["--import", "tsx", file], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  await new Promise((resolve) => proc.once("message", resolve));
  return proc;
}

const cpuTicks = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

const answers = (proc: ChildProcess, timeoutMs: number) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    proc.once("message", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/** Closes the child's stdout and stderr readers (writes now fail with EPIPE), then asks it to log. */
function logAfterReadersLeft(proc: ChildProcess): void {
  proc.stdout!.destroy();
  proc.stderr!.destroy();
  proc.send("log");
}

describe("surviveClosedOutput", () => {
  it.skipIf(process.platform !== "linux")("keeps a process whose log reader went away answering, and idle, when it logs", async () => {
    const proc = await child(true);
    try {
      logAfterReadersLeft(proc);
      expect(await answers(proc, 5_000)).toBe(true);
      const before = await cpuTicks(proc.pid!);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await cpuTicks(proc.pid!)) - before).toBeLessThan(20); // < 0.2 s of CPU in 1 s: not spinning
      proc.send("log");
      expect(await answers(proc, 5_000)).toBe(true);
    } finally {
      proc.kill("SIGKILL");
    }
  });

  it.skipIf(process.platform !== "linux")("without it, the same process spins (what the guard prevents)", async () => {
    const proc = await child(false);
    try {
      logAfterReadersLeft(proc);
      await answers(proc, 2_000);
      const before = await cpuTicks(proc.pid!);
      await new Promise((r) => setTimeout(r, 2_000));
      // spinning: well over the guarded process's bound, even with a busy machine's share of a core
      expect((await cpuTicks(proc.pid!)) - before).toBeGreaterThan(40);
    } finally {
      proc.kill("SIGKILL");
    }
  });
});
