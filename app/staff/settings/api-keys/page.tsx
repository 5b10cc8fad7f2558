import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import Link from "next/link";
import { listApiKeys } from "@/lib/osticket/api-keys";
import { listApiCalls, type ApiCallRow } from "@/lib/osticket/call-log";
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
  const db = await getDb();
  const [keys, calls] = await Promise.all([
    listApiKeys(db),
    listApiCalls(db, { limit: 50 }),
  ]);
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
        <RecentCalls calls={calls} />
      </div>
    </>
  );
}

function RecentCalls({ calls }: { calls: ApiCallRow[] }) {
  return (
    <section aria-labelledby="recent-calls">
      <h2 id="recent-calls" className="mb-1 font-medium text-slate-900">
        Recent calls
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        The last {calls.length === 50 ? "50 " : ""}calls to the API, answered or
        refused.
      </p>
      {calls.length === 0 ? (
        <EmptyState title="No calls yet">
          Calls appear here as soon as a system uses the API.
        </EmptyState>
      ) : (
        <Table
          columns={[
            "When",
            "Key",
            "From",
            "Request",
            "Answer",
            "Time",
            "Ticket",
          ]}
        >
          {calls.map((c) => (
            <tr key={c.id}>
              <Td className="text-xs whitespace-nowrap text-slate-600">
                {formatDateTime(c.at)}
              </Td>
              <Td className="font-mono text-xs">
                {c.keyPrefix ? `${c.keyPrefix}…` : "none"}
                {c.keyPrefix && c.apiKeyId === null ? (
                  <span className="ml-1 text-slate-500">(unknown)</span>
                ) : null}
              </Td>
              <Td className="font-mono text-xs">{c.ip ?? "unknown"}</Td>
              <Td className="font-mono text-xs">
                {c.method} {c.path}
              </Td>
              <Td>
                <div className="flex items-center gap-2">
                  <Badge
                    tone={
                      c.status < 300
                        ? "green"
                        : c.status < 500
                          ? "yellow"
                          : "red"
                    }
                  >
                    {c.status}
                  </Badge>
                  {c.replayed ? (
                    <span className="text-xs text-slate-500">replayed</span>
                  ) : null}
                  {c.error ? (
                    <span
                      className="max-w-64 truncate text-xs text-slate-600"
                      title={c.error}
                    >
                      {c.error.split("\n")[0]}
                    </span>
                  ) : null}
                </div>
              </Td>
              <Td className="text-xs text-slate-600">{c.durationMs} ms</Td>
              <Td>
                {c.ticketNumber ? (
                  <Link
                    href={`/staff/tickets/${c.ticketNumber}`}
                    className="text-indigo-700 hover:underline"
                  >
                    #{c.ticketNumber}
                  </Link>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
