import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/table";
import type { ServiceStatus } from "@/db/schema";
import { formatDate } from "@/lib/format";

const STATUS: Record<
  ServiceStatus,
  { label: string; tone: "green" | "yellow" | "red" | "gray" }
> = {
  active: { label: "Active", tone: "green" },
  past_due: { label: "Past due", tone: "red" },
  pending: { label: "Starting", tone: "yellow" },
  cancelled: { label: "Cancelled", tone: "gray" },
};

export function ServiceStatusBadge({ status }: { status: ServiceStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}

type Row = {
  id: string;
  description: string;
  status: ServiceStatus;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  orderNumber: string;
  orderId: string;
};

type Props = { services: Row[]; orderHref: (orderId: string) => string };

/** Recurring services: status and the next renewal (or the end, when cancelled at period end). */
export function ServiceTable({ services, orderHref }: Props) {
  return (
    <Table columns={["Service", "Status", "Renews", "Order"]}>
      {services.map((s) => (
        <tr key={s.id}>
          <Td dir="auto" className="max-w-md [overflow-wrap:anywhere]">
            {s.description || "Service"}
          </Td>
          <Td>
            <ServiceStatusBadge status={s.status} />
          </Td>
          <Td className="whitespace-nowrap text-slate-600">
            {renewalText(s, "") ?? "—"}
          </Td>
          <Td>
            <Link
              href={orderHref(s.orderId)}
              className="text-indigo-600 hover:text-indigo-500"
            >
              {s.orderNumber}
            </Link>
          </Td>
        </tr>
      ))}
    </Table>
  );
}

/** The same services as a list, for a narrow column (the ticket workspace's sidebar). */
export function ServiceList({ services, orderHref }: Props) {
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {services.map((s) => (
        <li key={s.id} className="flex items-start justify-between gap-2 py-2">
          <div className="min-w-0">
            <p dir="auto" className="[overflow-wrap:anywhere] text-slate-900">
              {s.description || "Service"}
            </p>
            <p className="text-xs text-slate-500">
              {/* Underlined: inside a line of text, colour alone does not mark a link. */}
              <Link
                href={orderHref(s.orderId)}
                className="text-indigo-600 underline hover:text-indigo-500"
              >
                {s.orderNumber}
              </Link>
              {renewalLine(s)}
            </p>
          </div>
          <div className="shrink-0">
            <ServiceStatusBadge status={s.status} />
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * The next renewal date after `renews` (the table's column says it already), or "Ends …" for a
 * service cancelled at period end; null when there is none.
 */
function renewalText(s: Row, renews: string): string | null {
  if (s.status === "cancelled" || !s.currentPeriodEnd) return null;
  const date = formatDate(s.currentPeriodEnd);
  return s.cancelAtPeriodEnd ? `Ends ${date}` : `${renews}${date}`;
}

function renewalLine(s: Row): string | null {
  const text = renewalText(s, "Renews ");
  return text ? ` · ${text}` : null;
}
