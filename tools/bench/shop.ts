// The shop part of `npm run bench`, on a throw-away PostgreSQL database with 1,000 generated
// products: the catalogue pages of the production build (`.next`, served by server/main.ts), checkout
// against the contract fake Stripe, and the fake's webhook events posted back to the server with
// duplicates. Always stops the server and the fake and drops the database.
import "server-only";
import http from "node:http";
import postgres from "postgres";
import type Stripe from "stripe";
import { migratePostgres } from "@/db/migrate";
import { openPostgres } from "@/db/open";
import type { Db } from "@/db/types";
import type { Viewer } from "@/lib/auth/viewer";
import { withBenchDatabase } from "@/tools/bench/bench-database";
import { measure, percentile, type Timing } from "@/tools/bench/measure";
import type {
  ShopCatalogue,
  ShopCheckoutResult,
  ShopPageResult,
  ShopWebhookResult,
} from "@/tools/bench/report";
import { startBenchServer } from "@/tools/bench/server";
import { benchWebConcurrency } from "@/testing/bench-env";
import { COMMON_QUERY, RARE_QUERY, VOCABULARY } from "@/tools/bench/words";
import { addToCart } from "@/lib/cart/cart";
import { addToCartInput } from "@/lib/cart/schemas";
import { bumpCatalogVersion } from "@/lib/catalog/version";
import { checkout, type CheckoutDeps } from "@/lib/orders/checkout";
import { createStripeClient } from "@/lib/stripe/client";
import { errorCodes } from "@/lib/errors";
import { startFakeStripe, type FakeStripe } from "@/testing/stripe/fake";

export const SHOP_PAGE_WARM_UP = 20;
export const SHOP_PAGE_RUNS = 200;
export const SHOP_CHECKOUT_WARM_UP = 20;
export const SHOP_CHECKOUTS = 1_000;
export const SHOP_WEBHOOK_WARM_UP = 10;
const PRODUCTS = 1_000;
const CATEGORIES = [
  "Web hosting",
  "Domains",
  "Email",
  "SSL certificates",
  "Servers",
  "Backups",
  "Hardware",
  "Support packs",
];
const TIERS = ["Basic", "Plus", "Pro", "Business", "Enterprise"];
// A fifth of the events are delivered twice, as Stripe's retries of a slow answer are.
const DUPLICATE_SHARE = 0.2;
const IN_FLIGHT = 10;
// The longest the counts wait for the invoices of the last deliveries to be numbered.
const NUMBERING_WAIT_MS = 30_000;
const SEED = 0.42;
const SECRET_KEY = "sk_test_portico_bench";
const WEBHOOK_SECRET = "whsec_portico_bench";

export type ShopBench = {
  /** App processes serving the port (WEB_CONCURRENCY). */
  processes: number;
  catalogue: ShopCatalogue;
  pages: ShopPageResult[];
  checkout: ShopCheckoutResult;
  webhooks: ShopWebhookResult;
};

export async function benchShop(serverUrl: string): Promise<ShopBench> {
  return withBenchDatabase(serverUrl, "shop", async (db) => {
    console.log(`Shop: created ${db.name}; migrating.`);
    await migratePostgres(db.url);
    const pg = postgres(db.url, { max: 2, onnotice: () => {} });
    db.onCleanup(() => pg.end({ timeout: 0 }));
    // The app's own pool settings, for checkout as the cart action would run it.
    const app = await openPostgres(db.url);
    db.onCleanup(app.close);
    const catalogue = await generateCatalogue(
      pg,
      SHOP_CHECKOUT_WARM_UP + SHOP_CHECKOUTS,
    );
    // As every catalogue write does: the pages' cache is keyed by this version, so no entry an
    // earlier run left in `.next/cache` (naming the products of a database since dropped) is read.
    await bumpCatalogVersion(app.db);
    console.log(
      `  ${int(catalogue.products)} products, ${int(catalogue.prices)} prices, ${int(catalogue.customers)} customers in ${catalogue.seconds.toFixed(1)} s`,
    );

    const fake = await startFakeStripe({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
    });
    db.onCleanup(fake.close);
    // The bench posts the events itself, at its own pace.
    fake.setDelivery(false);
    const processes = benchWebConcurrency();
    const base = await startBenchServer(db, {
      // `WEB_CONCURRENCY=2 npm run bench -- --only shop` serves it from a cluster of app processes.
      WEB_CONCURRENCY: String(processes),
      SEED_DEMO_DATA: "never",
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: fake.url,
    });

    console.log("Shop: catalogue and product pages…");
    const pages = await benchPages(base, pg);
    console.log("Shop: checkout against the fake Stripe…");
    const { result: checkoutResult, sessionIds } = await benchCheckout(
      app.db,
      pg,
      fake,
      base,
    );
    console.log("Shop: Stripe webhooks with duplicates…");
    const webhooks = await benchWebhooks(base, pg, fake, sessionIds);
    return { processes, catalogue, pages, checkout: checkoutResult, webhooks };
  });
}

