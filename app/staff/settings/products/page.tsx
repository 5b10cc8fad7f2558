import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { listProductsForStaff } from "@/lib/catalog/queries";
import { PRODUCT_KIND_LABELS } from "@/lib/catalog/schemas";
import { formatPrice } from "@/lib/format";
import { ProductStatus } from "./product-status";

export const metadata: Metadata = { title: "Products" };

export default async function ProductsSettingsPage() {
  await requireAdmin("/staff/settings/products");
  const products = await listProductsForStaff(await getDb());
  return (
    <>
      <PageHeader
        title="Products"
        description="What the shop sells. A price change applies to new orders at once; orders already placed keep the price they were bought at. Archived products leave the shop but stay on their orders."
        actions={
          <ButtonLink href="/staff/settings/products/new">
            New product
          </ButtonLink>
        }
      />
      {products.length === 0 ? (
        <EmptyState title="No products yet">
          <Link
            href="/staff/settings/products/new"
            className="text-indigo-600 hover:text-indigo-500"
          >
            Create the first one
          </Link>
          .
        </EmptyState>
      ) : (
        <Table columns={["Name", "Category", "Kind", "Prices", "Status"]}>
          {products.map((p) => (
            <tr key={p.id} className={p.isActive ? undefined : "bg-slate-50"}>
              <Td className="max-w-80 min-w-48">
                <Link
                  href={`/staff/settings/products/${p.id}`}
                  dir="auto"
                  className="font-medium [overflow-wrap:anywhere] break-words text-indigo-600 hover:text-indigo-500"
                >
                  {p.name}
                </Link>
                <p className="font-mono text-xs break-all text-slate-500">
                  {p.slug}
                </p>
              </Td>
              <Td
                dir="auto"
                className="[overflow-wrap:anywhere] break-words text-slate-700"
              >
                {p.category || <span className="text-slate-500">None</span>}
              </Td>
              <Td className="text-slate-700">{PRODUCT_KIND_LABELS[p.kind]}</Td>
              <Td className="whitespace-nowrap text-slate-700">
                {p.prices.length ? (
                  <ul>
                    {p.prices.map((price) => (
                      <li key={price.id}>{formatPrice(price)}</li>
                    ))}
                  </ul>
                ) : (
                  <Badge tone="yellow">No price</Badge>
                )}
              </Td>
              <Td>
                <ProductStatus product={p} />
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
