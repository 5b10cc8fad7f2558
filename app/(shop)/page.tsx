import Link from "next/link";
import { getDb } from "@/db/client";
import { ButtonLink } from "@/components/ui/button";
import { listCatalog } from "@/lib/catalog/queries";
import { formatPrice } from "@/lib/format";

export default async function HomePage() {
  const catalog = (await listCatalog(await getDb())).slice(0, 3);
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
            <ButtonLink href="/tickets" size="lg" variant="secondary">
              Get support
            </ButtonLink>
          </div>
        </div>
      </section>
      <section className="mx-auto max-w-6xl px-4 py-12 sm:px-6">
        <h2 className="text-lg font-semibold text-slate-900">
          Popular right now
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-3">
          {catalog.map((item) => (
            <li
              key={item.id}
              className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
            >
              <Link
                href={`/products/${item.slug}`}
                className="font-medium text-slate-900 hover:text-indigo-600"
              >
                {item.name}
              </Link>
              <p className="mt-1 text-sm text-slate-600">{item.summary}</p>
              {item.prices[0] ? (
                <p className="mt-3 text-sm font-semibold text-slate-900">
                  {formatPrice(item.prices[0])}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
