import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requireAdmin } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import {
  createApiKeyAction,
  revokeApiKeyAction,
  setApiKeyActiveAction,
} from "./actions";
import { ApiKeyForm } from "./api-key-form";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requireAdmin("/staff/settings/api-keys");
  const keys = await listApiKeys(await getDb());
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for systems that open tickets through the osTicket-compatible API (POST /api/tickets.json). Each key works from one IP address."
      />
      <div className="space-y-6">
        <Card className="max-w-xl p-5">
          <h2 className="mb-4 font-medium text-slate-900">New key</h2>
          <ApiKeyForm action={createApiKeyAction} />
        </Card>
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet">
            Create one for each system that files tickets.
          </EmptyState>
        ) : (
          <Table
            columns={["Key", "IP address", "State", "Last used", "Notes", ""]}
          >
            {keys.map((k) => (
              <tr key={k.id}>
                <Td className="font-mono text-xs">{k.prefix}…</Td>
                <Td className="font-mono text-xs">{k.ipAddress}</Td>
                <Td>
                  <div className="flex flex-wrap gap-1">
                    {k.revokedAt ? (
                      <Badge tone="red">Revoked</Badge>
                    ) : k.isActive ? (
                      <Badge tone="green">Active</Badge>
                    ) : (
                      <Badge>Inactive</Badge>
                    )}
                    {k.canCreateTickets ? null : (
                      <Badge tone="yellow">No ticket permission</Badge>
                    )}
                  </div>
                </Td>
                <Td className="text-xs text-slate-600">
                  {k.lastUsedAt
                    ? `${formatDateTime(k.lastUsedAt)} from ${k.lastUsedIp}`
                    : "Never"}
                </Td>
                <Td
                  className="max-w-48 truncate text-slate-600"
                  title={k.notes}
                >
                  {k.notes}
                </Td>
                <Td>
                  {k.revokedAt ? null : (
                    <div className="flex gap-2">
                      <ActionButton
                        action={setApiKeyActiveAction}
                        fields={{
                          id: String(k.id),
                          active: k.isActive ? "0" : "1",
                        }}
                      >
                        {k.isActive ? "Deactivate" : "Activate"}
                      </ActionButton>
                      <ActionButton
                        action={revokeApiKeyAction}
                        fields={{ id: String(k.id) }}
                        variant="danger"
                        confirm={`Revoke key ${k.prefix}…? Callers using it stop working at once.`}
                      >
                        Revoke
                      </ActionButton>
                    </div>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
    </>
  );
}
