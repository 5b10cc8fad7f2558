import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ProductCard } from "@/components/shop/product-card";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { SearchField } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { getCatalogPage, listCategoriesCached } from "@/lib/catalog/cached";
import {
  catalogFilterInput,
  type CatalogFilterInput,
} from "@/lib/catalog/schemas";
import { cn } from "@/lib/cn";

export const metadata: Metadata = { title: "Products and services" };

const PAGE_SIZE = 24;

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function productsHref(filter: Partial<CatalogFilterInput>): string {
  const params = new URLSearchParams();
  if (filter.q) params.set("q", filter.q);
  if (filter.category) params.set("category", filter.category);
  if (filter.page && filter.page > 1) params.set("page", String(filter.page));
  const query = params.toString();
  return query ? `/products?${query}` : "/products";
}

export default async function ProductsPage({ searchParams }: Props) {
  const filter = catalogFilterInput.parse(await searchParams);
  const [{ items, total }, categories] = await Promise.all([
    getCatalogPage(filter, PAGE_SIZE),
    listCategoriesCached(),
  ]);
  const filtered = Boolean(filter.q || filter.category);

  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <PageHeader
        title="Products and services"
        description="Hosting, domains, certificates and hands-on help."
      />
      <form
        role="search"
        action="/products"
        className="mb-4 flex flex-wrap items-end gap-3"
      >
        <SearchField
          defaultValue={filter.q}
          placeholder="Search products and services"
        />
        {filter.category ? (
          <input type="hidden" name="category" value={filter.category} />
        ) : null}
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {categories.length > 0 ? (
        <nav aria-label="Categories" className="mb-6">
          <ul className="flex flex-wrap gap-2">
            <li>
              <CategoryChip
                href={productsHref({ q: filter.q })}
                current={!filter.category}
              >
                All
              </CategoryChip>
            </li>
            {categories.map((c) => (
              <li key={c.name} className="min-w-0">
                <CategoryChip
                  href={productsHref({ q: filter.q, category: c.name })}
                  current={filter.category === c.name}
                >
                  <span dir="auto">{c.name}</span>{" "}
                  <span className="text-slate-500">{c.count}</span>
                </CategoryChip>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {items.length === 0 && total > 0 ? (
        <EmptyState title="This page is past the end">
          <Link
            href={productsHref({ ...filter, page: 1 })}
            className="text-indigo-600 hover:text-indigo-500"
          >
            Back to the first page
          </Link>
        </EmptyState>
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState title="Nothing matches">
            <p className="[overflow-wrap:anywhere] break-words">
              {filter.q ? (
                <>
                  No products match <q dir="auto">{filter.q}</q>
                  {filter.category ? (
                    <>
                      {" "}
                      in <span dir="auto">{filter.category}</span>
                    </>
                  ) : null}
                  .{" "}
                </>
              ) : (
                "There is nothing in this category. "
              )}
              <Link
                href="/products"
                className="text-indigo-600 hover:text-indigo-500"
              >
                Show everything
              </Link>
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="Nothing for sale yet">Check back soon.</EmptyState>
        )
      ) : (
        <>
          {filter.q ? (
            <p className="mb-4 text-sm text-slate-600" aria-live="polite">
              {total} {total === 1 ? "result" : "results"}
            </p>
          ) : null}
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {items.map((item) => (
              <li key={item.id} className="min-w-0">
                <ProductCard item={item} />
              </li>
            ))}
          </ul>
          <Pagination
            page={filter.page}
            pageSize={PAGE_SIZE}
            total={total}
            href={(p) => productsHref({ ...filter, page: p })}
          />
        </>
      )}
    </div>
  );
}

function CategoryChip({
  href,
  current,
  children,
}: {
  href: string;
  current: boolean;
  children: ReactNode;
}) {
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={cn(
        "inline-flex max-w-full items-center gap-1 rounded-full px-3 py-1 text-sm font-medium [overflow-wrap:anywhere] break-words ring-1 ring-inset",
        current
          ? "bg-indigo-600 text-white ring-indigo-600"
          : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
      )}
    >
      {children}
    </Link>
  );
}