const int = (n: number) => n.toLocaleString("en-US");

/** Deterministic in [0, 1) (mulberry32), so every run picks the same slugs, carts and duplicates. */
function seeded(seed: number): () => number {
  let a = Math.floor(seed * 2 ** 32) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  if (items.length === 0) throw new Error("Nothing to pick from.");
  return items[Math.floor(random() * items.length)]!;
}

// A word drawn with a Zipf-like skew from the vocabulary array `words` (1-based, V entries).
const zipfWord = (v: number) =>
  `words[least(${v}, floor(exp(random() * ln(${v + 1})))::int)]`;

/**
 * Products, their prices and the customers who will buy them, with set-based SQL and a seeded
 * random(). Half the products are services billed monthly (half of those also yearly), half are
 * sold once (three in ten at a second price); one in twenty is unavailable.
 */
async function generateCatalogue(
  pg: postgres.Sql,
  customers: number,
): Promise<ShopCatalogue> {
  const started = performance.now();
  const v = VOCABULARY.length;
  await pg.begin(async (tx) => {
    await tx`select setseed(${SEED})`;
    // The subqueries name g.i so that PostgreSQL draws new words for every row.
    await tx.unsafe(
      `
      with w as (select $1::text[] as words, $2::text[] as categories, $3::text[] as tiers),
      g as (
        select i, random() as rkind, random() as rcat, random() as ravail, random() as rtier,
               (select initcap(${zipfWord(v)}) || ' ' || initcap(${zipfWord(v)})
                from w where g.i > 0) as stem
        from generate_series(1, $4::int) as g(i)
      )
      insert into products (slug, name, summary, description, kind, category, is_available)
      select
        regexp_replace(lower(stem || ' ' || tiers[1 + floor(rtier * array_length(tiers, 1))::int]),
                       '[^a-z0-9]+', '-', 'g') || '-' || i,
        stem || ' ' || tiers[1 + floor(rtier * array_length(tiers, 1))::int],
        (select string_agg(${zipfWord(v)}, ' ') from w, generate_series(1, 8 + g.i % 7)),
        (select string_agg(${zipfWord(v)}, ' ') from w, generate_series(1, 40 + g.i % 80))
          || case when i % 200 = 0 then ' ' || $5 else '' end,
        (case when rkind < 0.5 then 'service' else 'product' end)::product_kind,
        categories[1 + floor(rcat * array_length(categories, 1))::int],
        ravail >= 0.05
      from g, w`,
      [VOCABULARY, CATEGORIES, TIERS, PRODUCTS, RARE_QUERY],
    );
    // Whole euros less a cent, from each slug's hash, so a product's prices agree with each other.
    await tx`
      with p as (select id, kind, 1 + abs(hashtext(slug)) % 99 as euros from products)
      insert into prices (product_id, currency, unit_amount, type, interval, interval_count)
      select id, 'EUR', euros * 100 - 1, 'recurring'::price_type, 'month'::billing_interval, 1
      from p where kind = 'service'
      union all
      select id, 'EUR', euros * 1000 - 1, 'recurring', 'year', 1 from p
        where kind = 'service' and random() < 0.5
      union all
      select id, 'EUR', euros * 500 - 1, 'one_time', null, null from p where kind = 'product'
      union all
      select id, 'EUR', euros * 1200 - 1, 'one_time', null, null from p
        where kind = 'product' and random() < 0.3`;
    await tx`
      insert into users (email, name, role, email_verified_at)
      -- Confirmed addresses, as a shop's customers have: their receipts are part of the work.
      select 'shopper' || i || '@example.test', 'Shopper ' || i, 'customer', now()
      from generate_series(1, ${customers}) as g(i)`;
  });
  await pg`vacuum (analyze) products, prices, users`;
  const [counts] = await pg<[Omit<ShopCatalogue, "seconds">]>`
    select (select count(*)::int from products) as products,
           (select count(*)::int from products where kind = 'service') as services,
           (select count(*)::int from products where is_available) as available,
           (select count(*)::int from prices) as prices,
           (select count(distinct category)::int from products) as categories,
           (select count(*)::int from users where role = 'customer') as customers`;
  return { ...counts, seconds: (performance.now() - started) / 1000 };
}

