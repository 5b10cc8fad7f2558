import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AddToCartForm } from "@/components/shop/add-to-cart-form";
import { ProductImage, fromPrice } from "@/components/shop/product-card";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { getCatalogItemCached } from "@/lib/catalog/cached";
import { catalogSlug, PRODUCT_KIND_LABELS } from "@/lib/catalog/schemas";
import { formatPrice } from "@/lib/format";
import { addToCartAction } from "../../cart/actions";

type Props = { params: Promise<{ slug: string }> };

async function itemOf(params: Props["params"]) {
  const slug = catalogSlug.safeParse((await params).slug);
  return slug.success ? getCatalogItemCached(slug.data) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const item = await itemOf(params);
  return item
    ? { title: item.name, description: item.summary || undefined }
    : { title: "Product not found" };
}

export default async function ProductPage({ params }: Props) {
  const item = await itemOf(params);
  if (!item) notFound();
  const available = item.isAvailable && item.prices.length > 0;
  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <Link
        href="/products"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← All products
      </Link>
      <div className="mt-6 grid items-start gap-8 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={item.kind === "service" ? "blue" : "gray"}>
              {PRODUCT_KIND_LABELS[item.kind]}
            </Badge>
            {item.category ? (
              <Link
                href={`/products?category=${encodeURIComponent(item.category)}`}
                dir="auto"
                className="max-w-full text-sm [overflow-wrap:anywhere] break-words text-slate-600 hover:text-slate-900"
              >
                {item.category}
              </Link>
            ) : null}
          </div>
          <h1
            dir="auto"
            className="mt-3 text-3xl font-semibold tracking-tight [overflow-wrap:anywhere] break-words text-slate-900"
          >
            {item.name}
          </h1>
          {item.summary ? (
            <p
              dir="auto"
              className="mt-3 text-lg [overflow-wrap:anywhere] break-words text-slate-600"
            >
              {item.summary}
            </p>
          ) : null}
          <ProductImage
            imageId={item.imageId}
            kind={item.kind}
            sizes="(min-width: 1024px) 44rem, 100vw"
            preload
            className="mt-6 rounded-lg ring-1 ring-slate-200"
          />
          {item.description ? (
            // Plain text as staff typed it: React escapes it, and its line breaks are kept.
            <div
              dir="auto"
              className="mt-6 text-base leading-7 [overflow-wrap:anywhere] break-words whitespace-pre-line text-slate-700"
            >
              {item.description}
            </div>
          ) : null}
        </div>
        <Card className="p-6 lg:sticky lg:top-6">
          <h2 className="text-sm font-medium text-slate-500">Price</h2>
          {item.prices.length > 0 ? (
            <>
              <p className="mt-1 text-2xl font-semibold text-slate-900">
                {fromPrice(item.prices)}
              </p>
              {item.prices.length > 1 ? (
                <ul className="mt-2 space-y-0.5 text-sm text-slate-600">
                  {item.prices.map((price) => (
                    <li key={price.id}>{formatPrice(price)}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : (
            <p className="mt-1 text-slate-600">Not on sale yet.</p>
          )}
          <div className="mt-6">
            <AddToCartForm
              action={addToCartAction}
              prices={item.prices.map((price) => ({
                id: price.id,
                label: formatPrice(price),
                recurring: price.type === "recurring",
              }))}
              kind={item.kind}
              available={available}
            />
          </div>
          <p className="mt-6 text-xs text-slate-500">
            Prices include VAT.
            {item.prices.some((p) => p.type === "recurring")
              ? " Recurring services can be cancelled at the end of any period."
              : null}
          </p>
        </Card>
      </div>
    </div>
  );
}
