import type { MailboxDisplayStatus } from "@/lib/mailcow/types";
import { Badge } from "@/components/ui/badge";

const LABELS = {
  pending: { tone: "yellow", label: "Being set up" },
  active: { tone: "green", label: "Active" },
  failed: { tone: "red", label: "Needs attention" },
  suspended: { tone: "gray", label: "Suspended" },
  deleted: { tone: "gray", label: "Deleted" },
  // Active in Portico, but Mailcow answers that it has no such mailbox.
  missing: { tone: "red", label: "Missing on the mail server" },
} as const;

export function MailboxStatusBadge({
  status,
}: {
  status: MailboxDisplayStatus;
}) {
  const { tone, label } = LABELS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
