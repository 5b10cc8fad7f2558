import { z } from "zod";
import type { UserRole } from "@/db/schema";
import { departmentIdList } from "@/lib/helpdesk/schemas";

// Shared by the agent forms and the server actions behind them. Client-safe.

export const STAFF_ROLES = [
  "agent",
  "admin",
] as const satisfies readonly UserRole[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  agent: "Agent",
  admin: "Administrator",
};

const agentName = z
  .string()
  .trim()
  .min(1, "Enter the agent's name.")
  .max(120, "Use at most 120 characters.");

const role = z.enum(STAFF_ROLES, { error: "Choose a role." });

export const agentInviteInput = z.object({
  name: agentName,
  email: z
    .string()
    .trim()
    .min(1, "Enter the agent's email address.")
    .max(254, "That email address is too long.")
    .pipe(z.email("Enter a valid email address."))
    .transform((e) => e.toLowerCase()),
  role,
  departmentIds: departmentIdList,
});
export type AgentInviteInput = z.infer<typeof agentInviteInput>;

export const agentId = z.uuid("This agent does not exist.");

export const agentUpdateInput = z.object({
  id: agentId,
  name: agentName,
  role,
  departmentIds: departmentIdList,
});
export type AgentUpdateInput = z.infer<typeof agentUpdateInput>;

/** For the buttons that act on one agent: deactivate, reactivate, resend the invitation. */
export const agentIdInput = z.object({ id: agentId });
