import { relations, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  char,
  check,
  customType,
  date,
  index,
  inet,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// The single source of truth for Portico's data. Change it, run `npm run db:generate`, read the SQL,
// commit both. Domain words follow osTicket so the API and the UI agree.

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

const createdAt = () =>
  timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true });

/* ----------------------------------------------------------------------------------------------- */
/* Enums                                                                                           */
/* ----------------------------------------------------------------------------------------------- */

export const userRole = pgEnum("user_role", ["customer", "agent", "admin"]);
export const ticketStatus = pgEnum("ticket_status", [
  "open",
  "pending",
  "resolved",
  "closed",
]);
// Order matters: osTicket's priority ids 1–4 are the positions in this list.
export const ticketPriority = pgEnum("ticket_priority", [
  "low",
  "normal",
  "high",
  "emergency",
]);
export const ticketSource = pgEnum("ticket_source", [
  "web",
  "email",
  "api",
  "staff",
  "phone",
  "other",
]);
export const messageKind = pgEnum("message_kind", [
  "customer",
  "reply",
  "note",
]);
export const paymentProvider = pgEnum("payment_provider", [
  "stripe",
  "shopify",
  "manual",
]);
// `pending`: placed, waiting for the customer to pay by card; `awaiting_payment`: bank transfer,
// waiting for staff to see the money; `processing`: Stripe accepted a delayed payment method.
export const orderStatus = pgEnum("order_status", [
  "pending",
  "paid",
  "fulfilled",
  "cancelled",
  "refunded",
  "awaiting_payment",
  "processing",
  "partially_refunded",
  "payment_failed",
  "expired",
]);
export const paymentStatus = pgEnum("payment_status", [
  "pending",
  "succeeded",
  "failed",
  "refunded",
]);
export const priceType = pgEnum("price_type", ["one_time", "recurring"]);
export const billingInterval = pgEnum("billing_interval", [
  "day",
  "week",
  "month",
  "year",
]);
export const productKind = pgEnum("product_kind", ["product", "service"]);
export const serviceStatus = pgEnum("service_status", [
  "pending",
  "active",
  "past_due",
  "cancelled",
]);
// Stripe's refund states, as it reports them.
export const refundStatus = pgEnum("refund_status", [
  "pending",
  "requires_action",
  "succeeded",
  "failed",
  "canceled",
]);
export const mailboxStatus = pgEnum("mailbox_status", [
  "pending",
  "active",
  "failed",
  "suspended",
  "deleted",
]);
export const outboundStatus = pgEnum("outbound_status", [
  "queued",
  "sending",
  "sent",
  "failed",
]);
export const inboundOutcome = pgEnum("inbound_outcome", [
  "pending",
  "created",
  "replied",
  "ignored",
  "bounce",
  "held",
  "failed",
]);
export const webhookProvider = pgEnum("webhook_provider", [
  "stripe",
  "shopify",
]);
export const twoFactorMethod = pgEnum("two_factor_method", ["totp", "sms"]);
export const emailTokenPurpose = pgEnum("email_token_purpose", [
  "verify",
  "change",
]);
export const smsCodePurpose = pgEnum("sms_code_purpose", [
  "verify_phone",
  "sign_in",
]);
export const smsStatus = pgEnum("sms_status", [
  "pending",
  "sent",
  "failed",
  "kept",
]);
export const actorKind = pgEnum("actor_kind", [
  "user",
  "system",
  "api",
  "email",
]);

/* ----------------------------------------------------------------------------------------------- */
/* People and access                                                                               */
/* ----------------------------------------------------------------------------------------------- */

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    // Null for people who only ever wrote in by mail or API and never set a password.
    passwordHash: text("password_hash"),
    role: userRole("role").notNull().default("customer"),
    phone: text("phone"),
    // Internal notes about the person, visible to agents only (osTicket's contact-form `notes`).
    notes: text("notes"),
    // Bumped on password change or deactivation; sessions carrying an older value are refused.
    sessionVersion: integer("session_version").notNull().default(1),
    deactivatedAt: at("deactivated_at"),
    emailUndeliverableAt: at("email_undeliverable_at"),
    lastSignInAt: at("last_sign_in_at"),
    // Stripe's Customer (cus_…) for this person, learnt from their first completed checkout.
    stripeCustomerId: text("stripe_customer_id"),
    // An agent's own reply signature (plain text, may use {{agent.name}}-style variables).
    signature: text("signature"),
    // When the person proved they read mail at `email` (a link, a reset, an email change). Until then
    // tickets that arrived by mail or API for the address stay out of their account.
    emailVerifiedAt: at("email_verified_at"),
    // Optional mail; ticket mail is always sent.
    orderMail: boolean("order_mail").notNull().default(true),
    marketingMail: boolean("marketing_mail").notNull().default(false),
    // E.164 (phone) confirmed by an SMS code.
    phoneVerifiedAt: at("phone_verified_at"),
    // The second factor asked for at sign-in; null = password only.
    twoFactor: twoFactorMethod("two_factor"),
    // AES-256-GCM sealed base32 TOTP secret (lib/auth/crypto.ts); set once enrolment is confirmed.
    totpSecret: text("totp_secret"),
    // The last TOTP time step accepted, so a code is accepted once only.
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    closureRequestedAt: at("closure_requested_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    index("users_role_idx").on(t.role),
  ],
);

export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("password_reset_tokens_hash_key").on(t.tokenHash),
    index("password_reset_tokens_user_idx").on(t.userId),
  ],
);

