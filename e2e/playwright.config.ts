import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import {
  E2E_CRON_SECRET,
  E2E_FIRST_RUN,
  E2E_IMAP,
  E2E_MAILCOW,
  E2E_SHOPIFY,
  E2E_STRIPE,
} from "./support";

// Runs the acceptance journeys against `next start` (a production build made beforehand) on a fresh,
// self-seeding embedded database; and the first-run journey (setup.spec.ts) against a second server
// on an empty one. Reporter: `--reporter=line|list|html|...` on the command line wins.

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`; // one host name everywhere: cookies are per host

// Playwright loads this file again in every worker; they inherit the runner's environment, so the
// temp dir (database + signed-in storage states) is made once per run. global-teardown.ts deletes it.
process.env.PORTICO_E2E_TMP ??= fs.mkdtempSync(
  path.join(os.tmpdir(), "portico-e2e-"),
);
const tmpRoot = process.env.PORTICO_E2E_TMP;

const CI = Boolean(process.env.CI);
const smtpPort = port + 1;
const imapPort = port + 2;
const smtpDir = path.join(tmpRoot, "mail");

export default defineConfig({
  testDir: ".",
  outputDir: "test-results",
  globalTeardown: "./global-teardown.ts",
  workers: 1,
  fullyParallel: false,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: CI
    ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]]
    : "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; `npx playwright install` can't download here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts$/ },
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts$/,
      testIgnore: [
        /\/setup\.spec\.ts$/,
        /\/fuzz\.spec\.ts$/,
        /\/staff-policy\.spec\.ts$/,
      ],
      dependencies: ["setup"],
    },
    {
      // Hostile input last: its hundreds of tickets and mails would crowd the queue and the outbox
      // the other journeys read.
      name: "fuzz",
      testMatch: /\/fuzz\.spec\.ts$/,
      dependencies: ["chromium"],
    },
    {
      // Requiring two-step sign-in changes how every agent signs in: alone, after everything else.
      name: "policy",
      testMatch: /\/staff-policy\.spec\.ts$/,
      dependencies: ["fuzz"],
    },
    {
      // A new install: its own server, without demo data, set up by the journey itself.
      name: "first-run",
      testMatch: /\/setup\.spec\.ts$/,
      use: { baseURL: E2E_FIRST_RUN.baseURL },
    },
  ],
  webServer: [
    {
      // The SMTP sink the app delivers to; journeys read what it received from smtpDir.
      command: `./node_modules/.bin/tsx e2e/smtp-sink.ts ${smtpPort} ${smtpDir}`,
      cwd: path.join(e2eDir, ".."),
      port: smtpPort,
      reuseExistingServer: !CI,
      timeout: 30_000,
    },
    {
      // The support mailbox the app reads (a throw-away Dovecot); journeys APPEND customers' mail.
      command: `./node_modules/.bin/tsx e2e/dovecot.ts ${imapPort} ${E2E_IMAP.user} ${E2E_IMAP.password}`,
      cwd: path.join(e2eDir, ".."),
      port: imapPort,
      reuseExistingServer: !CI,
      timeout: 30_000,
    },
    {
      // Customers' mailboxes: the fake Mailcow, which journeys can take down and bring back.
      command: `./node_modules/.bin/tsx --conditions=react-server e2e/mailcow.ts ${E2E_MAILCOW.port} ${E2E_MAILCOW.controlPort} ${E2E_MAILCOW.domain} ${E2E_MAILCOW.apiKey}`,
      cwd: path.join(e2eDir, ".."),
      port: E2E_MAILCOW.controlPort,
      reuseExistingServer: !CI,
      timeout: 30_000,
    },
    {
      // Card payments: the fake Stripe, whose checkout page sends its signed events to the app.
      command: `./node_modules/.bin/tsx --conditions=react-server e2e/stripe.ts ${E2E_STRIPE.port} ${baseURL}/api/webhooks/stripe ${E2E_STRIPE.webhookSecret} ${E2E_STRIPE.secretKey}`,
      cwd: path.join(e2eDir, ".."),
      port: E2E_STRIPE.port,
      reuseExistingServer: !CI,
      timeout: 30_000,
    },
    {
      // The Shopify store: the fake Admin API, which sends signed order webhooks on request.
      command: `./node_modules/.bin/tsx --conditions=react-server e2e/shopify.ts ${E2E_SHOPIFY.port} ${baseURL}/api/webhooks/shopify ${E2E_SHOPIFY.secret} ${E2E_SHOPIFY.token}`,
      cwd: path.join(e2eDir, ".."),
      port: E2E_SHOPIFY.port,
      reuseExistingServer: !CI,
      timeout: 30_000,
    },
    {
      // Portico's own server (server/main.ts): it tells the API who the TCP peer is.
      command: `node .next/portico/server.mjs -p ${port}`,
      cwd: path.join(e2eDir, ".."),
      url: `${baseURL}/api/health`,
      reuseExistingServer: !CI,
      timeout: 60_000,
      env: {
        PGLITE_DIR: path.join(tmpRoot, "pglite"), // the app seeds demo data on a new embedded database
        DATABASE_URL: "", // even where CI exports one: the journeys rely on the seeded demo accounts
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`, // every mail is in the outbox and the sink
        SEED_DEMO_DATA: "auto",
        NEXTAUTH_URL: baseURL,
        NEXTAUTH_SECRET: "portico-e2e-test-secret-not-for-production-use",
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
        IMAP_HOST: "127.0.0.1",
        IMAP_PORT: String(imapPort),
        IMAP_SECURE: "false",
        IMAP_USER: E2E_IMAP.user,
        IMAP_PASSWORD: E2E_IMAP.password,
        IMAP_PROCESSED_FOLDER: "Processed",
        CRON_SECRET: E2E_CRON_SECRET,
        MAILCOW_API_URL: `http://127.0.0.1:${E2E_MAILCOW.port}`,
        MAILCOW_API_KEY: E2E_MAILCOW.apiKey,
        MAILCOW_DOMAIN: E2E_MAILCOW.domain,
        MAILCOW_WEBMAIL_URL: "https://webmail.portico.test/SOGo/",
        MAILCOW_IMAP_HOST: "imap.portico.test",
        MAILCOW_SMTP_HOST: "smtp.portico.test",
        // A mailbox that could not be made at signup is due again a second later, not a minute.
        MAILCOW_RETRY_SECONDS: "1",
        STRIPE_SECRET_KEY: E2E_STRIPE.secretKey,
        STRIPE_WEBHOOK_SECRET: E2E_STRIPE.webhookSecret,
        STRIPE_API_URL: `http://127.0.0.1:${E2E_STRIPE.port}`,
        SHOPIFY_SHOP_DOMAIN: E2E_SHOPIFY.shopDomain,
        SHOPIFY_ADMIN_ACCESS_TOKEN: E2E_SHOPIFY.token,
        SHOPIFY_API_SECRET: E2E_SHOPIFY.secret,
        SHOPIFY_API_URL: `http://127.0.0.1:${E2E_SHOPIFY.port}`,
        // Mail is read when a journey calls the scheduled route, not on a timer.
        JOBS_INTERVAL_SECONDS: "0",
      },
    },
    {
      // The same server on an empty embedded database and no demo data, as a real install starts.
      // It is ready once it prints its setup token, which Playwright hands to the tests in
      // PORTICO_SETUP_TOKEN (the regular expression's named group).
      command: `node .next/portico/server.mjs -p ${E2E_FIRST_RUN.port}`,
      cwd: path.join(e2eDir, ".."),
      wait: { stdout: /Setup token: (?<PORTICO_SETUP_TOKEN>[0-9a-f]{32})/ },
      // A server left from an earlier run is set up already and prints no token.
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PGLITE_DIR: path.join(tmpRoot, "pglite-first-run"),
        DATABASE_URL: "",
        SEED_DEMO_DATA: "never",
        NEXTAUTH_URL: E2E_FIRST_RUN.baseURL,
        NEXTAUTH_SECRET: "portico-e2e-first-run-secret-not-for-production",
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
        // The same Dovecot account as the main server, another folder: the two never read each
        // other's mail.
        IMAP_HOST: "127.0.0.1",
        IMAP_PORT: String(imapPort),
        IMAP_SECURE: "false",
        IMAP_USER: E2E_IMAP.user,
        IMAP_PASSWORD: E2E_IMAP.password,
        IMAP_FOLDER: E2E_FIRST_RUN.imapFolder,
        IMAP_PROCESSED_FOLDER: `${E2E_FIRST_RUN.imapFolder}-processed`,
        CRON_SECRET: E2E_CRON_SECRET,
        JOBS_INTERVAL_SECONDS: "0",
      },
    },
  ],
});
