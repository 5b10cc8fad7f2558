import type { TicketStatus } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { TICKET_STATUS_LABELS } from "@/lib/tickets/schemas";

const TONES = {
  open: "blue",
  pending: "yellow",
  resolved: "green",
  closed: "gray",
} as const;
const LABELS: Record<"customer" | "staff", Record<TicketStatus, string>> = {
  customer: {
    open: "Open",
    pending: "Awaiting your reply",
    resolved: "Resolved",
    closed: "Closed",
  },
  staff: TICKET_STATUS_LABELS,
};

export function TicketStatusBadge({
  status,
  audience = "customer",
}: {
  status: TicketStatus;
  audience?: "customer" | "staff";
}) {
  return <Badge tone={TONES[status]}>{LABELS[audience][status]}</Badge>;
}