// Single-use links sent by mail that prove the reader owns `email`: confirming the account's address
// ("verify") or moving the account to a new one ("change"). Only the hash is kept.
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: emailTokenPurpose("purpose").notNull(),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("email_tokens_hash_key").on(t.tokenHash),
    index("email_tokens_user_idx").on(t.userId, t.purpose),
  ],
);

// Ten single-use codes that stand in for the authenticator; hashed like passwords' cheaper cousins
// (SHA-256 of a high-entropy code), spent by setting used_at.
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("recovery_codes_user_hash_key").on(t.userId, t.codeHash)],
);

// One row per signed-in browser: the session cookie names its row, so a person can see and end it.
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    ip: inet("ip"),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull(),
    endedAt: at("ended_at"),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId, t.lastSeenAt.desc())],
);

// A password checked, a second factor still owed: the sign-in form's second step spends this.
export const signInChallenges = pgTable("sign_in_challenges", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  attempts: integer("attempts").notNull().default(0),
  expiresAt: at("expires_at").notNull(),
  doneAt: at("done_at"),
  createdAt: createdAt(),
});

// One-time codes sent by SMS: confirming a phone number or signing in. Only the hash is kept.
export const smsCodes = pgTable(
  "sms_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    phone: text("phone").notNull(),
    purpose: smsCodePurpose("purpose").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("sms_codes_phone_idx").on(t.phone, t.createdAt),
    index("sms_codes_user_idx").on(t.userId, t.purpose, t.createdAt),
  ],
);

// Every SMS Portico sends. Without a provider this is where they stay, for admins to read at
// /staff/outbox; with one, the job sends them and then blanks the body (it carries a code).
export const outboundSms = pgTable(
  "outbound_sms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to").notNull(),
    body: text("body").notNull(),
    status: smsStatus("status").notNull().default("pending"),
    provider: text("provider"),
    providerId: text("provider_id"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: at("sent_at"),
  },
  (t) => [
    index("outbound_sms_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("outbound_sms_created_idx").on(t.createdAt.desc()),
  ],
);

// Failed sign-in bookkeeping, keyed by "email:<addr>" and "ip:<addr>", so every app instance sees it.
export const authThrottles = pgTable("auth_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  firstFailureAt: at("first_failure_at").notNull(),
  lockedUntil: at("locked_until"),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    // The first characters of the key, shown in the UI so admins can tell keys apart.
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    ipAddress: inet("ip_address").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    canCreateTickets: boolean("can_create_tickets").notNull().default(true),
    canExecuteCron: boolean("can_execute_cron").notNull().default(false),
    notes: text("notes").notNull().default(""),
    createdById: uuid("created_by_id").references(() => users.id, {
      onDelete: "set null",
    }),
    lastUsedAt: at("last_used_at"),
    lastUsedIp: inet("last_used_ip"),
    revokedAt: at("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash)],
);

// Every call to the osTicket-compatible API, answered or refused, for admins to trace integrations.
export const apiCalls = pgTable(
  "api_calls",
  {
    id: bigint("id", { mode: "number" })
      .primaryKey()
      .generatedByDefaultAsIdentity(),
    apiKeyId: integer("api_key_id").references(() => apiKeys.id, {
      onDelete: "set null",
    }),
    // The first characters of whatever key was presented, known or not.
    keyPrefix: text("key_prefix"),
    // Text, not inet: the caller's address is unknown when the server cannot tell the peer.
    ip: text("ip"),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    durationMs: integer("duration_ms").notNull(),
    ticketId: uuid("ticket_id").references(() => tickets.id, {
      onDelete: "set null",
    }),
    // The refusal's body (the first line is enough to tell cases apart).
    error: text("error"),
    // Answered from an earlier call with the same Idempotency-Key.
    replayed: boolean("replayed").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index("api_calls_created_idx").on(t.createdAt.desc()),
    index("api_calls_key_idx").on(t.apiKeyId, t.createdAt.desc()),
  ],
);

// Idempotency-Key answers, kept 24 hours. A row without a status is a call still in progress.
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    apiKeyId: integer("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    // SHA-256 of method, path and body: the same key with another request is refused.
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    body: text("body"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.key] }),
    index("api_idempotency_keys_created_idx").on(t.createdAt),
  ],
);

// Per-key call counts in fixed one-minute windows, shared by every app instance.
export const apiRateWindows = pgTable(
  "api_rate_windows",
  {
    apiKeyId: integer("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    windowStart: at("window_start").notNull(),
    calls: integer("calls").notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.windowStart] })],
);

/* ----------------------------------------------------------------------------------------------- */
/* Helpdesk configuration                                                                          */
/* ----------------------------------------------------------------------------------------------- */

export const slaPlans = pgTable(
  "sla_plans",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    gracePeriodHours: integer("grace_period_hours").notNull(),
    // Working hours the clock counts in, per weekday in the plan's time zone; null = round the clock.
    // Shape checked by lib/helpdesk/business-hours.ts.
    businessHours: jsonb("business_hours"),
    timeZone: text("time_zone").notNull().default("UTC"),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sla_plans_name_lower_key").on(sql`lower(${t.name})`),
    check("sla_plans_grace_positive", sql`${t.gracePeriodHours} > 0`),
  ],
);

// Days a plan's clock stands still (public holidays, company closures).
export const slaHolidays = pgTable(
  "sla_holidays",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    slaPlanId: integer("sla_plan_id")
      .notNull()
      .references(() => slaPlans.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    name: text("name").notNull().default(""),
  },
  (t) => [uniqueIndex("sla_holidays_plan_day_key").on(t.slaPlanId, t.day)],
);

