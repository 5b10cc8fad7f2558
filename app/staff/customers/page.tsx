import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { MailboxStatusBadge } from "@/components/mailbox/mailbox-status-badge";
import { NO_NAME } from "@/components/tickets/placeholders";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { SearchField } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import { requireAgent } from "@/lib/auth/session";
import { listClosureRequests } from "@/lib/customers/account-data";
import { CUSTOMER_PAGE_SIZE, listCustomers } from "@/lib/customers/queries";
import {
  customerFiltersInput,
  type CustomerFilters,
} from "@/lib/customers/schemas";
import { formatDate } from "@/lib/format";

export const metadata: Metadata = { title: "Customers" };

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function customersHref(filters: Partial<CustomerFilters>): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.page && filters.page > 1)
    params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/staff/customers?${query}` : "/staff/customers";
}

export default async function CustomersPage({ searchParams }: Props) {
  const viewer = await requireAgent("/staff/customers");
  const filters = customerFiltersInput.parse(await searchParams);
  const db = await getDb();
  const [{ rows, total }, closing] = await Promise.all([
    listCustomers(db, filters),
    viewer.role === "admin" ? listClosureRequests(db) : [],
  ]);

  return (
    <>
      <PageHeader
        title="Customers"
        description="Everyone with a customer account, newest first, with their mailbox."
      />
      {closing.length ? (
        <section
          aria-labelledby="closing"
          className="mb-6 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200"
        >
          <h2 id="closing" className="font-semibold">
            Asked to close their account
          </h2>
          <ul className="mt-1 space-y-1">
            {closing.map((c) => (
              <li key={c.id} className="[overflow-wrap:anywhere]">
                <Link
                  href={`/staff/customers/${c.id}`}
                  className="font-medium underline"
                >
                  <Truncate text={c.name} placeholder={NO_NAME} />
                </Link>{" "}
                ({c.email})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form
        role="search"
        action="/staff/customers"
        className="mb-4 flex flex-wrap items-end gap-3"
      >
        <SearchField defaultValue={filters.q} placeholder="Name or email" />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {rows.length === 0 ? (
        filters.q ? (
          <EmptyState title="No customers match">
            <Link
              href="/staff/customers"
              className="text-indigo-600 hover:text-indigo-500"
            >
              Show all customers
            </Link>
          </EmptyState>
        ) : (
          <EmptyState title="No customers yet">
            Customers appear here once they sign up, buy something or write in.
          </EmptyState>
        )
      ) : (
        <>
          <Table
            fixed
            className="min-w-[48rem]"
            columns={[
              "Name",
              { label: "Email", className: "w-1/4" },
              { label: "Customer since", className: "w-36" },
              { label: "Mailbox", className: "w-1/4" },
            ]}
          >
            {rows.map((c) => (
              <tr key={c.id}>
                <Td>
                  <Link
                    href={`/staff/customers/${c.id}`}
                    className="block font-medium text-indigo-600 hover:text-indigo-500"
                  >
                    <Truncate text={c.name} placeholder={NO_NAME} />
                  </Link>
                </Td>
                <Td className="text-slate-700">
                  <Truncate text={c.email} placeholder="—" />
                </Td>
                <Td className="whitespace-nowrap text-slate-700">
                  {formatDate(c.createdAt)}
                </Td>
                <Td>
                  {c.mailbox ? (
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-mono text-xs break-all text-slate-700">
                        {c.mailbox.localPart}@{c.mailbox.domain}
                      </span>
                      <MailboxStatusBadge status={c.mailbox.status} />
                    </div>
                  ) : (
                    <span className="text-slate-500">None</span>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
          <Pagination
            page={filters.page}
            pageSize={CUSTOMER_PAGE_SIZE}
            total={total}
            href={(page) => customersHref({ ...filters, page })}
          />
        </>
      )}
    </>
  );
}
