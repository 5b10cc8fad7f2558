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

/** Recurring services: status and the next renewal (or the end, when cancelled at period end). */
export function ServiceTable({
  services,
  orderHref,
}: {
  services: Row[];
  orderHref: (orderId: string) => string;
}) {
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
            {s.status === "cancelled" || !s.currentPeriodEnd
              ? "—"
              : s.cancelAtPeriodEnd
                ? `Ends ${formatDate(s.currentPeriodEnd)}`
                : formatDate(s.currentPeriodEnd)}
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
