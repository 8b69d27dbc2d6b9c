/**
 * Where a web process's CPU went: self time of a V8 .cpuprofile (node --cpu-prof, e.g. the app server
 * of `BENCH_CPU_PROF=<dir> npx tsx bench/http.ts`) grouped by package or app file, then the top
 * functions. Idle time is left out of the shares. Used for bench/http-profile.md.
 *   npx tsx bench/lib/summarize-cpu-profile.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from "node:fs";

type TNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type TProfile = { nodes: TNode[]; samples: number[]; timeDeltas: number[] };

const IDLE = new Set(["(idle)", "(program)"]);

/** The package (node_modules/<name>), Next.js area, node: module or app chunk a frame belongs to. */
export function bucketOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || "native"})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/.exec(url);
  if (pkg) return pkg[1] === "next" ? `next/${pkg[2].split("/").slice(0, 3).join("/")}` : pkg[1];
  if (url.startsWith("node:")) return url;
  const chunk = /\.next\/server\/(.*)/.exec(url);
  if (chunk) return `.next/server/${chunk[1]}`;
  return url.replace(/^file:\/\/\/[\s\S]*?\/(app|server|lib|bench)\//, "$1/");
}

function main(): void {
  const profile = JSON.parse(readFileSync(process.argv[2], "utf8")) as TProfile;
  const rows = Number(process.argv[3] ?? 30);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (IDLE.has(functionName)) continue;
    busyUs += us;
    const bucket = bucketOf(url, functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${bucket}:${lineNumber}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const print = (title: string, m: Map<string, number>) => {
    console.log(title);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
      console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${k}`);
    }
  };
  console.log(`busy ${(busyUs / 1e6).toFixed(1)} s (idle left out)`);
  print("-- by package / file", buckets);
  print("-- by function", functions);
}

if (process.argv[1]?.endsWith("summarize-cpu-profile.ts")) main();