type PageScenario = {
  name: string;
  /** As reported; `<slug>` stands for a random product's. */
  path: string;
  /** The path of the next request. */
  next: () => string;
  /** Products the page lists in all; null for a product page. */
  matches: number | null;
  /** Text the first answer must hold: a link to the first product it should list, or a name. */
  expect: string;
};

async function benchPages(
  base: string,
  pg: postgres.Sql,
): Promise<ShopPageResult[]> {
  const random = seeded(SEED);
  const slugs = await pg<Array<{ slug: string; name: string }>>`
    select slug, name from products where is_active order by slug`;
  const category = CATEGORIES[0]!;
  const listed = async (where: postgres.PendingQuery<postgres.Row[]>) => {
    const rows = await pg<Array<{ slug: string; total: number }>>`
      select slug, count(*) over ()::int as total from products
      where is_active and ${where}
      order by sort_order, name, id limit 1`;
    return { first: rows[0]?.slug, total: rows[0]?.total ?? 0 };
  };
  const matching = (word: string) => {
    const pattern = `%${word}%`;
    return pg`(name ilike ${pattern} or summary ilike ${pattern}
               or description ilike ${pattern} or category ilike ${pattern})`;
  };
  const all = await listed(pg`true`);
  const common = await listed(matching(COMMON_QUERY));
  const rare = await listed(matching(RARE_QUERY));
  const inCategory = await listed(pg`category = ${category}`);
  const link = (slug: string | undefined) => `href="/products/${slug}"`;
  const fixed = (
    name: string,
    path: string,
    matches: number,
    first: string | undefined,
  ): PageScenario => ({
    name,
    path,
    next: () => path,
    matches,
    expect: link(first),
  });
  const sample = pick(slugs, random);
  const scenarios: PageScenario[] = [
    fixed("Catalogue, first page", "/products", all.total, all.first),
    fixed(
      "Search, common word",
      `/products?q=${COMMON_QUERY}`,
      common.total,
      common.first,
    ),
    fixed(
      "Search, rare word",
      `/products?q=${RARE_QUERY}`,
      rare.total,
      rare.first,
    ),
    fixed(
      "Category",
      `/products?category=${encodeURIComponent(category)}`,
      inCategory.total,
      inCategory.first,
    ),
    {
      name: "Product page, random slug",
      path: "/products/<slug>",
      next: () => `/products/${pick(slugs, random).slug}`,
      matches: null,
      expect: sample.name,
    },
  ];

  const results: ShopPageResult[] = [];
  for (const s of scenarios) {
    const first = s.matches === null ? `/products/${sample.slug}` : s.path;
    const html = await get(`${base}${first}`);
    if (!html.includes(s.expect))
      throw new Error(`GET ${first} does not hold ${s.expect}.`);
    const timing = await measure(() => get(`${base}${s.next()}`), {
      warmUp: SHOP_PAGE_WARM_UP,
      runs: SHOP_PAGE_RUNS,
    });
    results.push({
      name: s.name,
      path: s.path,
      matches: s.matches,
      bytes: Buffer.byteLength(html),
      timing,
    });
    console.log(
      `  ${s.name.padEnd(28)} ${s.matches === null ? "" : `${s.matches}`.padStart(5)}  p50 ${timing.p50.toFixed(1)} ms  p95 ${timing.p95.toFixed(1)} ms  max ${timing.max.toFixed(1)} ms`,
    );
  }
  return results;
}

