import { ProductCard } from "@/components/shop/product-card";
import { ButtonLink } from "@/components/ui/button";
import { getViewer } from "@/lib/auth/session";
import { listCatalogCached } from "@/lib/catalog/cached";

const POPULAR = 3;

export default async function HomePage() {
  // The staff's own order puts what sells first; only what can be bought today is shown.
  const viewer = await getViewer();
  const popular = (await listCatalogCached())
    .filter((item) => item.isAvailable && item.prices.length > 0)
    .slice(0, POPULAR);
  return (
    <>
      <section className="bg-white">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
          <p className="text-sm font-semibold text-indigo-600">
            Hosting, domains and IT services
          </p>
          <h1 className="mt-2 max-w-2xl text-4xl font-semibold tracking-tight text-slate-900 sm:text-5xl">
            Everything you buy from us, and all the help you need, in one place.
          </h1>
          <p className="mt-4 max-w-xl text-lg text-slate-600">
            Order services, follow your support tickets and use the mailbox that
            comes with your account.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <ButtonLink href="/products" size="lg">
              Browse products
            </ButtonLink>
            {/* Visitors write through the contact form; customers go to their tickets. */}
            <ButtonLink
              href={viewer ? "/tickets" : "/contact"}
              size="lg"
              variant="secondary"
            >
              Get support
            </ButtonLink>
          </div>
        </div>
      </section>
      {popular.length > 0 ? (
        <section className="mx-auto max-w-6xl px-4 py-12 sm:px-6">
          <h2 className="text-lg font-semibold text-slate-900">
            Popular right now
          </h2>
          <ul className="mt-4 grid gap-4 sm:grid-cols-3">
            {popular.map((item) => (
              <li key={item.id} className="min-w-0">
                <ProductCard item={item} headingLevel={3} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
