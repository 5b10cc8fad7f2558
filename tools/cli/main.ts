// npm run cli -- <command>. For automation: results on stdout, messages on stderr, exit 1 on error.
//   setup --email <address> --name "…" [--company "…"] [--support-address <address>]
//       first run: the first administrator, a department, help topic and SLA plan; prints the
//       administrator's set-password link
//   admin create --email <address> --name "…"     another administrator; prints their link
//   admin reset-password --email <address>         a set-password link for a locked-out administrator
//   api-key create --ip <address> [--inactive] [--no-create] [--notes "…"]   prints the new key alone
//   shopify import-orders [--since <date>]   the store's orders changed since the last run (or since
//       <date>), resuming an interrupted run; progress on stderr, a summary on stdout; Ctrl-C stops
//       after the page in hand, and the next run resumes there
//   shopify import-products                  the store's products into the catalogue, kept in sync
// Links and keys go to stdout only: they are never logged or mailed.
import { parseArgs } from "node:util";
import type { z } from "zod";
import { runCli } from "@/db/cli";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { openPglite, openPostgres } from "@/db/open";
import type { Db } from "@/db/types";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { createApiKey } from "@/lib/osticket/api-keys";
import { env } from "@/lib/env";
import { shopifyFromEnv } from "@/lib/shopify/from-env";
import {
  ShopifyConfigurationError,
  ShopifyUnavailableError,
  type ShopifyGraphql,
} from "@/lib/shopify/graphql";
import { importShopifyOrders } from "@/lib/shopify/import-orders";
import { importShopifyProducts } from "@/lib/shopify/import-products";
import { getShopInfo } from "@/lib/shopify/queries";
import { zodFieldErrors } from "@/lib/forms";
import type { Result } from "@/lib/result";
import { createAdmin, issueAdminPasswordLink } from "@/lib/setup/admin-access";
import {
  ADMIN_LINK_TTL_MINUTES,
  setUpFromCommandLine,
} from "@/lib/setup/first-run";
import {
  adminCreateInput,
  adminEmailInput,
  firstAdminInput,
} from "@/lib/setup/schemas";

const USAGE = `usage: npm run cli -- <command>
  setup --email <address> --name "<name>" [--company "<name>"] [--support-address <address>]
  admin create --email <address> --name "<name>"
  admin reset-password --email <address>
  api-key create --ip <address> [--inactive] [--no-create] [--notes "…"]
  shopify import-orders [--since <date, such as 2026-01-01>]
  shopify import-products`;

// The flag each input field comes from, so a refusal names what to change.
const FLAGS: Record<string, string> = {
  email: "--email",
  name: "--name",
  companyName: "--company",
  supportAddress: "--support-address",
  ipAddress: "--ip",
  notes: "--notes",
};

runCli(async () => {
  const [group, command, ...rest] = process.argv.slice(2);
  if (group === "setup") return setup([command, ...rest].filter(isString));
  if (group === "admin" && command === "create") return adminCreate(rest);
  if (group === "admin" && command === "reset-password")
    return adminResetPassword(rest);
  if (group === "api-key" && command === "create") return apiKeyCreate(rest);
  if (group === "shopify" && command === "import-orders")
    return shopifyImportOrders(rest);
  if (group === "shopify" && command === "import-products")
    return shopifyImportProducts(rest);
  throw new Error(USAGE);
});

async function setup(args: string[]): Promise<void> {
  const { values } = parse(args, {
    email: { type: "string" },
    name: { type: "string" },
    company: { type: "string" },
    "support-address": { type: "string" },
  });
  const input = valid(firstAdminInput, {
    email: values.email ?? "",
    name: values.name ?? "",
    companyName: values.company,
    supportAddress: values["support-address"],
  });
  const { appUrl } = env();
  const done = await withDatabase((db) =>
    setUpFromCommandLine(db, input, { appUrl }),
  );
  const { admin, helpdesk, link } = unwrap(done);
  note(`Portico is set up. Administrator: ${admin.name} <${admin.email}>.`);
  const { department, helpTopic, slaPlan, created } = helpdesk;
  note(
    `Tickets arrive in department "${department.name}" (help topic "${helpTopic.name}", SLA plan "${slaPlan.name}")${created.length > 0 ? `; created: ${created.join(", ")}` : ""}.`,
  );
  if (input.supportAddress)
    note(
      `Mail to ${input.supportAddress} becomes tickets once IMAP_HOST, IMAP_USER and IMAP_PASSWORD name its mailbox; set MAIL_FROM="${input.companyName ?? "Support"} <${input.supportAddress}>" so replies come from it.`,
    );
  noteLink(admin.email);
  process.stdout.write(`${link}\n`);
}

async function adminCreate(args: string[]): Promise<void> {
  const { values } = parse(args, {
    email: { type: "string" },
    name: { type: "string" },
  });
  const input = valid(adminCreateInput, {
    email: values.email ?? "",
    name: values.name ?? "",
  });
  const { appUrl } = env();
  const { admin, link } = unwrap(
    await withDatabase((db) => createAdmin(db, input, { appUrl })),
  );
  note(`Administrator ${admin.name} <${admin.email}> created.`);
  noteLink(admin.email);
  process.stdout.write(`${link}\n`);
}

