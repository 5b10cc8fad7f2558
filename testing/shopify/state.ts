import { randomBytes } from "node:crypto";

// The fake shop's memory: customers, orders with their line items and refunds, products with their
// variants, the app's granted scopes and the tokens it has been issued. Numeric ids are kept as
// digit strings because Shopify's can exceed 2^53. Money is a decimal string, summed in cents.

export type FinancialStatus =
  | "AUTHORIZED"
  | "EXPIRED"
  | "PAID"
  | "PARTIALLY_PAID"
  | "PARTIALLY_REFUNDED"
  | "PENDING"
  | "REFUNDED"
  | "VOIDED";

export type FulfillmentStatus =
  | "FULFILLED"
  | "IN_PROGRESS"
  | "ON_HOLD"
  | "OPEN"
  | "PARTIALLY_FULFILLED"
  | "PENDING_FULFILLMENT"
  | "REQUEST_DECLINED"
  | "RESTOCKED"
  | "SCHEDULED"
  | "UNFULFILLED";

export type CancelReason =
  "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF";

export type FakeCustomer = {
  legacyId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type FakeLineItem = {
  legacyId: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  currentQuantity: number;
  /** Unit price as placed, decimal string in the shop's currency. */
  price: string;
  variantLegacyId: string | null;
  productLegacyId: string | null;
};

export type FakeRefund = {
  legacyId: string;
  amount: string;
  note: string | null;
  createdAt: Date;
};

export type FakeOrder = {
  legacyId: string;
  number: number;
  email: string | null;
  contactEmail: string | null;
  customerLegacyId: string | null;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancelReason: CancelReason | null;
  closedAt: Date | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  subtotalPrice: string;
  totalTax: string;
  totalDiscounts: string;
  totalPrice: string;
  test: boolean;
  tags: string[];
  note: string | null;
  sourceName: string;
  lineItems: FakeLineItem[];
  refunds: FakeRefund[];
};

export type FakeVariant = {
  legacyId: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  selectedOptions: { name: string; value: string }[];
  updatedAt: Date;
};

export type FakeProduct = {
  legacyId: string;
  title: string;
  handle: string;
  status: "ACTIVE" | "ARCHIVED" | "DRAFT";
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  variants: FakeVariant[];
};

export type FakeToken = {
  token: string;
  scope: string;
  /** Null for a fixed custom-app token, which never expires. */
  expiresAt: Date | null;
};

export type FakeShopState = {
  shop: {
    legacyId: string;
    name: string;
    email: string;
    domain: string;
    currency: string;
  };
  customers: Map<string, FakeCustomer>;
  orders: Map<string, FakeOrder>;
  products: Map<string, FakeProduct>;
  /** What currentAppInstallation.accessScopes lists, and what the resolvers enforce. */
  grantedScopes: string[];
  /** False: email, names and the Customer object are withheld as for an app without that access. */
  protectedCustomerData: boolean;
  tokens: Map<string, FakeToken>;
  now: () => Date;
  nextId: () => string;
};

export type FakeShopOptions = {
  domain?: string;
  name?: string;
  currency?: string;
  grantedScopes?: string[];
  now?: () => Date;
};

export const DEFAULT_SCOPES = [
  "read_customers",
  "read_orders",
  "read_products",
];

export function createState(options: FakeShopOptions = {}): FakeShopState {
  // Shopify's ids are 13-digit today; starting here keeps them realistic and well below 2^53.
  let id = 5_940_139_491_000;
  return {
    shop: {
      legacyId: "60123456789",
      name: options.name ?? "Portico Test Shop",
      email: "owner@portico.test",
      domain: options.domain ?? "portico-test.myshopify.com",
      currency: options.currency ?? "EUR",
    },
    customers: new Map(),
    orders: new Map(),
    products: new Map(),
    grantedScopes: options.grantedScopes ?? [...DEFAULT_SCOPES],
    protectedCustomerData: true,
    tokens: new Map(),
    now: options.now ?? (() => new Date()),
    nextId: () => String(++id),
  };
}

export function newToken(): string {
  return `shpat_${randomBytes(16).toString("hex")}`;
}

// ---- money ----

/** "59.99" → 5999n. Accepts up to two decimals, as the shop currencies here have. */
export function toCents(amount: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`fake shopify: not a decimal amount: ${amount}`);
  const cents =
    BigInt(match[2] ?? "0") * 100n + BigInt((match[3] ?? "").padEnd(2, "0"));
  return match[1] === "-" ? -cents : cents;
}

/** 5999n → "59.99", the way Shopify writes decimals. */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

export function refundedTotal(order: FakeOrder): string {
  return fromCents(
    order.refunds.reduce((sum, r) => sum + toCents(r.amount), 0n),
  );
}

export function currentTotal(order: FakeOrder): string {
  return fromCents(toCents(order.totalPrice) - toCents(refundedTotal(order)));
}

// ---- builders ----

export type CustomerInput = Partial<Omit<FakeCustomer, "legacyId">> & {
  legacyId?: string;
};

export function addCustomer(
  state: FakeShopState,
  input: CustomerInput = {},
): FakeCustomer {
  const now = state.now();
  const customer: FakeCustomer = {
    legacyId: input.legacyId ?? state.nextId(),
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    email: input.email ?? null,
    createdAt: input.createdAt ?? now,
    updatedAt: input.updatedAt ?? input.createdAt ?? now,
  };
  state.customers.set(customer.legacyId, customer);
  return customer;
}

