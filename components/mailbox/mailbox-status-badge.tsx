import type { Mailbox } from "@/db/schema";
import { Badge } from "@/components/ui/badge";

const LABELS = {
  pending: { tone: "yellow", label: "Being set up" },
  active: { tone: "green", label: "Active" },
  failed: { tone: "red", label: "Needs attention" },
  suspended: { tone: "gray", label: "Suspended" },
  deleted: { tone: "gray", label: "Deleted" },
} as const;

export function MailboxStatusBadge({ status }: { status: Mailbox["status"] }) {
  const { tone, label } = LABELS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
