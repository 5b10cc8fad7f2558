import { Badge } from "@/components/ui/badge";
import { formatDuration, slaState } from "@/lib/tickets/sla";

// In a narrow column "32 h 1 min" may break between its parts, never inside one ("32 h").
const keepPartsTogether = (text: string) => text.replace(/(\d) /g, "$1\u00a0");

/** "in 3 h" while due, a red "Overdue 2 h" once late, "Paused — waiting on customer" while pending (the SLA clock stands still), nothing for finished tickets. */
export function SlaBadge({
  dueAt,
  status,
  now,
}: {
  dueAt: Date | null;
  status: string;
  now: Date;
}) {
  const state = slaState(dueAt, status, now);
  if (state.kind === "none") return <span className="text-slate-500">—</span>;
  if (state.kind === "waiting")
    return <span className="text-slate-600">Paused — waiting on customer</span>;
  if (state.kind === "overdue")
    return (
      <span className="inline-flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
        <Badge tone="red">Overdue</Badge>{" "}
        <span className="text-xs font-medium text-red-700">
          {keepPartsTogether(formatDuration(state.msLate))}
        </span>
      </span>
    );
  return (
    <span
      className={
        state.msLeft < 3600_000
          ? "font-medium text-amber-700"
          : "text-slate-700"
      }
    >
      in {keepPartsTogether(formatDuration(state.msLeft))}
    </span>
  );
}