async function adminResetPassword(args: string[]): Promise<void> {
  const { values } = parse(args, { email: { type: "string" } });
  const input = valid(adminEmailInput, { email: values.email ?? "" });
  const { appUrl } = env();
  const { admin, link } = unwrap(
    await withDatabase((db) =>
      issueAdminPasswordLink(db, input.email, { appUrl }),
    ),
  );
  note(
    `${admin.name} keeps their current password until the link is used; using it signs them in.`,
  );
  noteLink(admin.email);
  process.stdout.write(`${link}\n`);
}

async function apiKeyCreate(args: string[]): Promise<void> {
  const { values } = parse(args, {
    ip: { type: "string" },
    inactive: { type: "boolean" },
    "no-create": { type: "boolean" },
    notes: { type: "string" },
  });
  const input = valid(apiKeyCreateInput, {
    ipAddress: values.ip ?? "",
    notes: values.notes ?? "",
    isActive: !values.inactive,
    canCreateTickets: !values["no-create"],
  });
  const created = unwrap(
    await withDatabase((db) => createApiKey(db, { kind: "system" }, input)),
  );
  process.stdout.write(`${created.key}\n`);
}

async function shopifyImportOrders(args: string[]): Promise<void> {
  const { values } = parse(args, { since: { type: "string" } });
  const since = values.since === undefined ? undefined : date(values.since);
  const shopify = configuredShopify();
  const shop = await getShopInfo(shopify);
  if (!shop.seesAllOrders)
    note(
      `The app lacks the read_all_orders scope on ${shop.domain}: Shopify shows only the last 60 days of orders.`,
    );
  const result = await withDatabase((db) =>
    untilInterrupted((signal) =>
      importShopifyOrders(db, shopify, {
        since,
        signal,
        onProgress: (p) =>
          note(
            `${p.imported.toLocaleString("en-US")} orders imported${p.resumed ? " (resumed)" : ""}…`,
          ),
      }),
    ),
  );
  const { imported, created, updated, stale, done } = result;
  process.stdout.write(
    `${done ? "Done" : "Stopped"}: ${imported} orders read from Shopify, ${created} new, ${updated} brought up to date, ${stale} already newer here.\n`,
  );
  if (!done)
    note(
      "Run `npm run cli -- shopify import-orders` again to resume where it stopped.",
    );
}

async function shopifyImportProducts(args: string[]): Promise<void> {
  parse(args, {});
  const shopify = configuredShopify();
  const result = await withDatabase((db) =>
    untilInterrupted((signal) =>
      importShopifyProducts(db, shopify, {
        signal,
        onProgress: (p) =>
          note(`${p.imported.toLocaleString("en-US")} products read…`),
      }),
    ),
  );
  const r = result;
  process.stdout.write(
    `${r.done ? "Done" : "Stopped"}: ${r.imported} products read from Shopify, ${r.created} new, ${r.updated} updated (${r.archived} archived), ${r.skipped} drafts or archived ones left out; prices: ${r.pricesAdded} added, ${r.pricesChanged} changed, ${r.pricesRemoved} removed.\n`,
  );
  if (!r.done)
    note(
      "Run `npm run cli -- shopify import-products` again to resume where it stopped.",
    );
}

/** The configured store, or why there is none in words an operator can act on. */
function configuredShopify(): ShopifyGraphql {
  const shopify = shopifyFromEnv();
  if (!shopify)
    throw new Error(
      "Shopify is not configured: set SHOPIFY_SHOP_DOMAIN and SHOPIFY_ADMIN_ACCESS_TOKEN (or SHOPIFY_CLIENT_ID and SHOPIFY_API_SECRET), then run this again.",
    );
  return shopify;
}

/** Runs `job`; Ctrl-C stops it after the page in hand (a second one ends the process). */
async function untilInterrupted<T>(
  job: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  const onInterrupt = () => {
    note("Stopping after the page in hand…");
    stop.abort();
    process.once("SIGINT", () => process.exit(130));
  };
  process.once("SIGINT", onInterrupt);
  try {
    return await job(stop.signal);
  } catch (error) {
    if (error instanceof ShopifyUnavailableError)
      throw new Error(
        `${error.message} The import stopped there; run the same command again to resume.`,
      );
    if (error instanceof ShopifyConfigurationError)
      throw new Error(`Shopify refused the import. ${error.message}`);
    throw error;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

function date(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new Error(
      `--since: use a date such as 2026-01-01 (got "${value}").\n${USAGE}`,
    );
  return at;
}

/** Migrates the database (as the app does at start-up), then runs `job` on it. */
async function withDatabase<T>(job: (db: Db) => Promise<T>): Promise<T> {
  const { databaseUrl, pgliteDir } = env();
  if (databaseUrl) await migratePostgres(databaseUrl);
  const handle = databaseUrl
    ? await openPostgres(databaseUrl, { max: 1 })
    : await openPglite(pgliteDir);
  try {
    if (!databaseUrl) await runMigrations(handle);
    return await job(handle.db);
  } finally {
    await handle.close();
  }
}

function parse<
  O extends NonNullable<Parameters<typeof parseArgs>[0]>["options"],
>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true });
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${USAGE}`,
    );
  }
}

function valid<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = Object.entries(zodFieldErrors(parsed.error)).map(
    ([field, messages]) => `${FLAGS[field] ?? field}: ${messages.join(" ")}`,
  );
  throw new Error(`${problems.join("; ")}\n${USAGE}`);
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

function noteLink(email: string): void {
  note(
    `Open this link to choose the password of ${email} (it works once, for ${ADMIN_LINK_TTL_MINUTES / 60} hours):`,
  );
}

function isString(v: string | undefined): v is string {
  return v !== undefined;
}