// Addresses refused by the API and by mail ingestion (osTicket's system ban list).
export const bannedEmails = pgTable(
  "banned_emails",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    email: text("email").notNull(),
    notes: text("notes").notNull().default(""),
    createdById: uuid("created_by_id").references(() => users.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("banned_emails_email_lower_key").on(sql`lower(${t.email})`),
  ],
);

export const departments = pgTable(
  "departments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    email: text("email"),
    slaPlanId: integer("sla_plan_id").references(() => slaPlans.id, {
      onDelete: "set null",
    }),
    isPublic: boolean("is_public").notNull().default(true),
    // Offered under replies from this department when the agent has none of their own.
    signature: text("signature"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("departments_name_lower_key").on(sql`lower(${t.name})`)],
);

export const departmentMembers = pgTable(
  "department_members",
  {
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.userId] }),
    index("department_members_user_idx").on(t.userId),
  ],
);

export const helpTopics = pgTable(
  "help_topics",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "restrict" }),
    priority: ticketPriority("priority").notNull().default("normal"),
    slaPlanId: integer("sla_plan_id").references(() => slaPlans.id, {
      onDelete: "set null",
    }),
    isPublic: boolean("is_public").notNull().default(true),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("help_topics_name_lower_key").on(sql`lower(${t.name})`)],
);

export const cannedReplies = pgTable(
  "canned_replies",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    title: text("title").notNull(),
    // Plain text with {{variables}} such as {{customer.name}} and {{ticket.number}}.
    body: text("body").notNull(),
    departmentId: integer("department_id").references(() => departments.id, {
      onDelete: "cascade",
    }),
    isActive: boolean("is_active").notNull().default(true),
    createdById: uuid("created_by_id").references(() => users.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("canned_replies_title_lower_key").on(sql`lower(${t.title})`),
  ],
);

/* ----------------------------------------------------------------------------------------------- */
/* Catalogue and orders                                                                            */
/* ----------------------------------------------------------------------------------------------- */

export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    summary: text("summary").notNull().default(""),
    description: text("description").notNull().default(""),
    kind: productKind("kind").notNull().default("service"),
    category: text("category").notNull().default(""),
    // False: archived, gone from the catalogue; orders keep pointing at it.
    isActive: boolean("is_active").notNull().default(true),
    // False: listed, but cannot be ordered right now ("currently unavailable").
    isAvailable: boolean("is_available").notNull().default(true),
    imageId: uuid("image_id").references((): AnyPgColumn => productImages.id, {
      onDelete: "set null",
    }),
    sortOrder: integer("sort_order").notNull().default(0),
    stripeProductId: text("stripe_product_id"),
    // The Shopify product (gid://shopify/Product/…) this one was imported from, kept in sync.
    shopifyProductId: text("shopify_product_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("products_slug_key").on(t.slug),
    uniqueIndex("products_shopify_key").on(t.shopifyProductId),
    index("products_category_idx").on(t.category),
  ],
);

// Bytes in the database, like ticket attachments, so a backup of it is a backup of everything.
export const productImages = pgTable("product_images", {
  id: uuid("id").primaryKey().defaultRandom(),
  filename: text("filename").notNull(),
  contentType: text("content_type").notNull(),
  sizeBytes: integer("size_bytes").notNull(),
  sha256: char("sha256", { length: 64 }).notNull(),
  data: bytea("data").notNull(),
  createdAt: createdAt(),
});

export const prices = pgTable(
  "prices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    currency: char("currency", { length: 3 }).notNull(),
    // Integer minor units (cents).
    unitAmount: integer("unit_amount").notNull(),
    type: priceType("type").notNull(),
    interval: billingInterval("interval"),
    intervalCount: integer("interval_count"),
    isActive: boolean("is_active").notNull().default(true),
    stripePriceId: text("stripe_price_id"),
    // The Shopify variant (gid://shopify/ProductVariant/…) this price stands for.
    shopifyVariantId: text("shopify_variant_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("prices_product_idx").on(t.productId),
    uniqueIndex("prices_shopify_variant_key").on(t.shopifyVariantId),
    check("prices_amount_nonnegative", sql`${t.unitAmount} >= 0`),
    check(
      "prices_recurring_has_interval",
      sql`(${t.type} = 'recurring') = (${t.interval} is not null and ${t.intervalCount} is not null)`,
    ),
  ],
);

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Human-facing order number, e.g. "PO-10042" (ours) or the Shopify order name ("#1001").
    number: text("number").notNull(),
    customerId: uuid("customer_id").references(() => users.id, {
      onDelete: "set null",
    }),
    email: text("email").notNull(),
    status: orderStatus("status").notNull().default("pending"),
    currency: char("currency", { length: 3 }).notNull(),
    // Integer minor units: subtotal + tax = total; refunded never exceeds total.
    subtotalAmount: integer("subtotal_amount").notNull().default(0),
    taxAmount: integer("tax_amount").notNull().default(0),
    totalAmount: integer("total_amount").notNull(),
    refundedAmount: integer("refunded_amount").notNull().default(0),
    // Where the order came from and how it is paid: `stripe` (card), `manual` (bank transfer), `shopify`.
    provider: paymentProvider("provider").notNull(),
    externalId: text("external_id"),
    // Sequential per calendar year ("2026-0001"), given when the order is paid.
    invoiceNumber: text("invoice_number"),
    invoicedAt: at("invoiced_at"),
    // Paid and waiting for its invoice number (lib/orders/invoices.ts gives them in batches).
    invoiceDueAt: at("invoice_due_at"),
    // The current Stripe Checkout Session; `checkoutAttempt` is part of its idempotency key.
    checkoutSessionId: text("checkout_session_id"),
    checkoutUrl: text("checkout_url"),
    checkoutExpiresAt: at("checkout_expires_at"),
    checkoutAttempt: integer("checkout_attempt").notNull().default(0),
    paymentIntentId: text("payment_intent_id"),
    subscriptionId: text("subscription_id"),
    placedAt: at("placed_at").notNull().defaultNow(),
    paidAt: at("paid_at"),
    fulfilledAt: at("fulfilled_at"),
    cancelledAt: at("cancelled_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("orders_number_key").on(t.provider, t.number),
    uniqueIndex("orders_provider_external_key").on(t.provider, t.externalId),
    uniqueIndex("orders_invoice_number_key").on(t.invoiceNumber),
    index("orders_invoice_due_idx")
      .on(t.invoiceDueAt, t.id)
      .where(sql`${t.invoiceDueAt} is not null`),
    uniqueIndex("orders_checkout_session_key").on(t.checkoutSessionId),
    index("orders_payment_intent_idx").on(t.paymentIntentId),
    index("orders_subscription_idx").on(t.subscriptionId),
    index("orders_customer_idx").on(t.customerId, t.placedAt.desc()),
    index("orders_email_lower_idx").on(sql`lower(${t.email})`),
    index("orders_status_placed_idx").on(t.status, t.placedAt.desc()),
    check(
      "orders_refund_within_total",
      sql`${t.refundedAmount} >= 0 and ${t.refundedAmount} <= ${t.totalAmount}`,
    ),
  ],
);

