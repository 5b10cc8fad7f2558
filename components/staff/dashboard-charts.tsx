"use client";

import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { Card, EmptyState } from "@/components/ui/card";

// The staff dashboard's charts. The SVG is decoration for sighted users: its figures are also in a
// visually hidden table, so the chart itself is hidden from assistive technology.

export type TicketsPerDayPoint = {
  day: string;
  created: number;
  closed: number;
};

export type FirstResponsePoint = {
  day: string;
  /** Null on days when no ticket opened that day got a response: drawn as a gap. */
  medianHours: number | null;
  /** The same median in words, e.g. "2 h 15 min". */
  medianText: string | null;
  responded: number;
};

const INDIGO = "#6366f1";
const EMERALD = "#10b981";
const GRID = "#e2e8f0";
const AXIS = "#64748b";

const dayLabel = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});
const number = new Intl.NumberFormat("en-GB");
const formatDay = (day: string) =>
  dayLabel.format(new Date(`${day}T00:00:00Z`));

const axis = {
  stroke: GRID,
  tick: { fill: AXIS, fontSize: 12 },
  tickLine: false,
} as const;

// Both charts: full width, drawn for sighted readers only (each has a data table beside it).
const CHART_FRAME = {
  responsive: true,
  accessibilityLayer: false,
  margin: { top: 8, right: 16, bottom: 0, left: -16 },
  style: { width: "100%", height: "100%" },
};

// One tick a week along the 30 days.
const dayAxis = {
  dataKey: "day",
  tickFormatter: formatDay,
  interval: 6,
  ...axis,
};

export function TicketsPerDayChart({
  title,
  headline,
  summary,
  data,
}: {
  title: string;
  headline: string;
  summary: string;
  data: TicketsPerDayPoint[];
}) {
  const isEmpty = data.every((d) => d.created === 0 && d.closed === 0);
  return (
    <ChartCard
      title={title}
      headline={isEmpty ? null : headline}
      summary={isEmpty ? null : summary}
    >
      {isEmpty ? (
        <EmptyState title="No tickets in the last 30 days">
          New and closed tickets will show here day by day.
        </EmptyState>
      ) : (
        <>
          <div aria-hidden className="h-64">
            <BarChart {...CHART_FRAME} data={data}>
              <CartesianGrid vertical={false} stroke={GRID} />
              <XAxis {...dayAxis} />
              <YAxis
                allowDecimals={false}
                axisLine={false}
                tickFormatter={(n: number) => number.format(n)}
                {...axis}
              />
              <Tooltip
                labelFormatter={(day) => formatDay(String(day))}
                formatter={(value) => number.format(Number(value))}
                cursor={{ fill: "#f1f5f9" }}
              />
              <Legend
                iconType="circle"
                iconSize={8}
                wrapperStyle={{ fontSize: 12 }}
              />
              <Bar
                dataKey="created"
                maxBarSize={14}
                name="New"
                fill={INDIGO}
                radius={[3, 3, 0, 0]}
              />
              <Bar
                dataKey="closed"
                maxBarSize={14}
                name="Resolved or closed"
                fill={EMERALD}
                radius={[3, 3, 0, 0]}
              />
            </BarChart>
          </div>
          {/* On a <table> itself sr-only does not clip, and the rows would lengthen the page. */}
          <div className="sr-only">
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">Day (UTC)</th>
                  <th scope="col">New</th>
                  <th scope="col">Resolved or closed</th>
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{formatDay(d.day)}</th>
                    <td>{d.created}</td>
                    <td>{d.closed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ChartCard>
  );
}

export function FirstResponseChart({
  title,
  headline,
  summary,
  data,
}: {
  title: string;
  /** The 30-day median in words, or null when nothing was answered. */
  headline: string | null;
  summary: string;
  data: FirstResponsePoint[];
}) {
  const answered = data.filter((d) => d.medianHours !== null);
  return (
    <ChartCard
      title={title}
      headline={headline}
      summary={headline ? summary : null}
    >
      {answered.length === 0 ? (
        <EmptyState title="No first responses yet">
          Tickets opened in the last 30 days have not been answered yet.
        </EmptyState>
      ) : (
        <>
          <div aria-hidden className="h-64">
            <LineChart {...CHART_FRAME} data={data}>
              <CartesianGrid vertical={false} stroke={GRID} />
              <XAxis {...dayAxis} />
              <YAxis
                axisLine={false}
                tickFormatter={(h: number) => `${h} h`}
                {...axis}
              />
              <Tooltip
                labelFormatter={(day) => formatDay(String(day))}
                formatter={(_value, _name, item) => {
                  const point = item.payload as FirstResponsePoint;
                  return [
                    `${point.medianText} (${number.format(point.responded)} answered)`,
                    "Median",
                  ];
                }}
              />
              <Line
                type="monotone"
                dataKey="medianHours"
                name="Median first response"
                stroke={INDIGO}
                strokeWidth={2}
                dot={{ r: 3, fill: INDIGO }}
                activeDot={{ r: 5 }}
                connectNulls={false}
              />
            </LineChart>
          </div>
          {/* On a <table> itself sr-only does not clip, and the rows would lengthen the page. */}
          <div className="sr-only">
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">Day opened (UTC)</th>
                  <th scope="col">Median first response</th>
                  <th scope="col">Tickets answered</th>
                </tr>
              </thead>
              <tbody>
                {answered.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{formatDay(d.day)}</th>
                    <td>{d.medianText}</td>
                    <td>{number.format(d.responded)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ChartCard>
  );
}

function ChartCard({
  title,
  summary,
  headline,
  children,
}: {
  title: string;
  summary: string | null;
  headline: string | null;
  children: ReactNode;
}) {
  return (
    <Card className="p-5">
      <figure>
        <figcaption>
          <h2 className="text-base font-semibold text-slate-900">{title}</h2>
          {headline ? (
            <p className="mt-2 text-3xl font-semibold tracking-tight text-slate-900">
              {headline}
            </p>
          ) : null}
          {summary ? (
            <p className="mt-1 text-sm text-slate-600">{summary}</p>
          ) : null}
        </figcaption>
        <div className="mt-4">{children}</div>
      </figure>
    </Card>
  );
}
