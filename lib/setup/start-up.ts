import "server-only";
import cluster from "node:cluster";
import { getDbHandle } from "@/db/client";
import { prepareDatabase } from "@/db/prepare";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { issueSetupToken } from "@/lib/setup/setup-token";
import type { WebhookPost } from "@/lib/direct-handler";

// What each server process does before it serves (called from instrumentation.ts, Node.js only):
// bring the database up to date, offer /setup while no admin exists, then hand the API's posts to
// Portico's own server and start the scheduled jobs.

export async function startUp(): Promise<void> {
  try {
    await prepareDatabase();
  } catch (error) {
    // Next would go on serving a 500 for every request, even once the database is back. Leaving
    // lets a supervisor (or the cluster's primary) start a fresh process. (Here rather than in
    // instrumentation.ts, which Next also compiles for the Edge runtime, where process.exit is not.)
    log.error("startup.database_failed", { error });
    process.exit(1);
  }
  try {
    await offerSetup();
  } catch (error) {
    // The app still serves; /setup then says to restart for a token (or to use the command line).
    log.error("setup.token_failed", { error });
  }
  // Portico's server answers the osTicket API's posts and Stripe's and Shopify's webhooks itself
  // (server/direct.ts), with the handler built here, in Next's bundle, from the same modules as
  // the route files.
  const { offerDirectHandler } = await import("@/lib/direct-handler");
  const { osTicketApi } = await import("@/lib/osticket/route");
  const { stripeWebhook, stripeWebhookReply } =
    await import("@/lib/stripe/route");
  const { shopifyWebhook, shopifyWebhookReply } =
    await import("@/lib/shopify/route");
  const STRIPE = "/api/webhooks/stripe";
  const SHOPIFY = "/api/webhooks/shopify";
  offerDirectHandler(
    Object.assign(
      (req: Request) => {
        const path = new URL(req.url).pathname;
        return path === STRIPE
          ? stripeWebhook(req)
          : path === SHOPIFY
            ? shopifyWebhook(req)
            : osTicketApi(req);
      },
      {
        webhook: (post: WebhookPost) =>
          post.path === STRIPE
            ? stripeWebhookReply(post)
            : shopifyWebhookReply(post),
      },
    ),
  );
  const { startScheduler } = await import("@/lib/jobs/scheduler");
  startScheduler();
}

// Printed straight to the terminal, never through the logger: log lines may be shipped elsewhere.
// With WEB_CONCURRENCY the first worker prints for its server (its token works on every instance).
async function offerSetup(): Promise<void> {
  if (cluster.isWorker && cluster.worker?.id !== 1) return;
  const token = await issueSetupToken((await getDbHandle()).db);
  if (!token) return;
  log.info("setup.required");
  process.stdout.write(setupBanner(token, env().appUrl));
}

export function setupBanner(token: string, appUrl: string): string {
  return [
    "",
    "Portico has no administrator yet. To set it up, open",
    `  ${appUrl}/setup`,
    "and enter this one-time setup token (it works until an administrator exists):",
    `  Setup token: ${token}`,
    'Or run: npm run cli -- setup --email <you@example.com> --name "<Your Name>"',
    "",
    "",
  ].join("\n");
}
