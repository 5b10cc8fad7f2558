import type { TicketStatus } from "@/db/schema";
import { Badge } from "@/components/ui/badge";

const TONES = {
  open: "blue",
  pending: "yellow",
  resolved: "green",
  closed: "gray",
} as const;
const LABELS: Record<TicketStatus, string> = {
  open: "Open",
  pending: "Awaiting reply",
  resolved: "Resolved",
  closed: "Closed",
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  return <Badge tone={TONES[status]}>{LABELS[status]}</Badge>;
}
