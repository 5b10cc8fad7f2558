import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// The only reader of process.env. Parsed once, lazily, so `next build` needs no secrets.

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const port = z.coerce.number().int().min(1).max(65_535);

/** Mailcow's stock ports (docs/mailcow.md §7). */
export const MAILCOW_STOCK_PORTS = {
  imap: 993,
  imapStarttls: 143,
  smtp: 465,
  submission: 587,
  pop3: 995,
  pop3Starttls: 110,
} as const;

const booleanFlag = (fallback: "true" | "false") =>
  z
    .enum(["true", "false", "1", "0", ""])
    .default(fallback)
    .transform((v) =>
      v === "" ? fallback === "true" : v === "true" || v === "1",
    );

const envSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development"),
  DATABASE_URL: optionalString.pipe(z.url().optional()),
  PGLITE_DIR: optionalString,
  NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
  NEXTAUTH_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  SMTP_URL: optionalString.pipe(z.url().optional()),
  MAIL_FROM: optionalString,
  SUPPORT_ADDRESS: optionalString.pipe(z.email().optional()),
  // Seals second-factor secrets at rest; ENCRYPTION_KEY_PREVIOUS still opens what the old key sealed.
  ENCRYPTION_KEY: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  ENCRYPTION_KEY_PREVIOUS: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  SEED_DEMO_DATA: z.enum(["auto", "always", "never"]).default("auto"),
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(10),
  ATTACHMENT_TYPES: z
    .string()
    .default(
      "image/*,application/pdf,text/plain,text/csv,application/zip,application/x-zip-compressed,message/rfc822",
    ),
  CRON_SECRET: optionalString.pipe(
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  IMAP_HOST: optionalString,
  IMAP_PORT: port.optional(),
  IMAP_SECURE: booleanFlag("true"),
  IMAP_TLS_VERIFY: booleanFlag("true"),
  IMAP_USER: optionalString,
  IMAP_PASSWORD: optionalString,
  IMAP_FOLDER: z.string().trim().min(1).default("INBOX"),
  IMAP_PROCESSED_FOLDER: optionalString,
  IMAP_HELD_FOLDER: optionalString,
  MAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  MAIL_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  MAIL_UNKNOWN_SENDERS: z.enum(["create", "hold"]).default("create"),
  MAIL_SENDER_LIMIT_PER_HOUR: z.coerce.number().int().min(0).default(30),
  REOPEN_WINDOW_DAYS: z.coerce.number().min(0).default(14),
  AUTO_CLOSE_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  MAILCOW_API_URL: optionalString.pipe(z.url().optional()),
  MAILCOW_API_KEY: optionalString,
  MAILCOW_DOMAIN: optionalString,
  MAILCOW_QUOTA_MB: z.coerce.number().int().positive().default(1024),
  MAILCOW_WEBMAIL_URL: optionalString.pipe(z.url().optional()),
  MAILCOW_IMAP_HOST: optionalString,
  MAILCOW_SMTP_HOST: optionalString,
  MAILCOW_RETRY_SECONDS: z.coerce.number().int().min(1).default(60),
  // An operator can remap Mailcow's ports in mailcow.conf.
  MAILCOW_IMAP_PORT: port.default(MAILCOW_STOCK_PORTS.imap),
  MAILCOW_IMAP_STARTTLS_PORT: port.default(MAILCOW_STOCK_PORTS.imapStarttls),
  MAILCOW_SMTP_PORT: port.default(MAILCOW_STOCK_PORTS.smtp),
  MAILCOW_SUBMISSION_PORT: port.default(MAILCOW_STOCK_PORTS.submission),
  MAILCOW_POP3_PORT: port.default(MAILCOW_STOCK_PORTS.pop3),
  MAILCOW_POP3_STARTTLS_PORT: port.default(MAILCOW_STOCK_PORTS.pop3Starttls),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_URL: optionalString.pipe(z.url().optional()),
  STRIPE_AUTOMATIC_TAX: booleanFlag("false"),
  SHOPIFY_SHOP_DOMAIN: optionalString.pipe(
    z
      .string()
      .toLowerCase()
      .regex(
        /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/,
        "must be the store's <name>.myshopify.com domain, without https://",
      )
      .optional(),
  ),
  SHOPIFY_ADMIN_ACCESS_TOKEN: optionalString,
  SHOPIFY_CLIENT_ID: optionalString,
  SHOPIFY_API_SECRET: optionalString,
  SHOPIFY_WEBHOOK_SECRET: optionalString,
  SHOPIFY_API_URL: optionalString.pipe(z.url().optional()),
  SHOP_CURRENCY: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, "must be a three-letter ISO currency code")
    .default("EUR"),
  BANK_TRANSFER_DETAILS: optionalString,
  INVOICE_ISSUER: optionalString,
  TRUSTED_PROXIES: z.string().default(""),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  API_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(1),
  API_VERIFY_EMAIL_DOMAINS: booleanFlag("false"),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error", "silent"])
    .default("info"),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  pgliteDir: string;
  appUrl: string;
  nextAuthSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where visitors write to support: SUPPORT_ADDRESS, else the address MAIL_FROM sends from. */
  supportAddress: string;
  encryptionKey: string | undefined;
  encryptionKeyPrevious: string | undefined;
  /** SMS_*, TWILIO_* and CLICKSEND_* as set; lib/sms/config.ts reads and checks them. */
  smsVars: Record<string, string | undefined>;
  seedDemoData: "auto" | "always" | "never";
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  attachments: { maxBytes: number; types: string[] };
  cronSecret: string | undefined;
  /** 0 turns the in-process scheduler off (an external cron calls /api/cron/mail instead). */
  jobsIntervalSeconds: number;
  /** Days a resolved ticket waits for the customer before it closes itself; 0 = never. */
  autoCloseDays: number;
  /** The watched support mailbox; null when IMAP ingestion is not configured. */
  imap: ImapConfig | null;
  mailIngest: {
    maxBytes: number;
    batchSize: number;
    unknownSenders: "create" | "hold";
    senderLimitPerHour: number;
    reopenWindowDays: number;
  };
  /** Customers' mailboxes; null when Mailcow is not configured (mailboxes are switched off). */
  mailcow: MailcowConfig | null;
  /** Card payments through Stripe Checkout; null when not configured (orders are paid by bank transfer). */
  stripe: StripeConfig | null;
  /** One Shopify store's orders and products; null when SHOPIFY_SHOP_DOMAIN is unset. */
  shopify: ShopifyConfig | null;
  shop: {
    /** Upper-case ISO code of the catalogue's prices. */
    currency: string;
    /** What a customer paying by bank transfer is told (account holder, IBAN, BIC…). */
    bankTransferDetails: string;
    /** Who issues the invoices: name, address, tax number, on one line. */
    invoiceIssuer: string;
  };
  /** Addresses or CIDR ranges whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  api: {
    /** Calls per key per minute; 0 means no limit. */
    rateLimitPerMinute: number;
    maxFileBytes: number;
    /** Refuse new users whose email domain has no MX/A/AAAA record (osTicket's default is on). */
    verifyEmailDomains: boolean;
  };
};

