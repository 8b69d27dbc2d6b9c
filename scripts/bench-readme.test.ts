import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBenchmarks } from "./bench-readme.ts";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bench-readme-"));
  await writeFile(
    path.join(dir, "ingest.json"),
    JSON.stringify({
      rows: 1_000_000,
      rows_per_s: 25_431,
      peak_rss_mb: 310.5,
      targets: { rows_per_s: 20_000, peak_rss_mb: 300 },
      machine: "2 cores",
      measured_at: "2026-11-28T21:00:00.000Z",
      size: "full",
    }),
  );
  await writeFile(
    path.join(dir, "queue.json"),
    JSON.stringify({ claim_p95_ms: 4.2, duplicate_assignments: 0, targets: { claim_p95_ms: 20, duplicate_assignments: 0 }, size: "small" }),
  );
  await writeFile(path.join(dir, "zeta.json"), JSON.stringify({ excerpts_per_s: 5, target_excerpts_per_s: 4 }));
  await writeFile(path.join(dir, "ui.small.json"), JSON.stringify({ key_to_next_p95_ms: 1 }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("renderBenchmarks", () => {
  it("renders figures with their targets, ceilings as ≤ and throughputs as ≥, and flags misses", async () => {
    const md = await renderBenchmarks(dir);
    expect(md).toContain("| `rows_per_s` | 25,431 | ≥ 20,000 | ✅ |");
    expect(md).toContain("| `peak_rss_mb` | 311 | ≤ 300 | ❌ |");
    expect(md).toContain("| `claim_p95_ms` | 4.20 | ≤ 20 | ✅ |");
    expect(md).toContain("| `duplicate_assignments` | 0 | ≤ 0 | ✅ |");
    // the sibling target_<figure> convention works too, and the target key itself is not a row
    expect(md).toContain("| `excerpts_per_s` | 5 | ≥ 4 | ✅ |");
    expect(md).not.toContain("`target_excerpts_per_s`");
  });

  it("applies the issue's targets when a result file does not state them", async () => {
    await writeFile(path.join(dir, "ui.json"), JSON.stringify({ key_to_next_p95_ms: 151 }));
    const md = await renderBenchmarks(dir);
    await rm(path.join(dir, "ui.json"));
    expect(md).toContain("| `key_to_next_p95_ms` | 151 | ≤ 100 | ❌ |");
  });

  it("orders the headline benchmarks first, marks small runs and lists what is missing", async () => {
    const md = await renderBenchmarks(dir);
    expect(md.indexOf("### queue")).toBeLessThan(md.indexOf("### ingest"));
    expect(md.indexOf("### ingest")).toBeLessThan(md.indexOf("### zeta"));
    expect(md).toMatch(/### queue[\s\S]*small CI run/);
    // ui only has a small (git-ignored) run: not a figure of record
    expect(md).toContain("Not measured yet: `scoring`, `ui`");
  });

  it("shows the queue's in-process figures beside the over-HTTP ones, and HTTP ratios as floors", async () => {
    await writeFile(
      path.join(dir, "http.json"),
      JSON.stringify({
        http_claim_p95_ms: 31.5,
        http_decide_p95_ms: 12,
        http_saturation_ratio: 0.42,
        http_saturation_decisions_per_s: 210,
        inprocess_saturation_decisions_per_s: 500,
        api_overhead_ratio: 0.85,
        paced: { decisions_per_s: 240 },
        targets: { http_saturation_ratio: 0.6, api_overhead_ratio: 0.8 },
      }),
    );
    const md = await renderBenchmarks(dir);
    await rm(path.join(dir, "http.json"));
    expect(md.indexOf("### In-process beside over HTTP")).toBe(0);
    expect(md).toContain("| claim p95 (ms), 50 moderators, 200 ms think time | 4.20 | 31.50 | ≤ 20 |");
    expect(md).toContain("| decisions/s, no think time (saturation) | 500 (queue.json: –) | 210 | ratio 0.420, ≥ 0.6 |");
    expect(md).toContain("| `http_saturation_ratio` | 0.420 | ≥ 0.600 | ❌ |");
    expect(md).toContain("| `api_overhead_ratio` | 0.850 | ≥ 0.800 | ✅ |");
  });

  it("names the file when a result is not valid JSON", async () => {
    await writeFile(path.join(dir, "broken.json"), "{ nope");
    await expect(renderBenchmarks(dir)).rejects.toThrow(/broken\.json is not valid JSON/);
    await rm(path.join(dir, "broken.json"));
  });
});
