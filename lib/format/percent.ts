/** "87%", never "87" or "0.87"; "<1%" and ">99%" where rounding would claim certainty the model does not have. */
export function formatPercent(p: number | null | undefined, digits = 0): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "–";
  const scale = 10 ** digits;
  const rounded = Math.round(p * 100 * scale) / scale;
  if (p > 0 && rounded === 0) return `<${1 / scale}%`;
  if (p < 1 && rounded === 100) return `>${100 - 1 / scale}%`;
  return `${rounded.toFixed(digits)}%`;
}
