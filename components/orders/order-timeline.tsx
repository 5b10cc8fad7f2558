import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import type { OrderStatus } from "@/db/schema";
import { formatDateTime } from "@/lib/format";

type Entry = {
  id: string;
  status: OrderStatus | null;
  note: string;
  createdAt: Date;
  actorKind: "user" | "system" | "api" | "email";
  actorName: string | null;
};

/** The order's history, oldest first. `showActors` names the staff member behind each change. */
export function OrderTimeline({
  entries,
  showActors = false,
}: {
  entries: Entry[];
  showActors?: boolean;
}) {
  return (
    <ol className="space-y-3 border-l-2 border-slate-200 pl-4">
      {entries.map((entry) => (
        <li key={entry.id} className="relative">
          <span
            aria-hidden
            className="absolute top-1.5 -left-[1.3rem] size-2.5 rounded-full bg-slate-300 ring-2 ring-white"
          />
          <div className="flex flex-wrap items-center gap-2 text-sm">
            {entry.status ? <OrderStatusBadge status={entry.status} /> : null}
            <time
              dateTime={entry.createdAt.toISOString()}
              className="text-slate-500"
            >
              {formatDateTime(entry.createdAt)}
            </time>
            {showActors && entry.actorName ? (
              <span className="text-slate-500" dir="auto">
                by {entry.actorName}
              </span>
            ) : null}
          </div>
          {entry.note ? (
            <p className="mt-0.5 text-sm [overflow-wrap:anywhere] text-slate-700">
              {entry.note}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