export type LineItemInput = Partial<Omit<FakeLineItem, "legacyId">> & {
  title: string;
  price: string;
  legacyId?: string;
};

export type OrderInput = Partial<
  Omit<FakeOrder, "legacyId" | "lineItems" | "refunds">
> & {
  legacyId?: string;
  lineItems?: LineItemInput[];
  /** Links or creates the shop customer with this order's email (Shopify does so at checkout). */
  customer?: { firstName?: string; lastName?: string } | null;
};

export function addOrder(
  state: FakeShopState,
  input: OrderInput = {},
): FakeOrder {
  const now = state.now();
  const createdAt = input.createdAt ?? now;
  const lineItems = (
    input.lineItems ?? [{ title: "Gift card", price: "25.00" }]
  ).map((item): FakeLineItem => ({
    legacyId: item.legacyId ?? state.nextId(),
    title: item.title,
    variantTitle: item.variantTitle ?? null,
    sku: item.sku ?? null,
    quantity: item.quantity ?? 1,
    currentQuantity: item.currentQuantity ?? item.quantity ?? 1,
    price: item.price,
    variantLegacyId: item.variantLegacyId ?? null,
    productLegacyId: item.productLegacyId ?? null,
  }));
  const subtotal = lineItems.reduce(
    (sum, item) => sum + toCents(item.price) * BigInt(item.quantity),
    0n,
  );
  const email = input.email === undefined ? null : input.email;
  let customerLegacyId = input.customerLegacyId ?? null;
  if (customerLegacyId === null && input.customer !== null && email !== null) {
    const existing = [...state.customers.values()].find(
      (c) => c.email?.toLowerCase() === email.toLowerCase(),
    );
    customerLegacyId = (
      existing ??
      addCustomer(state, {
        email,
        firstName: input.customer?.firstName ?? null,
        lastName: input.customer?.lastName ?? null,
        createdAt,
      })
    ).legacyId;
  }
  const number =
    input.number ??
    1001 +
      [...state.orders.values()].reduce(
        (n, o) => Math.max(n, o.number - 1000),
        0,
      );
  const order: FakeOrder = {
    legacyId: input.legacyId ?? state.nextId(),
    number,
    email,
    contactEmail: input.contactEmail ?? email,
    customerLegacyId,
    createdAt,
    processedAt: input.processedAt ?? createdAt,
    updatedAt: input.updatedAt ?? createdAt,
    cancelledAt: input.cancelledAt ?? null,
    cancelReason: input.cancelReason ?? null,
    closedAt: input.closedAt ?? null,
    financialStatus: input.financialStatus ?? "PAID",
    fulfillmentStatus: input.fulfillmentStatus ?? "UNFULFILLED",
    subtotalPrice: input.subtotalPrice ?? fromCents(subtotal),
    totalTax: input.totalTax ?? "0.00",
    totalDiscounts: input.totalDiscounts ?? "0.00",
    totalPrice: input.totalPrice ?? fromCents(subtotal),
    test: input.test ?? false,
    tags: input.tags ?? [],
    note: input.note ?? null,
    sourceName: input.sourceName ?? "web",
    lineItems,
    refunds: [],
  };
  state.orders.set(order.legacyId, order);
  return order;
}

export type VariantInput = Partial<Omit<FakeVariant, "legacyId">> & {
  legacyId?: string;
};

export type ProductInput = Partial<
  Omit<FakeProduct, "legacyId" | "variants">
> & {
  title: string;
  legacyId?: string;
  variants?: VariantInput[];
};

export function addProduct(
  state: FakeShopState,
  input: ProductInput,
): FakeProduct {
  const now = state.now();
  const updatedAt = input.updatedAt ?? input.createdAt ?? now;
  const product: FakeProduct = {
    legacyId: input.legacyId ?? state.nextId(),
    title: input.title,
    handle:
      input.handle ??
      input.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
    status: input.status ?? "ACTIVE",
    descriptionHtml: input.descriptionHtml ?? "",
    vendor: input.vendor ?? "Portico",
    productType: input.productType ?? "",
    tags: input.tags ?? [],
    createdAt: input.createdAt ?? now,
    updatedAt,
    variants: (input.variants ?? [{}]).map((v): FakeVariant => ({
      legacyId: v.legacyId ?? state.nextId(),
      title: v.title ?? "Default Title",
      sku: v.sku ?? null,
      price: v.price ?? "10.00",
      compareAtPrice: v.compareAtPrice ?? null,
      inventoryQuantity: v.inventoryQuantity ?? 0,
      selectedOptions: v.selectedOptions ?? [
        { name: "Title", value: v.title ?? "Default Title" },
      ],
      updatedAt: v.updatedAt ?? updatedAt,
    })),
  };
  state.products.set(product.legacyId, product);
  return product;
}

export function requireOrder(
  state: FakeShopState,
  legacyId: string,
): FakeOrder {
  const order = state.orders.get(legacyId);
  if (!order) throw new Error(`fake shopify: no order ${legacyId}`);
  return order;
}

/** The order's email as Shopify shows it: the order's own, else the contact's, else the customer's. */
export function orderEmail(
  state: FakeShopState,
  order: FakeOrder,
): string | null {
  const customer = order.customerLegacyId
    ? state.customers.get(order.customerLegacyId)
    : undefined;
  return order.email ?? order.contactEmail ?? customer?.email ?? null;
}