// What Shopify says about an order it owns (orders.provider = 'shopify', orders.external_id = the
// gid), beyond what every order has. `shopUpdatedAt` orders webhooks and imports: an older version
// never overwrites a newer one.
export const shopifyOrders = pgTable(
  "shopify_orders",
  {
    orderId: uuid("order_id")
      .primaryKey()
      .references(() => orders.id, { onDelete: "cascade" }),
    // gid://shopify/Order/… — never the numeric id, which can pass 2^53.
    gid: text("gid").notNull(),
    shopUpdatedAt: at("shop_updated_at").notNull(),
    // Shopify's words: PAID, PARTIALLY_REFUNDED…; UNFULFILLED, FULFILLED…
    financialStatus: text("financial_status").notNull().default(""),
    fulfillmentStatus: text("fulfillment_status").notNull().default(""),
    statusPageUrl: text("status_page_url"),
    isTest: boolean("is_test").notNull().default(false),
    // Linked to a customer by hand: a later sync keeps that link whatever the email says.
    linkedById: uuid("linked_by_id").references(() => users.id, {
      onDelete: "set null",
    }),
  },
  (t) => [uniqueIndex("shopify_orders_gid_key").on(t.gid)],
);

// Where a Shopify import stands, so an interrupted one resumes at its page (kind: orders, products).
export const shopifySync = pgTable("shopify_sync", {
  kind: text("kind").primaryKey(),
  // Only what changed after this time is fetched; the highest updated_at a finished run saw.
  since: at("since"),
  // The next page of the run under way; null when none is.
  cursor: text("cursor"),
  // This run's lower bound while it is under way (since moves only when a run finishes).
  runSince: at("run_since"),
  imported: integer("imported").notNull().default(0),
  startedAt: at("started_at"),
  finishedAt: at("finished_at"),
  lastError: text("last_error"),
  updatedAt: updatedAt(),
});

// The order's status timeline: one row per change, with who or what made it.
export const orderEvents = pgTable(
  "order_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    // Null for an entry that records something without changing the status (a partial refund request).
    status: orderStatus("status"),
    note: text("note").notNull().default(""),
    actorId: uuid("actor_id").references(() => users.id, {
      onDelete: "set null",
    }),
    actorKind: actorKind("actor_kind").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("order_events_order_idx").on(t.orderId, t.createdAt)],
);

export const refunds = pgTable(
  "refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    provider: paymentProvider("provider").notNull(),
    externalId: text("external_id"),
    amount: integer("amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    status: refundStatus("status").notNull(),
    reason: text("reason"),
    requestedById: uuid("requested_by_id").references(() => users.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("refunds_provider_external_key").on(t.provider, t.externalId),
    index("refunds_order_idx").on(t.orderId),
    check("refunds_amount_positive", sql`${t.amount} > 0`),
  ],
);

// A recurring service a customer holds through a paid subscription.
export const services = pgTable(
  "services",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id").references(() => users.id, {
      onDelete: "set null",
    }),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: uuid("product_id").references(() => products.id, {
      onDelete: "set null",
    }),
    priceId: uuid("price_id").references(() => prices.id, {
      onDelete: "set null",
    }),
    description: text("description").notNull(),
    status: serviceStatus("status").notNull().default("pending"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    currentPeriodEnd: at("current_period_end"),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    // When the Stripe event last applied here was created: an older event arriving late is ignored.
    stripeSyncedAt: at("stripe_synced_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("services_customer_idx").on(t.customerId),
    index("services_order_idx").on(t.orderId),
    index("services_subscription_idx").on(t.stripeSubscriptionId),
  ],
);

// A cart belongs to an account, or to a signed-out visitor through a cookie holding its id.
export const carts = pgTable(
  "carts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, {
      onDelete: "cascade",
    }),
    // The unpaid order this cart's checkout made; reused while the cart does not change.
    orderId: uuid("order_id").references(() => orders.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("carts_user_key").on(t.userId),
    index("carts_order_idx").on(t.orderId),
  ],
);

