import Image from "next/image";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { PRODUCT_KIND_LABELS } from "@/lib/catalog/schemas";
import { cn } from "@/lib/cn";
import { formatPrice } from "@/lib/format";

type Price = Parameters<typeof formatPrice>[0];

export type ProductCardItem = {
  slug: string;
  name: string;
  summary: string;
  kind: "product" | "service";
  category: string;
  isAvailable: boolean;
  imageId: string | null;
  /** Active prices, cheapest first. */
  prices: Price[];
};

/** Where a stored product image is served; its id never changes its bytes. */
export const productImageUrl = (imageId: string) =>
  `/products/images/${imageId}`;

/** The cheapest price, with "from" when there are others: "from €5.90 / month". */
export function fromPrice(prices: Price[]): string | null {
  const [cheapest] = prices;
  if (!cheapest) return null;
  return prices.length > 1
    ? `from ${formatPrice(cheapest)}`
    : formatPrice(cheapest);
}

/** A product's image, or a neutral tile with the kind's icon when it has none. */
export function ProductImage({
  imageId,
  kind,
  sizes,
  className,
  preload,
}: {
  imageId: string | null;
  kind: "product" | "service";
  sizes: string;
  className?: string;
  preload?: boolean;
}) {
  return (
    <div
      className={cn(
        "relative aspect-[4/3] overflow-hidden bg-slate-100",
        className,
      )}
    >
      {imageId ? (
        <Image
          src={productImageUrl(imageId)}
          alt=""
          fill
          sizes={sizes}
          preload={preload}
          // Served as stored, cached for a year by the image route.
          unoptimized
          className="object-cover"
        />
      ) : (
        <div aria-hidden className="grid h-full place-items-center">
          <svg
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth={1.5}
            className="size-12 text-slate-300"
          >
            {kind === "service" ? (
              <path
                strokeLinecap="round"
                strokeLinejoin="round"
                d="M2.25 15a4.5 4.5 0 0 0 4.5 4.5H18a3.75 3.75 0 0 0 1.33-7.26 3 3 0 0 0-3.76-3.84A5.25 5.25 0 0 0 5.5 10.7 4.5 4.5 0 0 0 2.25 15Z"
              />
            ) : (
              <path
                strokeLinecap="round"
                strokeLinejoin="round"
                d="m21 7.5-9-5.25L3 7.5m18 0-9 5.25m9-5.25v9l-9 5.25M3 7.5l9 5.25M3 7.5v9l9 5.25m0-9v9"
              />
            )}
          </svg>
        </div>
      )}
    </div>
  );
}

/** A catalogue tile: image, name, kind, summary and the cheapest price. Any text fits its width. */
export function ProductCard({
  item,
  headingLevel = 2,
}: {
  item: ProductCardItem;
  /** 3 where the cards sit under a section's own h2. */
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 3 ? "h3" : "h2";
  const price = fromPrice(item.prices);
  const available = item.isAvailable && item.prices.length > 0;
  return (
    <article className="relative flex h-full min-w-0 flex-col overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200 focus-within:ring-2 focus-within:ring-indigo-600 hover:ring-slate-300">
      <ProductImage
        imageId={item.imageId}
        kind={item.kind}
        sizes="(min-width: 1024px) 22rem, (min-width: 640px) 50vw, 100vw"
      />
      <div className="flex flex-1 flex-col p-5">
        <div className="flex items-start justify-between gap-2">
          <Heading
            dir="auto"
            className="min-w-0 font-medium [overflow-wrap:anywhere] break-words text-slate-900"
          >
            {/* Its ::after covers the card, so the whole tile is the link and the name its label. */}
            <Link
              href={`/products/${item.slug}`}
              className="outline-none after:absolute after:inset-0 hover:text-indigo-600"
            >
              {item.name}
            </Link>
          </Heading>
          <Badge tone={item.kind === "service" ? "blue" : "gray"}>
            {PRODUCT_KIND_LABELS[item.kind]}
          </Badge>
        </div>
        {item.category ? (
          <p
            dir="auto"
            className="mt-1 text-xs [overflow-wrap:anywhere] break-words text-slate-500"
          >
            {item.category}
          </p>
        ) : null}
        <p
          dir="auto"
          className="mt-2 flex-1 text-sm [overflow-wrap:anywhere] break-words text-slate-600"
        >
          {item.summary}
        </p>
        <div className="mt-4 flex flex-wrap items-center justify-between gap-2">
          {price ? (
            <p className="font-semibold text-slate-900">{price}</p>
          ) : null}
          {available ? null : (
            <Badge tone="yellow">Currently unavailable</Badge>
          )}
        </div>
      </div>
    </article>
  );
}