export type ImapConfig = {
  host: string;
  port: number;
  secure: boolean;
  tlsVerify: boolean;
  user: string;
  password: string;
  folder: string;
  processedFolder: string | undefined;
  heldFolder: string | undefined;
};

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string;
  /** A loopback stand-in (`http://127.0.0.1:3215`); unset means Stripe itself. */
  apiUrl: string | undefined;
  automaticTax: boolean;
};

export type ShopifyConfig = {
  /** `<name>.myshopify.com`, lower-case. */
  shopDomain: string;
  /** A legacy custom app's fixed `shpat_…` token, or a Dev Dashboard app's client-credentials grant. */
  credentials:
    | { kind: "access_token"; accessToken: string }
    | { kind: "client_credentials"; clientId: string };
  /** The app's API secret (client secret); the library requires one even with a fixed token. */
  apiSecret: string;
  /** Key that signs webhooks: the API secret, unless they were made in the store admin. */
  webhookSecret: string;
  /** A loopback stand-in (`http://127.0.0.1:3219`); unset means the store itself. */
  apiUrl: string | undefined;
  /** The portal's own host, which the library requires but these calls do not use. */
  appHost: string;
};

export type MailcowConfig = {
  apiUrl: string;
  apiKey: string;
  /** The mailbox domain: customers get <name>@<domain>. */
  domain: string;
  quotaMb: number;
  /** First wait before a pending mailbox is tried again; it doubles per attempt, up to 6 hours. */
  retrySeconds: number;
  webmailUrl: string;
  imapHost: string;
  smtpHost: string;
  /** Ports shown in the customers' mail client settings: implicit TLS, and STARTTLS. */
  ports: {
    imap: number;
    imapStarttls: number;
    smtp: number;
    submission: number;
    pop3: number;
    pop3Starttls: number;
  };
};

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".")}: ${i.message}`,
    );
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.join(/*turbopackIgnore: true*/ process.cwd(), ".data");
  const appUrl = (e.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
  const mailFrom =
    e.MAIL_FROM ?? `Portico Support <support@${new URL(appUrl).hostname}>`;
  cached = {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: path.resolve(
      /*turbopackIgnore: true*/ e.PGLITE_DIR ?? path.join(dataDir, "pglite"),
    ),
    appUrl,
    nextAuthSecret: e.NEXTAUTH_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom,
    supportAddress:
      e.SUPPORT_ADDRESS ?? /<([^>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom,
    smsVars: Object.fromEntries(
      Object.entries(process.env).filter(([name]) =>
        /^(SMS|TWILIO|CLICKSEND)_/.test(name),
      ),
    ),
    encryptionKey: e.ENCRYPTION_KEY,
    encryptionKeyPrevious: e.ENCRYPTION_KEY_PREVIOUS,
    seedDemoData: e.SEED_DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    cronSecret: e.CRON_SECRET,
    jobsIntervalSeconds: e.JOBS_INTERVAL_SECONDS,
    autoCloseDays: e.AUTO_CLOSE_DAYS,
    imap:
      e.IMAP_HOST && e.IMAP_USER && e.IMAP_PASSWORD
        ? {
            host: e.IMAP_HOST,
            port: e.IMAP_PORT ?? (e.IMAP_SECURE ? 993 : 143),
            secure: e.IMAP_SECURE,
            tlsVerify: e.IMAP_TLS_VERIFY,
            user: e.IMAP_USER,
            password: e.IMAP_PASSWORD,
            folder: e.IMAP_FOLDER,
            processedFolder: e.IMAP_PROCESSED_FOLDER,
            heldFolder: e.IMAP_HELD_FOLDER,
          }
        : null,
    mailIngest: {
      maxBytes: e.MAIL_MAX_BYTES,
      batchSize: e.MAIL_BATCH_SIZE,
      unknownSenders: e.MAIL_UNKNOWN_SENDERS,
      senderLimitPerHour: e.MAIL_SENDER_LIMIT_PER_HOUR,
      reopenWindowDays: e.REOPEN_WINDOW_DAYS,
    },
    mailcow:
      e.MAILCOW_API_URL && e.MAILCOW_API_KEY && e.MAILCOW_DOMAIN
        ? {
            apiUrl: e.MAILCOW_API_URL,
            apiKey: e.MAILCOW_API_KEY,
            domain: e.MAILCOW_DOMAIN.toLowerCase(),
            quotaMb: e.MAILCOW_QUOTA_MB,
            retrySeconds: e.MAILCOW_RETRY_SECONDS,
            webmailUrl:
              e.MAILCOW_WEBMAIL_URL ??
              `https://${new URL(e.MAILCOW_API_URL).hostname}/SOGo/`,
            imapHost:
              e.MAILCOW_IMAP_HOST ?? new URL(e.MAILCOW_API_URL).hostname,
            smtpHost:
              e.MAILCOW_SMTP_HOST ?? new URL(e.MAILCOW_API_URL).hostname,
            ports: {
              imap: e.MAILCOW_IMAP_PORT,
              imapStarttls: e.MAILCOW_IMAP_STARTTLS_PORT,
              smtp: e.MAILCOW_SMTP_PORT,
              submission: e.MAILCOW_SUBMISSION_PORT,
              pop3: e.MAILCOW_POP3_PORT,
              pop3Starttls: e.MAILCOW_POP3_STARTTLS_PORT,
            },
          }
        : null,
    stripe:
      e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            apiUrl: e.STRIPE_API_URL,
            automaticTax: e.STRIPE_AUTOMATIC_TAX,
          }
        : null,
    shopify: shopifyConfig(e, new URL(appUrl).host),
    shop: {
      currency: e.SHOP_CURRENCY.toUpperCase(),
      bankTransferDetails:
        e.BANK_TRANSFER_DETAILS ??
        "Account holder: Portico Hosting Ltd · IBAN: DE89 3704 0044 0532 0130 00 · BIC: COBADEFFXXX",
      invoiceIssuer:
        e.INVOICE_ISSUER ??
        "Portico Hosting Ltd · 1 Example Street · 10115 Berlin · VAT ID DE000000000",
    },
    trustedProxies: e.TRUSTED_PROXIES.split(",")
      .map((p) => p.trim())
      .filter(Boolean),
    api: {
      rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      maxFileBytes: Math.round(e.API_ATTACHMENT_MAX_MB * 1024 * 1024),
      verifyEmailDomains: e.API_VERIFY_EMAIL_DOMAINS,
    },
    attachments: {
      maxBytes: Math.round(e.ATTACHMENT_MAX_MB * 1024 * 1024),
      types: e.ATTACHMENT_TYPES.split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    },
  };
  return cached;
}

