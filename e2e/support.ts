import fs from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  expect,
  type APIRequestContext,
  type Browser,
  type Page,
} from "@playwright/test";
import { ImapFlow } from "imapflow";
import { Secret, TOTP } from "otpauth";
import { simpleParser, type ParsedMail } from "mailparser";

// Shared by the setup project and the specs: the seeded demo accounts, where their signed-in
// storage states live, and the few form steps several journeys repeat.

export const DEMO_PASSWORD = "portico-demo-2026";

/** The app's support mailbox in the e2e runs (a throw-away Dovecot started by playwright.config.ts). */
export const E2E_IMAP = {
  port: Number(process.env.E2E_PORT ?? 3210) + 2,
  user: "support@portico.test",
  password: "e2e-imap-password",
} as const;
export const E2E_CRON_SECRET = "e2e-cron-secret-0123456789abcdef";

/** Customers' mailboxes in the e2e runs: a fake Mailcow (e2e/mailcow.ts) with a switch to take it down. */
export const E2E_MAILCOW = {
  port: Number(process.env.E2E_PORT ?? 3210) + 3,
  controlPort: Number(process.env.E2E_PORT ?? 3210) + 4,
  domain: "mail.portico.test",
  apiKey: "E2E-MAILCOW-KEY-0123456789ABCDEF",
} as const;

/** Card payments in the e2e runs: the project's fake Stripe (e2e/stripe.ts), with its hosted checkout page. */
export const E2E_STRIPE = {
  // Not 3215: that is where `npm run stripe:fake` listens, with other keys.
  port: Number(process.env.E2E_PORT ?? 3210) + 6,
  secretKey: "sk_test_e2e_portico",
  webhookSecret: "whsec_e2e_portico_webhook_secret",
} as const;

/** The Shopify store in the e2e runs: the project's fake Admin API (e2e/shopify.ts), which signs webhooks. */
export const E2E_SHOPIFY = {
  // Not 3219: that is where `npm run shopify:fake` listens.
  port: Number(process.env.E2E_PORT ?? 3210) + 8,
  shopDomain: "portico-dev.myshopify.com",
  secret: "e2e-shopify-webhook-secret",
  token: "shpat_e2e_portico",
} as const;

