"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, Bar, BarChart } from "recharts";

export type TSeries = { key: string; label: string; color: string; bandKey?: string; dashed?: boolean };
export type TMarker = { x: string; label: string };

const pct = (v: unknown) => (typeof v === "number" ? `${Math.round(v * 100)}%` : "–");

/**
 * A rate over time: one line per series, its confidence band shaded behind it, promotion markers
 * as vertical lines. Points from thin periods are passed as null and drawn as gaps, with the band
 * still showing how uncertain that period is.
 */
export function RateChart({ data, series, markers = [], height = 220, yLabel }: { data: Record<string, unknown>[]; series: TSeries[]; markers?: TMarker[]; height?: number; yLabel: string }) {
  if (data.length === 0) return <EmptyChart height={height} />;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
        <XAxis dataKey="period" tick={{ fontSize: 11 }} stroke="#94a3b8" />
        <YAxis domain={[0, 1]} tickFormatter={pct} tick={{ fontSize: 11 }} stroke="#94a3b8" width={44} label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 11, fill: "#64748b" }} />
        <Tooltip formatter={(v: unknown) => (Array.isArray(v) ? `${pct(v[0])} – ${pct(v[1])}` : pct(v))} contentStyle={{ fontSize: 12 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.filter((s) => s.bandKey).map((s) => (
          <Area key={`${s.key}-band`} dataKey={s.bandKey!} stroke="none" fill={s.color} fillOpacity={0.12} legendType="none" name={`${s.label} 95% CI`} isAnimationActive={false} />
        ))}
        {series.map((s) => (
          <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? "5 4" : undefined} dot={{ r: 2.5 }} connectNulls={false} isAnimationActive={false} />
        ))}
        {markers.map((m) => (
          <ReferenceLine key={`${m.x}-${m.label}`} x={m.x} stroke="#6366f1" strokeDasharray="4 3" label={{ value: m.label, position: "insideTopRight", fontSize: 10, fill: "#4f46e5" }} />
        ))}
      </ComposedChart>
    </ResponsiveContainer>
  );
}

export function CountBars({ data, xKey, yKey, label, height = 160 }: { data: Record<string, unknown>[]; xKey: string; yKey: string; label: string; height?: number }) {
  if (data.length === 0) return <EmptyChart height={height} />;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey={xKey} tick={{ fontSize: 10 }} stroke="#94a3b8" />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} stroke="#94a3b8" width={44} label={{ value: label, angle: -90, position: "insideLeft", fontSize: 11, fill: "#64748b" }} />
        <Tooltip contentStyle={{ fontSize: 12 }} />
        <Bar dataKey={yKey} name={label} fill="#6366f1" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

function EmptyChart({ height }: { height: number }) {
  return (
    <div style={{ height }} className="flex items-center justify-center rounded border border-dashed border-slate-200 text-[12px] text-slate-400">
      No data for these filters yet
    </div>
  );
}