function shopifyConfig(
  e: z.infer<typeof envSchema>,
  appHost: string,
): ShopifyConfig | null {
  if (!e.SHOPIFY_SHOP_DOMAIN) return null;
  // A store set but not its credentials is a mistake worth stopping for, not a silent "off".
  const problems: string[] = [];
  // The fixed token wins when both are set: it needs no grant and cannot expire.
  const credentials: ShopifyConfig["credentials"] | null =
    e.SHOPIFY_ADMIN_ACCESS_TOKEN
      ? { kind: "access_token", accessToken: e.SHOPIFY_ADMIN_ACCESS_TOKEN }
      : e.SHOPIFY_CLIENT_ID
        ? { kind: "client_credentials", clientId: e.SHOPIFY_CLIENT_ID }
        : null;
  if (!credentials)
    problems.push(
      "SHOPIFY_ADMIN_ACCESS_TOKEN or SHOPIFY_CLIENT_ID must be set with SHOPIFY_SHOP_DOMAIN",
    );
  if (e.SHOPIFY_CLIENT_ID && !e.SHOPIFY_API_SECRET)
    problems.push("SHOPIFY_API_SECRET must be set with SHOPIFY_CLIENT_ID");
  const apiSecret = e.SHOPIFY_API_SECRET ?? e.SHOPIFY_WEBHOOK_SECRET;
  if (!apiSecret)
    problems.push(
      "SHOPIFY_API_SECRET (or SHOPIFY_WEBHOOK_SECRET) must be set with SHOPIFY_SHOP_DOMAIN",
    );
  if (problems.length > 0 || !apiSecret || !credentials)
    throw new Error(
      `Invalid environment:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  return {
    shopDomain: e.SHOPIFY_SHOP_DOMAIN,
    credentials,
    apiSecret,
    webhookSecret: e.SHOPIFY_WEBHOOK_SECRET ?? apiSecret,
    apiUrl: e.SHOPIFY_API_URL,
    appHost,
  };
}

/** Makes the next env() read process.env anew. For tests, through testing/env.ts, which sets the
 * variables first. */
export function reloadEnv(): void {
  cached = undefined;
}

/** The key that signs session cookies. Resolved on first use, so CLI jobs never need it. */
export function authSecret(): string {
  const e = env();
  return (
    e.nextAuthSecret ??
    localAuthSecret(
      path.join(/*turbopackIgnore: true*/ process.cwd(), ".data"),
      e.databaseUrl,
    )
  );
}

// A single-machine install on the embedded database needs no configuration: the secret is made once
// and kept beside the data. Several instances on PostgreSQL must share one, so there it is required.
function localAuthSecret(
  dataDir: string,
  databaseUrl: string | undefined,
): string {
  if (databaseUrl) {
    throw new Error(
      "NEXTAUTH_SECRET must be set when DATABASE_URL is set (every instance must share it).",
    );
  }
  const file = path.join(dataDir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another process won the race
    }
  }
}
