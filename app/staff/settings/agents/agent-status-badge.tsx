import { Badge } from "@/components/ui/badge";

export function AgentStatusBadge({
  agent,
}: {
  agent: { deactivatedAt: Date | null; hasPassword: boolean };
}) {
  if (agent.deactivatedAt) return <Badge tone="red">Deactivated</Badge>;
  if (!agent.hasPassword) return <Badge tone="yellow">Invited</Badge>;
  return <Badge tone="green">Active</Badge>;
}
