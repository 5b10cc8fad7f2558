// The in-process fake Stripe (testing/stripe/fake.ts) as a stand-alone server for journeys and local
// runs: Checkout's hosted page, refunds, subscriptions and the billing portal, with signed webhook
// events sent to the portal as they happen.
// Usage: tsx --conditions=react-server e2e/stripe.ts <port> <webhook url> <webhook secret> [<secret key>]
//   <port>            what Portico's STRIPE_API_URL points at (http://127.0.0.1:<port>)
//   <webhook url>     the portal's webhook route, e.g. http://localhost:3000/api/webhooks/stripe
//   <webhook secret>  Portico's STRIPE_WEBHOOK_SECRET
//   <secret key>      the only key accepted (Portico's STRIPE_SECRET_KEY); default any sk_test_ key
import { startFakeStripe } from "../testing/stripe/fake";

const [port, webhookUrl, webhookSecret, secretKey] = process.argv.slice(2);
if (!port || !webhookUrl || !webhookSecret)
  throw new Error(
    "usage: tsx --conditions=react-server e2e/stripe.ts <port> <webhook url> <webhook secret> [<secret key>]",
  );

const fake = await startFakeStripe({
  port: Number(port),
  webhookUrl,
  webhookSecret,
  ...(secretKey && { secretKey }),
});
console.log(
  `Fake Stripe on ${fake.url}: set STRIPE_API_URL=${fake.url} (events go to ${webhookUrl})`,
);

const stop = () => {
  void fake.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
