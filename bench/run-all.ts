/**
 * npm run bench [-- name …] — runs every benchmark program in bench/ (or the named ones) one after
 * another at full size, then regenerates the README's Benchmarks section from bench/results.
 * Benchmarks compete for the same 2 cores, so they never run in parallel.
 *
 *   npm run bench                 all of them (minutes; the 1M-row ones dominate)
 *   npm run bench -- queue ui     only bench/queue.ts and bench/ui.ts
 *   BENCH_SIZE=small npm run bench   tiny runs for correctness; README left alone
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseCli } from "../scripts/lib/cli.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";

const available = (await readdir(path.join(ROOT, "bench")))
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "run-all.ts")
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();
const command = parseCli({
  script: "bench",
  usage: "[<name> …]",
  summary:
    "Runs the benchmark programs in bench/ (all, or the named ones) one after another, each writing bench/results/<name>.json, then " +
    "regenerates the README's Benchmarks section. Benchmarks compete for the same cores, so they never run in parallel.",
  maxPositionals: available.length,
  positionals: { "<name>": `a benchmark: ${available.join(", ")}` },
  options: {},
  examples: ["npm run bench", "npm run bench -- queue ui", "BENCH_SIZE=small npm run bench   (tiny runs for correctness; README left alone)"],
  notes: ["Environment: BENCH_SIZE=small for tiny runs, BENCH_TIMEOUT_S (see README)."],
});
const wanted = command.positionals;
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) command.fail(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ")}`);
const names = wanted.length > 0 ? wanted : available;

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "inherit", env: process.env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const tsxCli = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const outcomes: { name: string; code: number; seconds: number }[] = [];
for (const name of names) {
  console.log(`\n== bench/${name}.ts${isSmall ? " (BENCH_SIZE=small)" : ""}`);
  const startedAt = Date.now();
  const code = await run([tsxCli, `bench/${name}.ts`]);
  outcomes.push({ name, code, seconds: Math.round((Date.now() - startedAt) / 1000) });
}

console.log("\n== summary");
for (const o of outcomes) console.log(`  ${o.code === 0 ? "ok    " : "FAILED"} ${o.name} (${o.seconds}s${o.code === 0 ? "" : `, exit ${o.code}`})`);

if (!isSmall) {
  const code = await run([tsxCli, "scripts/bench-readme.ts"]);
  if (code !== 0) process.exitCode = code;
}
if (outcomes.some((o) => o.code !== 0)) process.exitCode = 1;
