import { describe, expect, it } from "vitest";
import { niceTicks, renderChart } from "./svg-chart.ts";

describe("niceTicks", () => {
  it("uses 1-2-5 steps inside the range", () => {
    expect(niceTicks(0, 6000, 10)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(niceTicks(0.55, 0.8, 8)).toEqual([0.55, 0.6, 0.65, 0.7, 0.75, 0.8]);
  });
});

describe("renderChart", () => {
  it("draws one band and one line per series, escapes text, and labels the axes", () => {
    const svg = renderChart({
      title: "F1 <vs> labels",
      xLabel: "labels",
      yLabel: "macro-F1",
      series: [
        {
          name: "a",
          color: "#f00",
          points: [
            { x: 100, y: 0.5, sd: 0.01 },
            { x: 200, y: 0.6, sd: 0.02 },
          ],
        },
        {
          name: "b\nsecond line",
          color: "#00f",
          points: [
            { x: 100, y: 0.55, sd: 0 },
            { x: 200, y: 0.58, sd: 0 },
          ],
        },
      ],
      refLines: [{ y: 0.7, label: "target", color: "#c00" }],
    });
    expect(svg.match(/<polygon/g)?.length).toBe(2);
    expect(svg.match(/<path /g)?.length).toBe(2);
    expect(svg).toContain("F1 &lt;vs&gt; labels");
    expect(svg).toContain(">second line<");
    expect(svg).toContain(">macro-F1<");
    expect(svg).toContain('stroke-dasharray="8 6"');
  });
});