export const cartItems = pgTable(
  "cart_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    cartId: uuid("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    priceId: uuid("price_id")
      .notNull()
      .references(() => prices.id, { onDelete: "cascade" }),
    quantity: integer("quantity").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("cart_items_cart_price_key").on(t.cartId, t.priceId),
    check("cart_items_quantity_range", sql`${t.quantity} between 1 and 99`),
  ],
);

// Named counters for gap-free numbers (orders, invoices per year), bumped in the writing transaction.
export const counters = pgTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

export const orderItems = pgTable(
  "order_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: uuid("product_id").references(() => products.id, {
      onDelete: "set null",
    }),
    priceId: uuid("price_id").references(() => prices.id, {
      onDelete: "set null",
    }),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    totalAmount: integer("total_amount").notNull(),
  },
  (t) => [
    index("order_items_order_idx").on(t.orderId),
    check("order_items_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    provider: paymentProvider("provider").notNull(),
    externalId: text("external_id"),
    status: paymentStatus("status").notNull(),
    amount: integer("amount").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("payments_provider_external_key").on(t.provider, t.externalId),
    index("payments_order_idx").on(t.orderId),
  ],
);

/* ----------------------------------------------------------------------------------------------- */
/* Tickets                                                                                         */
/* ----------------------------------------------------------------------------------------------- */

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // osTicket style: six random digits, unique. Text so leading zeros survive.
    number: text("number").notNull(),
    subject: text("subject").notNull(),
    status: ticketStatus("status").notNull().default("open"),
    priority: ticketPriority("priority").notNull().default("normal"),
    source: ticketSource("source").notNull(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "restrict" }),
    helpTopicId: integer("help_topic_id").references(() => helpTopics.id, {
      onDelete: "set null",
    }),
    slaPlanId: integer("sla_plan_id").references(() => slaPlans.id, {
      onDelete: "set null",
    }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    assigneeId: uuid("assignee_id").references(() => users.id, {
      onDelete: "set null",
    }),
    orderId: uuid("order_id").references(() => orders.id, {
      onDelete: "set null",
    }),
    // A reply to a ticket closed too long ago opens a new one that points back here.
    previousTicketId: uuid("previous_ticket_id").references(
      (): AnyPgColumn => tickets.id,
      {
        onDelete: "set null",
      },
    ),
    // A ticket merged into another is closed and points here; mail to it lands on the target.
    mergedIntoId: uuid("merged_into_id").references(
      (): AnyPgColumn => tickets.id,
      { onDelete: "set null" },
    ),
    dueAt: at("due_at"),
    // Set while the ticket waits on the customer (pending): the SLA clock stands still and dueAt
    // moves on by the paused working time when the ticket is open again.
    slaPausedAt: at("sla_paused_at"),
    // When the current grace period began (opened or reopened), so a change of plan can recount it.
    slaStartedAt: at("sla_started_at"),
    // Bumped by a trigger (drizzle/0014) whenever a property an agent edits changes, so a save made
    // on a stale view is noticed.
    version: integer("version").notNull().default(1),
    firstResponseAt: at("first_response_at"),
    lastMessageAt: at("last_message_at").notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: at("closed_at"),
    // Full-text search over the subject, number and every message, kept by database triggers
    // (drizzle/0005_ticket_search_triggers.sql) so each write path stays covered. One vector per
    // ticket lets the queue walk tickets in activity order and stop after a page, where matching
    // messages first would collect every hit of a common word. searchPublic leaves notes out.
    searchAll: tsvector("search_all")
      .notNull()
      .default(sql`''::tsvector`),
    searchPublic: tsvector("search_public")
      .notNull()
      .default(sql`''::tsvector`),
  },
  (t) => [
    uniqueIndex("tickets_number_key").on(t.number),
    index("tickets_status_activity_idx").on(t.status, t.lastMessageAt.desc()),
    index("tickets_department_status_idx").on(
      t.departmentId,
      t.status,
      t.lastMessageAt.desc(),
    ),
    index("tickets_assignee_status_idx").on(
      t.assigneeId,
      t.status,
      t.lastMessageAt.desc(),
    ),
    index("tickets_customer_activity_idx").on(
      t.customerId,
      t.lastMessageAt.desc(),
    ),
    index("tickets_due_open_idx")
      .on(t.dueAt)
      .where(sql`${t.status} in ('open', 'pending')`),
    index("tickets_order_idx").on(t.orderId),
    index("tickets_activity_idx").on(t.lastMessageAt.desc()),
    index("tickets_created_idx").on(t.createdAt.desc()),
    index("tickets_closed_idx")
      .on(t.closedAt)
      .where(sql`${t.closedAt} is not null`),
    // Narrow enough that the queue's per-view counts read a few MB, not the wide table.
    index("tickets_queue_counts_idx").on(t.status, t.assigneeId, t.dueAt),
    index("tickets_search_all_idx").using("gin", t.searchAll),
    index("tickets_search_public_idx").using("gin", t.searchPublic),
  ],
);