/** The whole page, as a browser reads it; anything but 200 ends the bench. */
async function get(url: string): Promise<string> {
  const res = await fetch(url, { redirect: "manual" });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}.`);
  return html;
}

/**
 * Gives every customer a cart of two products (untimed), then times `checkout` for each, one after
 * another: even customers buy two one-time products (payment mode), odd ones a monthly service and
 * a one-time product (subscription mode).
 */
async function benchCheckout(
  db: Db,
  pg: postgres.Sql,
  fake: FakeStripe,
  appUrl: string,
): Promise<{ result: ShopCheckoutResult; sessionIds: string[] }> {
  const random = seeded(SEED / 2);
  const customers = await pg<Viewer[]>`
    select id, email, name, role from users where role = 'customer' order by email`;
  const offers = await pg<
    Array<{ priceId: string; productId: string; isRecurring: boolean }>
  >`
    select pr.id as "priceId", p.id as "productId", pr.type = 'recurring' as "isRecurring"
    from prices pr join products p on p.id = pr.product_id
    where p.is_active and p.is_available and pr.is_active
      and (pr.type = 'one_time' or pr.interval = 'month')
    order by p.slug, pr.unit_amount`;
  const oneTime = offers.filter((o) => !o.isRecurring);
  const monthly = offers.filter((o) => o.isRecurring);
  for (const [i, customer] of customers.entries()) {
    const first = pick(i % 2 === 0 ? oneTime : monthly, random);
    let second = pick(oneTime, random);
    while (second.productId === first.productId) second = pick(oneTime, random);
    for (const offer of [first, second]) {
      const added = await addToCart(
        db,
        { userId: customer.id },
        addToCartInput.parse({
          priceId: offer.priceId,
          quantity: offer.isRecurring ? 1 : 1 + Math.floor(random() * 3),
        }),
      );
      if (!added.ok) throw new Error(added.error.message);
    }
  }

  const stripe = createStripeClient(
    {
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiUrl: fake.url,
      automaticTax: false,
    },
    { maxNetworkRetries: 0 },
  );
  let n = 0;
  const timing = await measure(
    async () => {
      const customer = customers[n++];
      if (!customer) throw new Error("More checkouts than customers.");
      const deps: CheckoutDeps = {
        stripe,
        appUrl,
        automaticTax: false,
        bankTransferDetails: "",
        now: new Date(),
      };
      const outcome = await checkout(db, customer, deps);
      if (!outcome.ok) throw new Error(outcome.error.message);
      if (outcome.value.kind !== "redirect")
        throw new Error(`Checkout ${outcome.value.kind}, not redirected.`);
    },
    { warmUp: SHOP_CHECKOUT_WARM_UP, runs: SHOP_CHECKOUTS },
  );
  console.log(
    `  ${int(timing.runs)} sessions  p50 ${timing.p50.toFixed(1)} ms  p95 ${timing.p95.toFixed(1)} ms  max ${timing.max.toFixed(1)} ms`,
  );
  const sessions = await pg<
    Array<{ sessionId: string | null; isSubscription: boolean }>
  >`
    select checkout_session_id as "sessionId",
           exists (select 1 from services s where s.order_id = o.id) as "isSubscription"
    from orders o order by number`;
  const sessionIds = sessions.map((s) => {
    if (!s.sessionId) throw new Error("An order without a Checkout Session.");
    return s.sessionId;
  });
  const subscriptionMode = sessions.filter((s) => s.isSubscription).length;
  return {
    result: {
      warmUp: SHOP_CHECKOUT_WARM_UP,
      paymentMode: sessions.length - subscriptionMode,
      subscriptionMode,
      timing,
    },
    sessionIds,
  };
}

/**
 * Completes every session in the fake, then posts its events and a share of them again, shuffled
 * and signed beforehand, to the server's webhook with IN_FLIGHT requests at a time; then counts
 * what the orders show.
 */
async function benchWebhooks(
  base: string,
  pg: postgres.Sql,
  fake: FakeStripe,
  sessionIds: string[],
): Promise<ShopWebhookResult> {
  const random = seeded(SEED / 3);
  const events: Stripe.Event[] = [];
  for (const id of sessionIds) events.push(...(await fake.completeSession(id)));
  const types: Record<string, number> = {};
  for (const e of events) types[e.type] = (types[e.type] ?? 0) + 1;
  const again = new Set<number>();
  while (again.size < Math.round(events.length * DUPLICATE_SHARE))
    again.add(Math.floor(random() * events.length));
  const deliveries = [...events, ...[...again].map((i) => events[i]!)];
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  const url = `${base}/api/webhooks/stripe`;
  // Kept-alive connections, one per delivery in flight, as fetch keeps them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

  // Events of a type Portico does not act on (Stripe sends many): the route's first calls load it.
  const warmUp = Array.from({ length: SHOP_WEBHOOK_WARM_UP }, (_, i) =>
    fake.signedRequest({
      ...events[0]!,
      id: `evt_bench_warm_up_${i}`,
      type: "customer.created",
    } as unknown as Stripe.Event),
  );
  for (const request of warmUp) {
    const status = await post(url, request, agent);
    if (status !== "200")
      throw new Error(`A warm-up delivery was answered with ${status}.`);
  }

  const signed = deliveries.map((e) => fake.signedRequest(e));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < signed.length; i = next++) {
        const sent = performance.now();
        const status = await post(url, signed[i]!, agent);
        latencies.push(performance.now() - sent);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const latency: Timing = {
    runs: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies[latencies.length - 1]!,
  };

  // A group of deliveries is answered at its commit and its invoices numbered just after
  // (lib/stripe/deliveries.ts): the counts below wait for the last numbering run.
  const answered = performance.now();
  for (;;) {
    const [{ due }] = await pg<[{ due: number }]>`
      select count(*)::int as due from orders where invoice_due_at is not null`;
    if (due === 0 || performance.now() - answered > NUMBERING_WAIT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const numberedAfter = (performance.now() - answered) / 1000;

  const [ledger] = await pg<
    [
      Pick<
        ShopWebhookResult,
        | "orders"
        | "paid"
        | "payments"
        | "onePayment"
        | "onePaidEvent"
        | "oneReceipt"
        | "eventsRecorded"
      >,
    ]
  >`
    select (select count(*)::int from orders) as orders,
           (select count(*)::int from orders where status = 'paid') as paid,
           (select count(*)::int from payments) as payments,
           (select count(*)::int from orders o
             where (select count(*) from payments p where p.order_id = o.id) = 1) as "onePayment",
           (select count(*)::int from orders o
             where (select count(*) from order_events e
                    where e.order_id = o.id and e.status = 'paid') = 1) as "onePaidEvent",
           (select count(*)::int from orders o
             where (select count(*) from outbound_mail m
                    where m.kind = 'payment_receipt' and m.to_address = o.email) = 1) as "oneReceipt",
           (select count(*)::int from webhook_events
             where provider = 'stripe' and processed_at is not null
               and event_id not like 'evt_bench_warm_up_%') as "eventsRecorded"`;
  const result: ShopWebhookResult = {
    events: events.length,
    types,
    duplicates: again.size,
    inFlight: IN_FLIGHT,
    warmUp: SHOP_WEBHOOK_WARM_UP,
    seconds,
    latency,
    statuses,
    ...ledger,
    numberedAfter,
  };
  console.log(
    `  ${int(deliveries.length)} deliveries in ${seconds.toFixed(2)} s (${(deliveries.length / seconds).toFixed(0)}/s)  ` +
      `p50 ${latency.p50.toFixed(1)} ms  p95 ${latency.p95.toFixed(1)} ms  max ${latency.max.toFixed(1)} ms  ` +
      `statuses ${JSON.stringify(statuses)}  paid ${ledger.paid}/${ledger.orders}  payments ${ledger.payments}  ` +
      `receipts ${ledger.oneReceipt}  numbered ${numberedAfter.toFixed(2)} s after`,
  );
  return result;
}

/**
 * The answer's status, or why there was none. With node:http rather than fetch: the client shares
 * the server's two cores, and fetch spent more than twice the CPU on each delivery.
 */
async function post(
  url: string,
  request: { body: string; headers: Record<string, string> },
  agent: http.Agent,
): Promise<string> {
  try {
    return await new Promise<string>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: "POST",
          agent,
          headers: {
            ...request.headers,
            "Content-Length": Buffer.byteLength(request.body),
          },
        },
        (res) => {
          res.on("error", reject);
          res.on("end", () => resolve(String(res.statusCode)));
          res.resume();
        },
      );
      req.on("error", reject);
      req.end(request.body);
    });
  } catch (error) {
    // A socket error's message may not name it; its code says what happened to the connection.
    const code = errorCodes(error)[0] ?? "";
    return error instanceof Error
      ? `${error.message}${code ? ` (${code})` : ""}`
      : String(error);
  }
}
