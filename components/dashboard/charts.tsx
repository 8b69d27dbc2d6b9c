"use client";

import type { ReactNode } from "react";
import { Area, Bar, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatPeriod, formatTimeTick, timeTicks } from "@/lib/charts/time-axis.ts";

export type TSeries = {
  key: string;
  /** what the legend shows (short) */
  label: string;
  /** the full name, on hover and in the tooltip */
  fullLabel?: string;
  color: string;
  bandKey?: string;
  /** SVG dash pattern: "6 3" dashed, "2 3" dotted */
  dash?: string;
  /** the data key holding each point's sample size (labels behind it) */
  nKey?: string;
};
/** A promotion: when (epoch ms) and which version went live. */
export type TMarker = { t: number; label: string; fullLabel: string };
export type TLegendItem = { label: string; fullLabel?: string; color: string; dash?: string };

const pct = (v: unknown) => (typeof v === "number" ? `${Math.round(v * 100)}%` : "–");
// Axis ink follows the text colour (currentColor), so the charts read in the dark theme too.
const AXIS = { stroke: "currentColor", tick: { fontSize: 11, fill: "currentColor" } } as const;

/** Dot area grows with the labels behind the point; a point on fewer than `thinBelow` labels is hollow. */
function sizedDot(series: TSeries, thinBelow: number) {
  // biome-ignore lint/correctness/noComponentHookFactories: recharts calls `dot` as a render function (no hooks, no state), it never mounts it as a component
  function SizedDot(props: { cx?: number; cy?: number; payload?: Record<string, unknown>; index?: number }) {
    const { cx, cy, payload } = props;
    if (cx === undefined || cy === undefined || payload?.[series.key] == null) return <g key={`${series.key}-${props.index}`} />;
    const n = series.nKey ? Number(payload[series.nKey] ?? 0) : thinBelow;
    const r = Math.min(7, 2 + Math.sqrt(n) / 2.5);
    const isThin = n < thinBelow;
    return (
      <circle
        key={`${series.key}-${props.index}`}
        cx={cx}
        cy={cy}
        r={r}
        stroke={series.color}
        strokeWidth={1.5}
        fill={isThin ? "var(--color-white)" : series.color}
      >
        <title>{`${series.fullLabel ?? series.label}: ${pct(payload[series.key])} from ${n} label${n === 1 ? "" : "s"}`}</title>
      </circle>
    );
  }
  return SizedDot;
}

/**
 * A rate over time, on a real time axis: one line per series with its confidence band shaded behind it,
 * dots sized by how many labels each point rests on (hollow below `thinBelow`), promotions as
 * labelled vertical lines inside the plot, and a legend of short names that wraps instead of
 * squashing the plot. Rows carry `t` (epoch ms of the period start).
 */