/** Tells the e2e fake Shopify something over its control API (e2e/shopify.ts). */
export async function shopifyControl(
  path: "webhooks" | "token-refused",
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(
    `http://127.0.0.1:${E2E_SHOPIFY.port}/__fake/${path}`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  if (!res.ok)
    throw new Error(`fake Shopify ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

const firstRunPort = Number(process.env.E2E_PORT ?? 3210) + 7;
/** The second server of the e2e runs: a new install with no demo data, for the first-run journey. */
export const E2E_FIRST_RUN = {
  port: firstRunPort,
  baseURL: `http://127.0.0.1:${firstRunPort}`,
  /** Its support mailbox: a folder of the Dovecot account whose INBOX the main server reads. */
  imapFolder: "FirstRun",
} as const;

export const USERS = {
  alice: { email: "alice@example.com", name: "Alice Martin" },
  bob: { email: "bob@example.com", name: "Bob Keller" },
  carol: { email: "carol@example.com", name: "Carol Nguyen" },
  sam: { email: "sam@portico.test", name: "Sam Rivera" },
  admin: { email: "admin@portico.test", name: "Ada Admin" },
  kim: { email: "kim@portico.test", name: "Kim Osei" },
} as const;

/** The accounts auth.setup.ts signs in once per run. */
export const SIGNED_IN = ["alice", "bob", "sam", "admin"] as const;
export type SignedIn = (typeof SIGNED_IN)[number];

/** The storage state file of a signed-in demo user, in this run's temp dir (see playwright.config.ts). */
export function authFile(who: SignedIn): string {
  const root = process.env.PORTICO_E2E_TMP;
  if (!root)
    throw new Error(
      "PORTICO_E2E_TMP is not set; run through e2e/playwright.config.ts",
    );
  return path.join(root, "auth", `${who}.json`);
}

/** A new visitor's details; the address is unique so every run and retry can sign up again. */
export function newVisitor(name = "Erin Example") {
  return {
    name,
    email: `e2e-${randomUUID().slice(0, 8)}@example.com`,
    password: "violet harbour lantern 42",
  };
}

export async function signUp(
  page: Page,
  visitor: { name: string; email: string; password: string },
): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Full name").fill(visitor.name);
  await page.getByLabel("Email address").fill(visitor.email);
  // Unique like the address: the name suggested from "Erin Example" is taken after the first run.
  await page.getByLabel("Mailbox name").fill(mailboxNameOf(visitor));
  await page.getByLabel("Password", { exact: true }).fill(visitor.password);
  await page.getByRole("button", { name: "Create account" }).click();
  // Every sign-up that goes through ends on "Check your inbox" (whether or not the address was
  // new); one the form refuses stays on the form with its errors.
  const sent = page.getByRole("heading", { name: "Check your inbox" });
  const refused = page.locator(
    'main [aria-invalid="true"], main [role="alert"]',
  );
  await expect(sent.or(refused).first()).toBeVisible();
  if (await sent.isVisible())
    await page.getByRole("link", { name: "Continue" }).click();
}

export const mailboxNameOf = (visitor: { email: string }) =>
  visitor.email.split("@")[0]!;

export async function signIn(
  page: Page,
  email: string,
  password: string,
): Promise<void> {
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The header's account menu, which is labelled with the signed-in person's name. */
export function accountMenu(page: Page, name: string) {
  return page.getByLabel(`Account menu for ${name}`);
}

export async function expectNotFoundPage(page: Page): Promise<void> {
  await expect(
    page.getByRole("heading", { name: "Page not found" }),
  ).toBeVisible();
}

export async function expectForbiddenPage(page: Page): Promise<void> {
  await expect(
    page.getByRole("heading", { name: "This area is for our staff" }),
  ).toBeVisible();
}

/** Every mail the SMTP sink received in this run, parsed. */
export async function receivedMail(): Promise<ParsedMail[]> {
  const root = process.env.PORTICO_E2E_TMP;
  if (!root)
    throw new Error(
      "PORTICO_E2E_TMP is not set; run through e2e/playwright.config.ts",
    );
  const dir = path.join(root, "mail");
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort();
  return Promise.all(
    files.map((f) => simpleParser(fs.readFileSync(path.join(dir, f)))),
  );
}

/** The first mail the SMTP sink received that matches, waiting for the outbox to send it. */
export async function waitForMail(
  match: (mail: ParsedMail) => boolean,
): Promise<ParsedMail> {
  await expect
    .poll(async () => (await receivedMail()).filter(match).length, {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);
  return (await receivedMail()).find(match)!;
}

/** A mail arriving in the support mailbox (a folder of it with `folder`): appended over IMAP. */
export async function deliverToSupportMailbox(
  lines: string[],
  folder = "INBOX",
): Promise<void> {
  const imap = new ImapFlow({
    host: "127.0.0.1",
    port: E2E_IMAP.port,
    secure: false,
    auth: { user: E2E_IMAP.user, pass: E2E_IMAP.password },
    logger: false,
  });
  await imap.connect();
  if (folder !== "INBOX") await imap.mailboxCreate(folder).catch(() => {}); // there after a retry
  await imap.append(folder, [...lines, ""].join("\r\n"));
  await imap.logout();
}

/** Runs the scheduled mail route as cron would, and returns its summary. */
export async function runMailJob(request: APIRequestContext) {
  const cron = await request.post("/api/cron/mail", {
    headers: { Authorization: `Bearer ${E2E_CRON_SECRET}` },
  });
  expect(cron.status()).toBe(200);
  return (await cron.json()) as {
    inbound: Record<string, number>;
  };
}

/** A customer opens a ticket from the portal ("Report a Problem"); their page and its number. */
export async function openTicketAs(
  browser: Browser,
  who: SignedIn,
  subject: string,
  message: string,
): Promise<{ page: Page; number: string }> {
  const page = await (
    await browser.newContext({ storageState: authFile(who) })
  ).newPage();
  await page.goto("/tickets/new");
  await page
    .getByLabel("What do you need help with?")
    .selectOption({ label: "Report a Problem" });
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message").fill(message);
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(page.getByRole("heading", { name: subject })).toBeVisible();
  return { page, number: /\/tickets\/(\d{6})/.exec(page.url())![1]! };
}

/** The code an authenticator app shows for `secret`, `stepsAhead` time steps from now. */
export function appCode(secret: string, stepsAhead = 0): string {
  return new TOTP({
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: "SHA1",
  }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** Sets up the authenticator app on a security page; returns the secret and the recovery codes. */
export async function turnOnAuthenticator(
  page: Page,
  password: string,
): Promise<{ secret: string; codes: string[] }> {
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(
    /\s+/g,
    "",
  );
  await page.getByLabel("Code from the app").fill(appCode(secret));
  await page.getByLabel("Your password").first().fill(password);
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = await list.getByRole("listitem").allInnerTexts();
  await page.getByRole("link", { name: "I saved them" }).click();
  return { secret, codes };
}
