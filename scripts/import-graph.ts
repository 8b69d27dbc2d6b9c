/**
 * npm run import-graph — draws which top-level folders import which (docs/import-graph.svg), from the
 * import statements of every tracked .ts/.tsx file (tests left out). An arrow from lib/ or components/
 * into server/ is drawn red and printed: the browser-side code must not reach into the server's.
 * No network, no dependencies: it reads files and writes one SVG.
 */
import "./lib/check-env.ts";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseCli } from "./lib/cli.ts";

const { values: args } = parseCli({
  script: "import-graph",
  usage: "[options]",
  summary:
    "Draws which top-level folders import which, from the import statements of every tracked .ts/.tsx file (tests left out). " +
    "An arrow from lib/ or components/ into server/ is drawn red and listed.",
  options: { out: { type: "string", value: "<file.svg>", description: "where to write the picture (default docs/import-graph.svg)" } },
  examples: ["npm run import-graph", "npm run import-graph -- --out /tmp/graph.svg"],
});

const ROOT = path.resolve(import.meta.dirname, "..");
const NODES = ["app", "components", "lib", "server", "scripts", "bench", "e2e"] as const;
type TNode = (typeof NODES)[number];
// columns left to right in the direction arrows should point: UI → shared core ← server ← entry points
const POSITION: Record<TNode, [number, number]> = {
  app: [90, 60],
  components: [90, 200],
  e2e: [90, 340],
  lib: [330, 200],
  server: [570, 200],
  scripts: [810, 120],
  bench: [810, 280],
};
const isBrowserSide = (n: TNode) => n === "lib" || n === "components";

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.tsx"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter((f) => f && !f.endsWith(".test.ts") && !f.includes("/generated/"));
const topOf = (file: string): TNode | null => ((NODES as readonly string[]).includes(file.split("/")[0]) ? (file.split("/")[0] as TNode) : null);
const SPEC = /(?:from|import)\s*\(?\s*["']([^"']+)["']/g;
const edges = new Map<string, { from: TNode; to: TNode; count: number; files: Set<string> }>();
for (const file of files) {
  const from = topOf(file);
  if (!from) continue;
  for (const [, spec] of readFileSync(path.join(ROOT, file), "utf8").matchAll(SPEC)) {
    const target = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.normalize(path.join(path.dirname(file), spec)) : null;
    const to = target ? topOf(target) : null;
    if (!to || to === from) continue;
    const key = `${from}>${to}`;
    const edge = edges.get(key) ?? { from, to, count: 0, files: new Set<string>() };
    edge.count++;
    edge.files.add(file);
    edges.set(key, edge);
  }
}

const forbidden = [...edges.values()].filter((e) => isBrowserSide(e.from) && e.to === "server");
const line = (e: { from: TNode; to: TNode; count: number }) => {
  const [x1, y1] = POSITION[e.from];
  const [x2, y2] = POSITION[e.to];
  const isBad = isBrowserSide(e.from) && e.to === "server";
  // curve pairs that go both ways apart
  const bend = edges.has(`${e.to}>${e.from}`) ? 30 : 0;
  const mx = (x1 + x2) / 2 + (bend * (y2 - y1)) / Math.hypot(x2 - x1, y2 - y1 || 1);
  const my = (y1 + y2) / 2 - (bend * (x2 - x1)) / Math.hypot(x2 - x1, y2 - y1 || 1);
  const colour = isBad ? "#dc2626" : "#64748b";
  return `<path d="M${x1},${y1} Q${mx},${my} ${x2},${y2}" fill="none" stroke="${colour}" stroke-width="${1 + Math.log10(e.count)}" marker-end="url(#${isBad ? "bad" : "ok"})"><title>${e.from} → ${e.to}: ${e.count} imports</title></path>`;
};
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="420" viewBox="0 0 900 420" font-family="sans-serif" font-size="14">
<defs>
<marker id="ok" viewBox="0 0 10 10" refX="38" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker>
<marker id="bad" viewBox="0 0 10 10" refX="38" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#dc2626"/></marker>
</defs>
<rect width="900" height="420" fill="#ffffff"/>
${[...edges.values()]
  .sort((a, b) => `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`))
  .map(line)
  .join("\n")}
${NODES.map((n) => `<g><rect x="${POSITION[n][0] - 55}" y="${POSITION[n][1] - 18}" width="110" height="36" rx="8" fill="${isBrowserSide(n) ? "#eef2ff" : n === "server" ? "#fef3c7" : "#f1f5f9"}" stroke="#334155"/><text x="${POSITION[n][0]}" y="${POSITION[n][1] + 5}" text-anchor="middle">${n}/</text></g>`).join("\n")}
<text x="20" y="405" fill="#334155">Folder imports (tests excluded), by scripts/import-graph.ts. Red: lib/ or components/ into server/ (${forbidden.reduce((n, e) => n + e.count, 0)} imports).</text>
</svg>
`;
writeFileSync(args.out ? path.resolve(args.out) : path.join(ROOT, "docs/import-graph.svg"), svg);
console.log(`docs/import-graph.svg: ${edges.size} folder arrows`);
for (const e of forbidden) console.log(`  ${e.from}/ → server/: ${e.count} imports in ${[...e.files].sort().join(", ")}`);