export const ticketMessages = pgTable(
  "ticket_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    // customer: from the customer or a participant; reply: an agent's public answer; note: agents only.
    kind: messageKind("kind").notNull(),
    authorId: uuid("author_id").references(() => users.id, {
      onDelete: "set null",
    }),
    // Kept as sent, for mail senders who are not (yet) users and for history after a user is removed.
    authorName: text("author_name").notNull(),
    authorEmail: text("author_email"),
    source: ticketSource("source").notNull(),
    bodyText: text("body_text").notNull(),
    // Always sanitised before it is stored; never rendered unsanitised.
    bodyHtml: text("body_html"),
    // For mail: the visible reply is bodyText; the whole original text is kept here.
    originalText: text("original_text"),
    emailMessageId: text("email_message_id"),
    // The submitter's address as reported (osTicket's API stores its `ip` field unvalidated).
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [
    index("ticket_messages_ticket_idx").on(t.ticketId, t.createdAt),
    index("ticket_messages_email_message_id_idx").on(t.emailMessageId),
  ],
);

// People copied on a ticket (mail Cc, added by an agent) who may write into it by mail.
export const ticketParticipants = pgTable(
  "ticket_participants",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    userId: uuid("user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.email] }),
    index("ticket_participants_email_idx").on(t.email),
  ],
);

export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => ticketMessages.id, {
      onDelete: "cascade",
    }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: char("sha256", { length: 64 }).notNull(),
    // Inline images referenced from HTML as cid:<contentId>.
    contentId: text("content_id"),
    isInline: boolean("is_inline").notNull().default(false),
    // Bytes live in the database by default so a backup of it is a backup of everything.
    data: bytea("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("attachments_ticket_idx").on(t.ticketId),
    index("attachments_message_idx").on(t.messageId),
  ],
);

// Which agents have a ticket open right now: a heartbeat row per (ticket, agent), fresh for ~30 s.
export const ticketViewers = pgTable(
  "ticket_viewers",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seenAt: at("seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

// Agents' labels on a ticket ("refund", "vip"), stored normalised (lib/tickets/tags.ts) so the
// queue filter matches however they were typed.
export const ticketTags = pgTable(
  "ticket_tags",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.tag] }),
    index("ticket_tags_tag_idx").on(t.tag),
  ],
);

// What an agent is writing on a ticket, kept on the server so it survives tabs, reloads and devices.
export const ticketDrafts = pgTable(
  "ticket_drafts",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // reply or note (the two boxes of the workspace).
    kind: messageKind("kind").notNull(),
    body: text("body").notNull(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.userId, t.kind] }),
    check("ticket_drafts_kind", sql`${t.kind} in ('reply', 'note')`),
  ],
);

// Which staff alerts an agent has turned off (no row = the alert is on).
export const agentAlertSettings = pgTable(
  "agent_alert_settings",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Checked against lib/tickets/alert-kinds.ts.
    kind: text("kind").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/* ----------------------------------------------------------------------------------------------- */
/* Mail                                                                                            */
/* ----------------------------------------------------------------------------------------------- */

export const mailboxes = pgTable(
  "mailboxes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    localPart: text("local_part").notNull(),
    domain: text("domain").notNull(),
    status: mailboxStatus("status").notNull().default("pending"),
    quotaMb: integer("quota_mb").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at"),
    lastErrorKey: text("last_error_key"),
    lastErrorMessage: text("last_error_message"),
    // Set when the mailbox was made with a generated password the customer never saw.
    mustSetPassword: boolean("must_set_password").notNull().default(false),
    // Set before a create is sent, kept while its outcome is unknown: only then may a mailbox that
    // Mailcow says already exists be taken as this record's own.
    uncertainCreateAt: at("uncertain_create_at"),
    // Local parts Mailcow refused for this record (taken, an alias), never offered or sent again.
    refusedLocalParts: text("refused_local_parts")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    provisionedAt: at("provisioned_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("mailboxes_user_key").on(t.userId),
    uniqueIndex("mailboxes_address_key").on(
      sql`lower(${t.localPart})`,
      sql`lower(${t.domain})`,
    ),
    index("mailboxes_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

// The outbox: every mail the portal sends is written here first, in the transaction that causes it.
export const outboundMail = pgTable(
  "outbound_mail",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    fromAddress: text("from_address").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    bodyHtml: text("body_html"),
    messageId: text("message_id").notNull(),
    inReplyTo: text("in_reply_to"),
    references: text("references"),
    ticketId: uuid("ticket_id").references(() => tickets.id, {
      onDelete: "set null",
    }),
    status: outboundStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: at("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("outbound_mail_message_id_key").on(t.messageId),
    index("outbound_mail_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'queued'`),
    index("outbound_mail_ticket_idx").on(t.ticketId),
    index("outbound_mail_created_idx").on(t.createdAt.desc()),
  ],
);

// The inbound ledger: every message that reached a watched mailbox, with exactly one outcome.
export const inboundMail = pgTable(
  "inbound_mail",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    receivingAddress: text("receiving_address").notNull(),
    // The Message-ID header, or a content hash for mail that has none.
    messageId: text("message_id").notNull(),
    folder: text("folder"),
    uidValidity: bigint("uid_validity", { mode: "number" }),
    uid: bigint("uid", { mode: "number" }),
    fromAddress: text("from_address"),
    subject: text("subject"),
    sizeBytes: integer("size_bytes").notNull(),
    outcome: inboundOutcome("outcome").notNull(),
    reason: text("reason"),
    ticketId: uuid("ticket_id").references(() => tickets.id, {
      onDelete: "set null",
    }),
    ticketMessageId: uuid("ticket_message_id").references(
      () => ticketMessages.id,
      { onDelete: "set null" },
    ),
    raw: bytea("raw"),
    receivedAt: at("received_at"),
    processedAt: at("processed_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("inbound_mail_message_key").on(t.receivingAddress, t.messageId),
    index("inbound_mail_outcome_idx").on(t.outcome, t.processedAt.desc()),
    index("inbound_mail_processed_idx").on(t.processedAt.desc()),
    // The per-sender rate limit counts a sender's recent mail.
    index("inbound_mail_from_idx").on(
      sql`lower(${t.fromAddress})`,
      t.processedAt,
    ),
    index("inbound_mail_uid_idx").on(
      t.receivingAddress,
      t.folder,
      t.uidValidity,
      t.uid,
    ),
  ],
);

// How far each watched IMAP folder has been read: UIDs above lastUid are new. A UIDVALIDITY change
// starts the folder over; the ledger's Message-ID key keeps that from importing anything twice.
export const imapCursors = pgTable(
  "imap_cursors",
  {
    receivingAddress: text("receiving_address").notNull(),
    folder: text("folder").notNull(),
    uidValidity: bigint("uid_validity", { mode: "number" }).notNull(),
    lastUid: bigint("last_uid", { mode: "number" }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.receivingAddress, t.folder] })],
);

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: webhookProvider("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    receivedAt: at("received_at").notNull().defaultNow(),
    processedAt: at("processed_at"),
    error: text("error"),
  },
  (t) => [
    uniqueIndex("webhook_events_provider_event_key").on(t.provider, t.eventId),
  ],
);

// Leases for scheduled jobs, so overlapping runs (cron overlap, several instances) never work at once.
export const jobLeases = pgTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  leaseUntil: at("lease_until").notNull(),
});

