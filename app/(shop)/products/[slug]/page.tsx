import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { Card } from "@/components/ui/card";
import { getCatalogItem } from "@/lib/catalog/queries";
import { formatPrice } from "@/lib/format";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const item = await getCatalogItem(await getDb(), (await params).slug);
  return { title: item?.name ?? "Product not found" };
}

export default async function ProductPage({ params }: Props) {
  const item = await getCatalogItem(await getDb(), (await params).slug);
  if (!item) notFound();
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Link
        href="/products"
        className="text-sm text-slate-600 hover:text-slate-900"
      >
        ← All products
      </Link>
      <h1 className="mt-4 text-3xl font-semibold tracking-tight text-slate-900">
        {item.name}
      </h1>
      <p className="mt-3 text-lg text-slate-600">{item.description}</p>
      <Card className="mt-8 p-6">
        <h2 className="text-sm font-medium text-slate-500">Price</h2>
        <ul className="mt-2 space-y-1">
          {item.prices.map((price) => (
            <li
              key={price.id}
              className="text-2xl font-semibold text-slate-900"
            >
              {formatPrice(price)}
            </li>
          ))}
        </ul>
        <p className="mt-4 text-sm text-slate-600">
          Prices include VAT. Recurring services can be cancelled at the end of
          any period.
        </p>
      </Card>
    </div>
  );
}
