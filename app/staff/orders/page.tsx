import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import {
  OrderStatusBadge,
  providerLabel,
} from "@/components/orders/order-status-badge";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Input, SearchField, Select } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td } from "@/components/ui/table";
import { requireAgent } from "@/lib/auth/session";
import { formatDate, formatMoney } from "@/lib/format";
import {
  listOrdersForStaff,
  STAFF_ORDERS_PAGE_SIZE,
} from "@/lib/orders/queries";
import {
  ORDER_STATUSES,
  orderDateRange,
  staffOrderFiltersInput,
  type StaffOrderFiltersInput,
} from "@/lib/orders/schemas";
import { ORDER_STATUS_LABELS } from "@/lib/orders/status";

export const metadata: Metadata = { title: "Orders" };

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const SOURCE_LABELS = { shop: "Our shop", shopify: "Shopify store" } as const;

function ordersHref(filters: Partial<StaffOrderFiltersInput>): string {
  const params = new URLSearchParams();
  for (const key of ["status", "source", "q", "from", "to"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.page && filters.page > 1)
    params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/staff/orders?${query}` : "/staff/orders";
}

export default async function OrdersPage({ searchParams }: Props) {
  await requireAgent("/staff/orders");
  const parsed = staffOrderFiltersInput.safeParse(await searchParams);
  const filters = parsed.success
    ? parsed.data
    : staffOrderFiltersInput.parse({});
  const { rows, total } = await listOrdersForStaff(await getDb(), {
    status: filters.status,
    source: filters.source,
    q: filters.q,
    ...orderDateRange(filters),
    page: filters.page,
  });
  const isFiltered = Boolean(
    filters.status || filters.source || filters.q || filters.from || filters.to,
  );

  return (
    <>
      <PageHeader
        title="Orders"
        description="Every order from the shop and the Shopify store, newest first."
      />
      <form
        role="search"
        action="/staff/orders"
        className="mb-4 flex flex-wrap items-end gap-3"
      >
        <FilterSelect
          id="status"
          label="Status"
          value={filters.status}
          options={ORDER_STATUSES.map((s) => [s, ORDER_STATUS_LABELS[s]])}
          all="Any status"
        />
        <FilterSelect
          id="source"
          label="Source"
          value={filters.source}
          options={Object.entries(SOURCE_LABELS)}
          all="Any source"
        />
        <SearchField
          defaultValue={filters.q}
          placeholder="Customer name, email or order number"
        />
        <DateFilter id="from" label="Placed from" value={filters.from} />
        <DateFilter id="to" label="Placed until" value={filters.to} />
        <Button type="submit" variant="secondary">
          Apply
        </Button>
        {isFiltered ? (
          <Link
            href="/staff/orders"
            className="py-2 text-sm text-indigo-600 hover:text-indigo-500"
          >
            Clear filters
          </Link>
        ) : null}
      </form>
      {rows.length === 0 ? (
        isFiltered || filters.page > 1 ? (
          <EmptyState title="No orders match">
            <Link
              href="/staff/orders"
              className="text-indigo-600 hover:text-indigo-500"
            >
              Show all orders
            </Link>
          </EmptyState>
        ) : (
          <EmptyState title="No orders yet">
            Orders appear here once a customer checks out or the Shopify store
            sends one.
          </EmptyState>
        )
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600">
            {total.toLocaleString("en")}{" "}
            {total === 1
              ? `order${isFiltered ? " matches" : ""}`
              : `orders${isFiltered ? " match" : ""}`}
          </p>
          <Table
            columns={[
              "Order",
              "Customer",
              "Placed",
              "Source / payment",
              "Status",
              { label: "Total", align: "right" },
            ]}
          >
            {rows.map((o) => (
              <tr key={o.id}>
                <Td className="font-medium whitespace-nowrap">
                  <Link
                    href={`/staff/orders/${o.id}`}
                    className="text-indigo-600 hover:text-indigo-500"
                  >
                    {o.number}
                  </Link>
                </Td>
                <Td className="max-w-xs [overflow-wrap:anywhere]">
                  {o.customerName?.trim() ? (
                    <>
                      <span dir="auto" className="block text-slate-900">
                        {o.customerName}
                      </span>
                      <span className="block text-xs text-slate-500">
                        {o.email}
                      </span>
                    </>
                  ) : (
                    <span className="text-slate-700">{o.email}</span>
                  )}
                </Td>
                <Td className="whitespace-nowrap text-slate-600">
                  {formatDate(o.placedAt)}
                </Td>
                <Td className="whitespace-nowrap text-slate-600">
                  {providerLabel(o.provider)}
                </Td>
                <Td>
                  <OrderStatusBadge status={o.status} />
                </Td>
                <Td align="right" className="font-medium whitespace-nowrap">
                  {formatMoney(o.totalAmount, o.currency)}
                </Td>
              </tr>
            ))}
          </Table>
          <Pagination
            page={filters.page}
            pageSize={STAFF_ORDERS_PAGE_SIZE}
            total={total}
            href={(page) => ordersHref({ ...filters, page })}
          />
        </>
      )}
    </>
  );
}

function FilterSelect({
  id,
  label,
  value,
  options,
  all,
}: {
  id: string;
  label: string;
  value: string | undefined;
  options: Array<[string, string]>;
  all: string;
}) {
  return (
    <div className="w-44">
      <label
        htmlFor={id}
        className="mb-1 block text-xs font-medium text-slate-600"
      >
        {label}
      </label>
      <Select id={id} name={id} defaultValue={value ?? ""}>
        <option value="">{all}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </Select>
    </div>
  );
}

function DateFilter({
  id,
  label,
  value,
}: {
  id: string;
  label: string;
  value: string | undefined;
}) {
  return (
    <div className="w-40">
      <label
        htmlFor={id}
        className="mb-1 block text-xs font-medium text-slate-600"
      >
        {label}
      </label>
      <Input id={id} name={id} type="date" defaultValue={value ?? ""} />
    </div>
  );
}