/* ----------------------------------------------------------------------------------------------- */
/* First run                                                                                       */
/* ----------------------------------------------------------------------------------------------- */

// What setup was told about the company (osTicket's helpdesk name and default email). One row.
export const installation = pgTable(
  "installation",
  {
    id: boolean("id").primaryKey().default(true),
    companyName: text("company_name"),
    supportAddress: text("support_address"),
    // Agents and admins must sign in with a second factor; one without is sent to set it up.
    staffTwoFactorRequired: boolean("staff_two_factor_required")
      .notNull()
      .default(false),
    setUpById: uuid("set_up_by_id").references(() => users.id, {
      onDelete: "set null",
    }),
    setUpAt: at("set_up_at").notNull(),
  },
  (t) => [check("installation_single_row", sql`${t.id}`)],
);

// Hashes of the one-time tokens each server prints at start-up while no admin exists: any of them
// opens /setup, and all are deleted once an admin exists.
export const setupTokens = pgTable("setup_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  createdAt: createdAt(),
});

/* ----------------------------------------------------------------------------------------------- */
/* Audit                                                                                           */
/* ----------------------------------------------------------------------------------------------- */

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" })
      .primaryKey()
      .generatedByDefaultAsIdentity(),
    actorKind: actorKind("actor_kind").notNull(),
    actorId: uuid("actor_id").references(() => users.id, {
      onDelete: "set null",
    }),
    // e.g. "ticket.assigned", "user.signed_up", "mailbox.provisioned"
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    // Set for ticket events so the thread can show them in order with the messages.
    ticketId: uuid("ticket_id").references(() => tickets.id, {
      onDelete: "cascade",
    }),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    ip: inet("ip"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entityType, t.entityId, t.createdAt),
    index("audit_log_ticket_idx")
      .on(t.ticketId, t.createdAt)
      .where(sql`${t.ticketId} is not null`),
    index("audit_log_created_idx").on(t.createdAt.desc()),
  ],
);

/* ----------------------------------------------------------------------------------------------- */
/* Relations                                                                                       */
/* ----------------------------------------------------------------------------------------------- */

export const usersRelations = relations(users, ({ many, one }) => ({
  tickets: many(tickets, { relationName: "customer" }),
  assignedTickets: many(tickets, { relationName: "assignee" }),
  orders: many(orders),
  mailbox: one(mailboxes),
  departments: many(departmentMembers),
}));

export const departmentsRelations = relations(departments, ({ many, one }) => ({
  slaPlan: one(slaPlans, {
    fields: [departments.slaPlanId],
    references: [slaPlans.id],
  }),
  helpTopics: many(helpTopics),
  members: many(departmentMembers),
}));

export const departmentMembersRelations = relations(
  departmentMembers,
  ({ one }) => ({
    department: one(departments, {
      fields: [departmentMembers.departmentId],
      references: [departments.id],
    }),
    user: one(users, {
      fields: [departmentMembers.userId],
      references: [users.id],
    }),
  }),
);

export const helpTopicsRelations = relations(helpTopics, ({ one }) => ({
  department: one(departments, {
    fields: [helpTopics.departmentId],
    references: [departments.id],
  }),
  slaPlan: one(slaPlans, {
    fields: [helpTopics.slaPlanId],
    references: [slaPlans.id],
  }),
}));

export const productsRelations = relations(products, ({ many, one }) => ({
  prices: many(prices),
  image: one(productImages, {
    fields: [products.imageId],
    references: [productImages.id],
  }),
}));

export const pricesRelations = relations(prices, ({ one }) => ({
  product: one(products, {
    fields: [prices.productId],
    references: [products.id],
  }),
}));

export const ordersRelations = relations(orders, ({ one, many }) => ({
  customer: one(users, { fields: [orders.customerId], references: [users.id] }),
  items: many(orderItems),
  payments: many(payments),
  refunds: many(refunds),
  events: many(orderEvents),
  services: many(services),
  shopify: one(shopifyOrders, {
    fields: [orders.id],
    references: [shopifyOrders.orderId],
  }),
}));

