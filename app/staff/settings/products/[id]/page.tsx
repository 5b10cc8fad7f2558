import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { productImageUrl } from "@/components/shop/product-card";
import { ActionButton } from "@/components/ui/action-button";
import { Alert } from "@/components/ui/alert";
import { BackLink } from "@/components/ui/back-link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { getProductForStaff, listCategories } from "@/lib/catalog/queries";
import {
  decimalAmount,
  PRODUCT_KIND_LABELS,
  productId,
} from "@/lib/catalog/schemas";
import { env } from "@/lib/env";
import { formatPrice } from "@/lib/format";
import {
  addPriceAction,
  archiveProductAction,
  changePriceAction,
  removePriceAction,
  restoreProductAction,
  setProductImageAction,
  updateProductAction,
} from "../actions";
import { ProductImageForm } from "../image-form";
import { AddPriceForm, ChangePriceForm } from "../price-forms";
import { ProductForm } from "../product-form";
import { ProductStatus } from "../product-status";

export const metadata: Metadata = { title: "Product" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ProductSettingsPage({
  params,
  searchParams,
}: Props) {
  const { id: rawId } = await params;
  await requireAdmin(`/staff/settings/products/${encodeURIComponent(rawId)}`);
  const id = productId.safeParse(rawId);
  if (!id.success) notFound();
  const db = await getDb();
  const [product, categories] = await Promise.all([
    getProductForStaff(db, id.data),
    listCategories(db),
  ]);
  if (!product) notFound();
  // Straight from the new-product form, until the product has the price it needs.
  const justCreated =
    (await searchParams).created === "1" && product.prices.length === 0;

  return (
    <>
      <BackLink href="/staff/settings/products">Products</BackLink>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <h1
            dir="auto"
            className="text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] break-words text-slate-900"
          >
            {product.name}
          </h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <ProductStatus product={product} />
            <span>{PRODUCT_KIND_LABELS[product.kind]}</span>
            {product.isActive ? (
              <Link
                href={`/products/${product.slug}`}
                className="font-medium text-indigo-600 hover:text-indigo-500"
              >
                View in the shop
              </Link>
            ) : null}
          </p>
        </div>
      </div>
      {justCreated ? (
        <div className="mb-6">
          <Alert tone="success">
            Product created. Add a price so customers can order it.
          </Alert>
        </div>
      ) : null}
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Card className="p-5">
            <ProductForm
              action={updateProductAction}
              categories={categories.map((c) => c.name)}
              product={{
                id: product.id,
                slug: product.slug,
                name: product.name,
                summary: product.summary,
                description: product.description,
                kind: product.kind,
                category: product.category,
                isAvailable: product.isAvailable,
                sortOrder: product.sortOrder,
              }}
            />
          </Card>
          <Card className="p-5">
            <h2 className="font-medium text-slate-900">Prices</h2>
            <p className="mt-1 mb-4 text-sm text-slate-600">
              Changing a price replaces it for new orders; orders already placed
              keep the price they were bought at. A service can have one price
              per billing period, such as monthly and yearly.
            </p>
            {product.prices.length === 0 ? (
              <p className="mb-4 text-sm text-slate-600">
                <Badge tone="yellow">No price</Badge> Customers see this product
                as currently unavailable until it has one.
              </p>
            ) : (
              <ul className="mb-6 divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
                {product.prices.map((price) => {
                  const label = formatPrice(price);
                  return (
                    <li
                      key={price.id}
                      className="flex flex-wrap items-end justify-between gap-4 px-4 py-3"
                    >
                      <div className="min-w-40">
                        <p className="font-semibold text-slate-900">{label}</p>
                        <p className="text-xs text-slate-500">
                          {price.type === "recurring" ? "Recurring" : "One-off"}
                        </p>
                      </div>
                      <ChangePriceForm
                        action={changePriceAction}
                        priceId={price.id}
                        label={label}
                        amount={decimalAmount(price.unitAmount)}
                      />
                      <ActionButton
                        action={removePriceAction}
                        fields={{ priceId: price.id }}
                        pendingLabel="Removing…"
                        confirm={`Stop offering ${label}? Orders that hold it keep it.`}
                      >
                        Remove<span className="sr-only"> {label}</span>
                      </ActionButton>
                    </li>
                  );
                })}
              </ul>
            )}
            <h3 className="mb-3 text-sm font-medium text-slate-900">
              Add a price
            </h3>
            <AddPriceForm
              action={addPriceAction}
              productId={product.id}
              currency={env().shop.currency}
            />
          </Card>
        </div>
        <div className="space-y-6">
          <Card className="p-5">
            <h2 className="mb-4 font-medium text-slate-900">Image</h2>
            <ProductImageForm
              action={setProductImageAction}
              productId={product.id}
              currentUrl={
                product.imageId ? productImageUrl(product.imageId) : null
              }
            />
          </Card>
          <Card className="p-5">
            <h2 className="font-medium text-slate-900">
              {product.isActive ? "Archive" : "Restore"}
            </h2>
            <p className="mt-1 mb-4 text-sm text-slate-600">
              {product.isActive
                ? "An archived product leaves the shop. Products are never deleted, so orders keep showing what was bought; you can restore it later."
                : "This product is archived: customers can't see or order it. Restore it to put it back in the shop with its prices."}
            </p>
            {product.isActive ? (
              <ActionButton
                action={archiveProductAction}
                fields={{ id: product.id }}
                pendingLabel="Archiving…"
                confirm={`Archive “${product.name}”? It leaves the shop at once.`}
              >
                Archive product
              </ActionButton>
            ) : (
              <ActionButton
                action={restoreProductAction}
                fields={{ id: product.id }}
                pendingLabel="Restoring…"
              >
                Restore product
              </ActionButton>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
