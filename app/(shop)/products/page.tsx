import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { listCatalog } from "@/lib/catalog/queries";
import { formatPrice } from "@/lib/format";

export const metadata: Metadata = { title: "Products and services" };

export default async function ProductsPage() {
  const catalog = await listCatalog(await getDb());
  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <PageHeader
        title="Products and services"
        description="Hosting, domains, certificates and hands-on help."
      />
      {catalog.length === 0 ? (
        <EmptyState title="Nothing for sale yet">Check back soon.</EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {catalog.map((item) => (
            <li
              key={item.id}
              className="flex flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
            >
              <div className="flex items-start justify-between gap-2">
                <h2 className="font-medium text-slate-900">
                  <Link
                    href={`/products/${item.slug}`}
                    className="hover:text-indigo-600"
                  >
                    {item.name}
                  </Link>
                </h2>
                <Badge>{item.kind === "service" ? "Service" : "Product"}</Badge>
              </div>
              <p className="mt-2 flex-1 text-sm text-slate-600">
                {item.summary}
              </p>
              {item.prices[0] ? (
                <p className="mt-4 font-semibold text-slate-900">
                  {formatPrice(item.prices[0])}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