export function RateChart({
  data,
  series,
  markers = [],
  height = 220,
  yLabel,
  legend,
  thinBelow = 30,
  isHourly = false,
}: {
  data: Record<string, unknown>[];
  series: TSeries[];
  markers?: TMarker[];
  height?: number;
  yLabel: string;
  legend?: TLegendItem[];
  thinBelow?: number;
  isHourly?: boolean;
}) {
  if (data.length === 0) return <EmptyChart height={height} />;
  const times = data.map((d) => Number(d.t));
  const min = Math.min(...times);
  const max = Math.max(...times);
  const inRange = markers.filter((m) => m.t >= min && m.t <= max);
  const { ticks, stepMs } = timeTicks(min, max, 6);
  const legendItems = legend ?? series.map((s) => ({ label: s.label, fullLabel: s.fullLabel, color: s.color, dash: s.dash }));
  return (
    <div className="text-slate-500" data-testid="rate-chart">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 18, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.25} strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[min, max]}
            ticks={ticks}
            tickFormatter={(ms: number) => formatTimeTick(ms, stepMs)}
            padding={{ left: 14, right: 14 }}
            allowDuplicatedCategory={false}
            {...AXIS}
          />
          <YAxis
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            tickFormatter={pct}
            width={44}
            label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 11, fill: "currentColor" }}
            {...AXIS}
          />
          <Tooltip content={<RateTooltip series={series} isHourly={isHourly} />} />
          {series
            .filter((s) => s.bandKey)
            .map((s) => (
              <Area
                key={`${s.key}-band`}
                dataKey={s.bandKey!}
                stroke="none"
                fill={s.color}
                fillOpacity={0.12}
                legendType="none"
                isAnimationActive={false}
                activeDot={false}
              />
            ))}
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.fullLabel ?? s.label}
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dash}
              dot={sizedDot(s, thinBelow)}
              activeDot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
          {inRange.map((m) => (
            <ReferenceLine
              key={`${m.t}-${m.label}`}
              x={m.t}
              stroke="#6366f1"
              strokeDasharray="4 3"
              // labels run into the plot, never off its edge: rightwards in the left half, leftwards in the right half
              label={{ value: `▲ ${m.label}`, position: m.t - min < (max - min) / 2 ? "insideTopLeft" : "insideTopRight", fontSize: 10, fill: "#6366f1" }}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <ChartLegend items={legendItems} />
      {inRange.length > 0 && (
        <p className="mt-0.5 text-[11px] text-slate-600">
          ▲ promotions:{" "}
          {inRange.map((m) => (
            <span key={m.t} title={m.fullLabel} className="mr-2">
              {m.label}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

function RateTooltip({
  active,
  payload,
  series,
  isHourly,
}: {
  active?: boolean;
  payload?: { payload: Record<string, unknown> }[];
  series: TSeries[];
  isHourly: boolean;
}) {
  if (!active || !payload?.length) return null;
  const row = payload[0].payload;
  return (
    <div className="rounded border border-slate-200 bg-white px-2 py-1.5 text-[12px] text-slate-800 shadow">
      <div className="mb-0.5 font-medium">{formatPeriod(Number(row.t), isHourly)}</div>
      {series.map((s) => {
        const v = row[s.key];
        const band = s.bandKey ? (row[s.bandKey] as [number, number] | undefined) : undefined;
        const n = s.nKey ? Number(row[s.nKey] ?? 0) : null;
        if (v == null && !band) return null;
        return (
          <div key={s.key} className="flex items-center gap-1.5">
            <span className="h-2 w-2 rounded-full" style={{ backgroundColor: s.color }} />
            <span>{s.fullLabel ?? s.label}</span>
            <span className="ml-auto pl-2 tabular-nums">{v == null ? "too few labels" : pct(v)}</span>
            {band && (
              <span className="text-slate-600 tabular-nums">
                ({pct(band[0])}–{pct(band[1])})
              </span>
            )}
            {n !== null && <span className="text-slate-600 tabular-nums">n = {n}</span>}
          </div>
        );
      })}
    </div>
  );
}

export function ChartLegend({ items }: { items: TLegendItem[] }) {
  return (
    <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-slate-700" aria-label="Legend">
      {items.map((item) => (
        <li key={`${item.label}-${item.color}-${item.dash ?? ""}`} className="flex items-center gap-1" title={item.fullLabel ?? item.label}>
          <svg width="18" height="8" aria-hidden>
            <line x1="0" y1="4" x2="18" y2="4" stroke={item.color} strokeWidth="2" strokeDasharray={item.dash} />
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** Counts per hour on a real time axis: a quiet night is an empty stretch, not a bar squeezed next to the morning. */
export function TimeBars({ data, yKey, label, height = 160 }: { data: { t: number; [k: string]: unknown }[]; yKey: string; label: string; height?: number }) {
  if (data.length === 0) return <EmptyChart height={height} />;
  const min = Math.min(...data.map((d) => d.t));
  const max = Math.max(...data.map((d) => d.t)) + 3600_000;
  const { ticks, stepMs } = timeTicks(min, max, 7);
  return (
    <div className="text-slate-500" data-testid="time-bars">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.25} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[min, max]}
            ticks={ticks}
            tickFormatter={(ms: number) => formatTimeTick(ms, stepMs)}
            {...AXIS}
          />
          <YAxis allowDecimals={false} width={44} label={{ value: label, angle: -90, position: "insideLeft", fontSize: 11, fill: "currentColor" }} {...AXIS} />
          <Tooltip
            labelFormatter={(ms) => formatPeriod(Number(ms), true)}
            contentStyle={{ fontSize: 12, background: "var(--color-white)", borderColor: "var(--color-slate-200)", color: "var(--color-slate-800)" }}
          />
          <Bar dataKey={yKey} name={label} fill="#6366f1" maxBarSize={10} minPointSize={1} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

function EmptyChart({ height }: { height: number }) {
  return (
    <div style={{ height }} className="flex items-center justify-center rounded border border-dashed border-slate-300 text-[12px] text-slate-600">
      No data for these filters yet
    </div>
  );
}

export function SmallSampleNote({ children }: { children: ReactNode }) {
  return (
    <p className="mt-1 rounded border border-amber-200 bg-amber-50 px-2 py-1 text-[11px] text-amber-900" role="note" data-testid="small-sample">
      {children}
    </p>
  );
}
