// The in-process fake Shopify (testing/shopify/fake.ts) as a stand-alone server for journeys and local
// runs: the Admin GraphQL API with a few demo orders, the client-credentials grant, and signed order
// webhooks sent to the portal on request.
// Usage: tsx --conditions=react-server e2e/shopify.ts <port> <webhook url> [<webhook secret>] [<admin token>]
//   <port>            what Portico's SHOPIFY_API_URL points at (http://127.0.0.1:<port>)
//   <webhook url>     the portal's webhook route, e.g. http://localhost:3000/api/webhooks/shopify
//   <webhook secret>  Portico's SHOPIFY_API_SECRET (or SHOPIFY_WEBHOOK_SECRET)
//   <admin token>     the fixed token accepted (Portico's SHOPIFY_ADMIN_ACCESS_TOKEN)
// Control over HTTP (JSON bodies):
//   POST /__fake/webhooks       {"email":"alice@example.com"} makes an order and sends orders/create;
//                               {"orderId":"…","topic":"orders/updated"} sends one for an existing order
//   POST /__fake/token-refused  {"refused":true|false}: every API call answers 401 while on
//   POST /__fake/fail-next      {"kind":401|429|500|503|"THROTTLED"|"ACCESS_DENIED"|"network"}
import { startFakeShopify } from "../testing/shopify/fake";

const [port, webhookUrl, webhookSecret, adminToken] = process.argv.slice(2);
if (!port || !webhookUrl)
  throw new Error(
    "usage: tsx --conditions=react-server e2e/shopify.ts <port> <webhook url> [<webhook secret>] [<admin token>]",
  );

const DAY = 86_400_000;
const fake = await startFakeShopify({
  port: Number(port),
  domain: "portico-dev.myshopify.com",
  name: "Portico Demo Store",
  webhookUrl,
  ...(webhookSecret && { webhookSecret, clientSecret: webhookSecret }),
  ...(adminToken && { adminAccessToken: adminToken }),
});

// Demo orders for the seeded customers (db/seed.ts), within Shopify's default 60-day window.
const now = Date.now();
const domain = fake.addProduct({
  title: "Domain registration",
  variants: [
    { title: "1 year", price: "12.00", sku: "DOM-1Y" },
    { title: "2 years", price: "22.00", sku: "DOM-2Y" },
  ],
});
const hosting = fake.addProduct({
  title: "Managed hosting",
  variants: [{ title: "Monthly", price: "29.90", sku: "HOST-M" }],
});
const line = (
  product: typeof domain,
  index: number,
  quantity = 1,
): {
  title: string;
  price: string;
  quantity: number;
  sku: string | null;
  variantTitle: string;
  variantLegacyId: string;
  productLegacyId: string;
} => {
  const variant = product.variants[index];
  if (!variant) throw new Error("demo variant missing");
  return {
    title: product.title,
    variantTitle: variant.title,
    price: variant.price,
    quantity,
    sku: variant.sku,
    variantLegacyId: variant.legacyId,
    productLegacyId: product.legacyId,
  };
};
fake.addOrder({
  email: "alice@example.com",
  customer: { firstName: "Alice", lastName: "Martin" },
  createdAt: new Date(now - 20 * DAY),
  fulfillmentStatus: "FULFILLED",
  lineItems: [line(domain, 1), line(hosting, 0, 3)],
});
fake.addOrder({
  email: "alice@example.com",
  createdAt: new Date(now - 2 * DAY),
  lineItems: [line(hosting, 0)],
});
fake.addOrder({
  email: "bob@example.com",
  customer: { firstName: "Bob", lastName: "Keller" },
  createdAt: new Date(now - 5 * DAY),
  lineItems: [line(domain, 0)],
});

console.log(
  `Fake Shopify on ${fake.url}: set SHOPIFY_SHOP_DOMAIN=${fake.shopDomain} SHOPIFY_API_URL=${fake.url} ` +
    `SHOPIFY_ADMIN_ACCESS_TOKEN=${fake.adminAccessToken} SHOPIFY_API_SECRET=${fake.webhookSecret} ` +
    `(webhooks go to ${webhookUrl})`,
);

const stop = () => {
  void fake.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