export const orderEventsRelations = relations(orderEvents, ({ one }) => ({
  order: one(orders, {
    fields: [orderEvents.orderId],
    references: [orders.id],
  }),
  actor: one(users, { fields: [orderEvents.actorId], references: [users.id] }),
}));

export const refundsRelations = relations(refunds, ({ one }) => ({
  order: one(orders, { fields: [refunds.orderId], references: [orders.id] }),
}));

export const servicesRelations = relations(services, ({ one }) => ({
  order: one(orders, { fields: [services.orderId], references: [orders.id] }),
  customer: one(users, {
    fields: [services.customerId],
    references: [users.id],
  }),
  product: one(products, {
    fields: [services.productId],
    references: [products.id],
  }),
}));

export const cartsRelations = relations(carts, ({ many }) => ({
  items: many(cartItems),
}));

export const cartItemsRelations = relations(cartItems, ({ one }) => ({
  cart: one(carts, { fields: [cartItems.cartId], references: [carts.id] }),
  price: one(prices, { fields: [cartItems.priceId], references: [prices.id] }),
}));

export const orderItemsRelations = relations(orderItems, ({ one }) => ({
  order: one(orders, { fields: [orderItems.orderId], references: [orders.id] }),
  product: one(products, {
    fields: [orderItems.productId],
    references: [products.id],
  }),
}));

export const paymentsRelations = relations(payments, ({ one }) => ({
  order: one(orders, { fields: [payments.orderId], references: [orders.id] }),
}));

export const ticketsRelations = relations(tickets, ({ one, many }) => ({
  customer: one(users, {
    fields: [tickets.customerId],
    references: [users.id],
    relationName: "customer",
  }),
  assignee: one(users, {
    fields: [tickets.assigneeId],
    references: [users.id],
    relationName: "assignee",
  }),
  department: one(departments, {
    fields: [tickets.departmentId],
    references: [departments.id],
  }),
  helpTopic: one(helpTopics, {
    fields: [tickets.helpTopicId],
    references: [helpTopics.id],
  }),
  slaPlan: one(slaPlans, {
    fields: [tickets.slaPlanId],
    references: [slaPlans.id],
  }),
  order: one(orders, { fields: [tickets.orderId], references: [orders.id] }),
  messages: many(ticketMessages),
  attachments: many(attachments),
  participants: many(ticketParticipants),
}));

export const ticketMessagesRelations = relations(
  ticketMessages,
  ({ one, many }) => ({
    ticket: one(tickets, {
      fields: [ticketMessages.ticketId],
      references: [tickets.id],
    }),
    author: one(users, {
      fields: [ticketMessages.authorId],
      references: [users.id],
    }),
    attachments: many(attachments),
  }),
);

export const ticketParticipantsRelations = relations(
  ticketParticipants,
  ({ one }) => ({
    ticket: one(tickets, {
      fields: [ticketParticipants.ticketId],
      references: [tickets.id],
    }),
  }),
);

export const attachmentsRelations = relations(attachments, ({ one }) => ({
  ticket: one(tickets, {
    fields: [attachments.ticketId],
    references: [tickets.id],
  }),
  message: one(ticketMessages, {
    fields: [attachments.messageId],
    references: [ticketMessages.id],
  }),
}));

export const mailboxesRelations = relations(mailboxes, ({ one }) => ({
  user: one(users, { fields: [mailboxes.userId], references: [users.id] }),
}));

/* ----------------------------------------------------------------------------------------------- */
/* Row types                                                                                       */
/* ----------------------------------------------------------------------------------------------- */

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserRole = (typeof userRole.enumValues)[number];
export type EmailTokenPurpose = (typeof emailTokenPurpose.enumValues)[number];
export type TwoFactorMethod = (typeof twoFactorMethod.enumValues)[number];
export type SmsCodePurpose = (typeof smsCodePurpose.enumValues)[number];
export type OutboundSms = typeof outboundSms.$inferSelect;
export type Department = typeof departments.$inferSelect;
export type HelpTopic = typeof helpTopics.$inferSelect;
export type SlaPlan = typeof slaPlans.$inferSelect;
export type CannedReply = typeof cannedReplies.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Price = typeof prices.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OrderItem = typeof orderItems.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type OrderStatus = (typeof orderStatus.enumValues)[number];
export type OrderEvent = typeof orderEvents.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type Service = typeof services.$inferSelect;
export type ServiceStatus = (typeof serviceStatus.enumValues)[number];
export type ProductImage = typeof productImages.$inferSelect;
export type Cart = typeof carts.$inferSelect;
export type CartItem = typeof cartItems.$inferSelect;
export type Ticket = typeof tickets.$inferSelect;
export type NewTicket = typeof tickets.$inferInsert;
export type TicketStatus = (typeof ticketStatus.enumValues)[number];
export type TicketPriority = (typeof ticketPriority.enumValues)[number];
export type TicketSource = (typeof ticketSource.enumValues)[number];
export type TicketMessage = typeof ticketMessages.$inferSelect;
export type NewTicketMessage = typeof ticketMessages.$inferInsert;
export type Attachment = typeof attachments.$inferSelect;
export type Mailbox = typeof mailboxes.$inferSelect;
export type OutboundMail = typeof outboundMail.$inferSelect;
export type NewOutboundMail = typeof outboundMail.$inferInsert;
export type InboundMail = typeof inboundMail.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type ApiCall = typeof apiCalls.$inferSelect;
export type BannedEmail = typeof bannedEmails.$inferSelect;
export type Installation = typeof installation.$inferSelect;
