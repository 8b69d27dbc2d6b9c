/**
 * A small SVG line chart with ±sd bands and reference lines, for benchmark figures: no plotting
 * library is needed offline, and the SVG renders to PNG in the Chromium the UI tests use.
 */

export type TBandSeries = { name: string; color: string; points: { x: number; y: number; sd: number }[]; isBold?: boolean; dash?: string };
export type TRefLine = { y: number; label: string; color: string };

export type TChart = {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: TBandSeries[];
  refLines?: TRefLine[];
  width?: number;
  height?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** 1-2-5 steps giving about `count` ticks over [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function renderChart(c: TChart): string {
  const W = c.width ?? 1100;
  const H = c.height ?? 680;
  const m = { left: 86, right: 270, top: c.subtitle ? 84 : 60, bottom: 72 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = c.series.flatMap((s) => s.points);
  const xMax = c.xMax ?? Math.max(...all.map((p) => p.x));
  const yLo = c.yMin ?? Math.floor(Math.min(...all.map((p) => p.y - p.sd), ...(c.refLines ?? []).map((r) => r.y)) * 20) / 20;
  const yHi = c.yMax ?? Math.ceil(Math.max(...all.map((p) => p.y + p.sd), ...(c.refLines ?? []).map((r) => r.y)) * 20) / 20;
  const sx = (x: number) => m.left + (x / xMax) * pw;
  const sy = (y: number) => m.top + (1 - (y - yLo) / (yHi - yLo)) * ph;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${m.left}" y="32" font-size="22" font-weight="600" fill="#111">${esc(c.title)}</text>`);
  if (c.subtitle) parts.push(`<text x="${m.left}" y="58" font-size="15" fill="#444">${esc(c.subtitle)}</text>`);
  // grid and ticks
  for (const t of niceTicks(yLo, yHi, 8)) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 10}" y="${sy(t) + 5}" font-size="14" text-anchor="end" fill="#333">${t.toFixed(2)}</text>`);
  }
  for (const t of niceTicks(0, xMax, 10)) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${m.top}" y2="${m.top + ph}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${sx(t)}" y="${m.top + ph + 22}" font-size="14" text-anchor="middle" fill="#333">${t.toLocaleString("en-US")}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${H - 22}" font-size="16" text-anchor="middle" fill="#111">${esc(c.xLabel)}</text>`);
  parts.push(`<text transform="translate(24 ${m.top + ph / 2}) rotate(-90)" font-size="16" text-anchor="middle" fill="#111">${esc(c.yLabel)}</text>`);
  parts.push(`<clipPath id="plot"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath>`);
  // bands under lines
  for (const s of c.series) {
    const upper = s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y + p.sd).toFixed(1)}`);
    const lower = s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y - p.sd).toFixed(1)}`).reverse();
    parts.push(`<polygon clip-path="url(#plot)" points="${[...upper, ...lower].join(" ")}" fill="${s.color}" fill-opacity="0.14" stroke="none"/>`);
  }
  for (const r of c.refLines ?? []) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${sy(r.y)}" y2="${sy(r.y)}" stroke="${r.color}" stroke-width="1.6" stroke-dasharray="8 6"/>`);
  }
  for (const s of c.series) {
    const d = s.points.map((p, i) => `${i ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ");
    parts.push(
      `<path clip-path="url(#plot)" d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.isBold ? 3.2 : 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
    );
  }
  // legend
  let ly = m.top + 8;
  const lx = m.left + pw + 22;
  for (const s of c.series) {
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="30" height="16" fill="${s.color}" fill-opacity="0.14"/>`);
    parts.push(
      `<line x1="${lx}" x2="${lx + 30}" y1="${ly - 1}" y2="${ly - 1}" stroke="${s.color}" stroke-width="${s.isBold ? 3.2 : 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
    );
    const [first, ...rest] = s.name.split("\n");
    parts.push(`<text x="${lx + 40}" y="${ly + 4}" font-size="15" fill="#111"${s.isBold ? ' font-weight="600"' : ""}>${esc(first)}</text>`);
    for (const line of rest) {
      ly += 18;
      parts.push(`<text x="${lx + 40}" y="${ly + 4}" font-size="13" fill="#333">${esc(line)}</text>`);
    }
    ly += 28;
  }
  for (const r of c.refLines ?? []) {
    ly += 6;
    parts.push(`<line x1="${lx}" x2="${lx + 30}" y1="${ly - 1}" y2="${ly - 1}" stroke="${r.color}" stroke-width="1.6" stroke-dasharray="8 6"/>`);
    const [first, ...rest] = r.label.split("\n");
    parts.push(`<text x="${lx + 40}" y="${ly + 4}" font-size="14" fill="#111">${esc(first)}</text>`);
    for (const line of rest) {
      ly += 18;
      parts.push(`<text x="${lx + 40}" y="${ly + 4}" font-size="14" fill="#111">${esc(line)}</text>`);
    }
    ly += 28;
  }
  parts.push(`<text x="${lx}" y="${ly + 10}" font-size="13" fill="#555">bands: ± 1 sd over seeds</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}
