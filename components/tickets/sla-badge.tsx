import { Badge } from "@/components/ui/badge";
import { formatDuration, slaState } from "@/lib/tickets/sla";

/** "in 3 h" while due, a red "Overdue 2 h" once late, nothing for finished tickets. */
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
  if (state.kind === "none") return <span className="text-slate-400">—</span>;
  if (state.kind === "overdue")
    return <Badge tone="red">Overdue {formatDuration(state.msLate)}</Badge>;
  return (
    <span
      className={
        state.msLeft < 3600_000
          ? "font-medium text-amber-700"
          : "text-slate-700"
      }
    >
      in {formatDuration(state.msLeft)}
    </span>
  );
}
