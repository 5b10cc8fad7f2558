import "server-only";
import { z } from "zod";
import { ALL_ORDERS_SCOPE, REQUIRED_SCOPES } from "@/lib/shopify/config";
import type {
  ShopifyGraphql,
  ShopifyRequestOptions,
} from "@/lib/shopify/graphql";

// The Admin GraphQL queries the portal runs, each with the zod schema of its answer and a mapper to
// our own types. Ids stay global ids (gid://shopify/Order/…), money stays a decimal string with its
// currency, times become Dates. User input only ever travels in variables.
// Each query is sized to stay well under Shopify's 1000-point ceiling per call: a connection costs
// 2 + first × (cost of one node), and nested connections multiply.

export type ShopifyMoney = { amount: string; currencyCode: string };

export type ShopifyLineItem = {
  id: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  unitPrice: ShopifyMoney;
  variantId: string | null;
  productId: string | null;
};

/** An order without its line items, as the backfill pages them. */
export type ShopifyOrderSummary = {
  id: string;
  legacyResourceId: string;
  /** "#1001". */
  name: string;
  /** Null for POS/draft orders, and when protected customer data is withheld. */
  email: string | null;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  /** CUSTOMER, DECLINED, FRAUD, INVENTORY, OTHER, STAFF. */
  cancelReason: string | null;
  closedAt: Date | null;
  /** PENDING, AUTHORIZED, PARTIALLY_PAID, PAID, PARTIALLY_REFUNDED, REFUNDED, VOIDED, EXPIRED. */
  financialStatus: string | null;
  /** UNFULFILLED, PARTIALLY_FULFILLED, FULFILLED, IN_PROGRESS, ON_HOLD, … */
  fulfillmentStatus: string;
  /** As placed. */
  totalPrice: ShopifyMoney;
  /** After edits and refunds. */
  currentTotalPrice: ShopifyMoney;
  totalRefunded: ShopifyMoney;
  statusPageUrl: string;
  test: boolean;
  tags: string[];
  note: string | null;
  customerId: string | null;
};

export type ShopifyOrder = ShopifyOrderSummary & {
  lineItems: ShopifyLineItem[];
  /** Where the next line items start when the order has more than were fetched. */
  moreLineItems: string | null;
};

export type ShopifyVariant = {
  id: string;
  legacyResourceId: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  selectedOptions: { name: string; value: string }[];
};

export type ShopifyProduct = {
  id: string;
  legacyResourceId: string;
  title: string;
  handle: string;
  status: "ACTIVE" | "ARCHIVED" | "DRAFT";
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  updatedAt: Date;
  variants: ShopifyVariant[];
  /** Where the next variants start when the product has more than were fetched. */
  moreVariants: string | null;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type ShopifyShopInfo = {
  name: string;
  domain: string;
  currencyCode: string;
  grantedScopes: string[];
  /** Of the scopes the portal needs, those not granted. */
  missingScopes: string[];
  /** Without read_all_orders only the last 60 days of orders are visible. */
  seesAllOrders: boolean;
};

// ---- answer schemas ----

const dateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const money = z.object({ amount: z.string(), currencyCode: z.string() });
const moneyBag = z.object({ shopMoney: money });
const pageInfo = z.object({
  hasNextPage: z.boolean(),
  endCursor: z.string().nullable(),
});
const next = (p: z.infer<typeof pageInfo>) =>
  p.hasNextPage ? p.endCursor : null;

const ORDER_FIELDS = /* GraphQL */ `
  id
  legacyResourceId
  name
  email
  createdAt
  processedAt
  updatedAt
  cancelledAt
  cancelReason
  closedAt
  displayFinancialStatus
  displayFulfillmentStatus
  totalPriceSet { shopMoney { amount currencyCode } }
  currentTotalPriceSet { shopMoney { amount currencyCode } }
  totalRefundedSet { shopMoney { amount currencyCode } }
  statusPageUrl
  test
  tags
  note
  customer { id }
`;

const LINE_ITEM_FIELDS = /* GraphQL */ `
  id
  title
  variantTitle
  sku
  quantity
  originalUnitPriceSet { shopMoney { amount currencyCode } }
  variant { id }
  product { id }
`;

const orderSummaryPayload = z
  .object({
    id: z.string(),
    legacyResourceId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    createdAt: dateTime,
    processedAt: dateTime,
    updatedAt: dateTime,
    cancelledAt: dateTime.nullable(),
    cancelReason: z.string().nullable(),
    closedAt: dateTime.nullable(),
    displayFinancialStatus: z.string().nullable(),
    displayFulfillmentStatus: z.string(),
    totalPriceSet: moneyBag,
    currentTotalPriceSet: moneyBag,
    totalRefundedSet: moneyBag,
    statusPageUrl: z.string(),
    test: z.boolean(),
    tags: z.array(z.string()),
    note: z.string().nullable(),
    customer: z.object({ id: z.string() }).nullable(),
  })
  .transform((o): ShopifyOrderSummary => ({
    id: o.id,
    legacyResourceId: o.legacyResourceId,
    name: o.name,
    email: o.email === "" ? null : o.email,
    createdAt: o.createdAt,
    processedAt: o.processedAt,
    updatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason,
    closedAt: o.closedAt,
    financialStatus: o.displayFinancialStatus,
    fulfillmentStatus: o.displayFulfillmentStatus,
    totalPrice: o.totalPriceSet.shopMoney,
    currentTotalPrice: o.currentTotalPriceSet.shopMoney,
    totalRefunded: o.totalRefundedSet.shopMoney,
    statusPageUrl: o.statusPageUrl,
    test: o.test,
    tags: o.tags,
    note: o.note,
    customerId: o.customer?.id ?? null,
  }));

const lineItemPayload = z
  .object({
    id: z.string(),
    title: z.string(),
    variantTitle: z.string().nullable(),
    sku: z.string().nullable(),
    quantity: z.number().int(),
    originalUnitPriceSet: moneyBag,
    variant: z.object({ id: z.string() }).nullable(),
    product: z.object({ id: z.string() }).nullable(),
  })
  .transform((l): ShopifyLineItem => ({
    id: l.id,
    title: l.title,
    variantTitle: l.variantTitle,
    sku: l.sku === "" ? null : l.sku,
    quantity: l.quantity,
    unitPrice: l.originalUnitPriceSet.shopMoney,
    variantId: l.variant?.id ?? null,
    productId: l.product?.id ?? null,
  }));

const lineItemsPayload = z.object({
  nodes: z.array(lineItemPayload),
  pageInfo,
});

const orderPayload = z
  .object({ lineItems: lineItemsPayload })
  .and(orderSummaryPayload)
  .transform((o): ShopifyOrder => ({
    ...o,
    lineItems: o.lineItems.nodes,
    moreLineItems: next(o.lineItems.pageInfo),
  }));

// ---- orders ----

/** Shopify's search syntax: the value quoted, with `"` and `\` escaped. */
export function quoteSearchValue(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

// 10 orders × (1 + 3 money bags + customer + 5 line items of 5 points) ≈ 350 points.
const ORDERS_BY_EMAIL = /* GraphQL */ `
  query PorticoOrdersByEmail($query: String!) {
    orders(first: 10, query: $query, sortKey: CREATED_AT, reverse: true) {
      nodes {
        ${ORDER_FIELDS}
        lineItems(first: 5) {
          nodes { ${LINE_ITEM_FIELDS} }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`;

/**
 * A customer's latest 10 orders by the order's email (Shopify matches it in any letter case), newest
 * first, with their first 5 line items. For the agent's ticket view: pass a short timeout.
 */
export async function listOrdersByEmail(
  shopify: ShopifyGraphql,
  email: string,
  options: Pick<ShopifyRequestOptions, "timeoutMs" | "signal"> = {},
): Promise<ShopifyOrder[]> {
  const data = await shopify.query(
    z.object({ orders: z.object({ nodes: z.array(orderPayload) }) }),
    ORDERS_BY_EMAIL,
    {
      ...options,
      variables: { query: `email:${quoteSearchValue(email.trim())}` },
    },
  );
  return data.orders.nodes;
}

// 1 + 3 money bags + customer + 50 line items of 5 points ≈ 260 points.
const ORDER_BY_ID = /* GraphQL */ `
  query PorticoOrder($id: ID!, $after: String) {
    order(id: $id) {
      ${ORDER_FIELDS}
      lineItems(first: 50, after: $after) {
        nodes { ${LINE_ITEM_FIELDS} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** One order with up to 50 line items (from `lineItemsAfter`); null when Shopify has no such order. */
export async function getOrder(
  shopify: ShopifyGraphql,
  id: string,
  options: Pick<ShopifyRequestOptions, "timeoutMs" | "signal"> & {
    lineItemsAfter?: string | null;
  } = {},
): Promise<ShopifyOrder | null> {
  const { lineItemsAfter, ...rest } = options;
  const data = await shopify.query(
    z.object({ order: orderPayload.nullable() }),
    ORDER_BY_ID,
    { ...rest, variables: { id, after: lineItemsAfter ?? null } },
  );
  return data.order;
}

// pageSize × (1 + 3 money bags + customer) = 8 points each: 100 orders ≈ 800 points.
const ORDERS_UPDATED_SINCE = /* GraphQL */ `
  query PorticoOrdersUpdatedSince($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { ${ORDER_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/**
 * One page of orders changed at or after `since` (all orders when null), oldest change first, for
 * the backfill and the periodic reconciliation. `>=` re-reads orders of the boundary second, so apply
 * them idempotently. Line items are left out to keep a page cheap: fetch them with getOrder.
 */
export async function listOrdersUpdatedSince(
  shopify: ShopifyGraphql,
  input: {
    since: Date | null;
    after?: string | null;
    pageSize?: number;
    signal?: AbortSignal;
  },
): Promise<Page<ShopifyOrderSummary>> {
  const pageSize = Math.min(100, Math.max(1, input.pageSize ?? 50));
  const data = await shopify.query(
    z.object({
      orders: z.object({ nodes: z.array(orderSummaryPayload), pageInfo }),
    }),
    ORDERS_UPDATED_SINCE,
    {
      signal: input.signal,
      variables: {
        first: pageSize,
        after: input.after ?? null,
        query: input.since
          ? `updated_at:>=${quoteSearchValue(input.since.toISOString())}`
          : null,
      },
    },
  );
  return {
    items: data.orders.nodes,
    nextCursor: next(data.orders.pageInfo),
  };
}

// ---- products ----

const VARIANT_FIELDS = /* GraphQL */ `
  id
  legacyResourceId
  title
  sku
  price
  compareAtPrice
  inventoryQuantity
  selectedOptions { name value }
`;

const variantPayload = z
  .object({
    id: z.string(),
    legacyResourceId: z.string(),
    title: z.string(),
    sku: z.string().nullable(),
    price: z.string(),
    compareAtPrice: z.string().nullable(),
    inventoryQuantity: z.number().int().nullable(),
    selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
  })
  .transform((v): ShopifyVariant => ({
    ...v,
    sku: v.sku === "" ? null : v.sku,
  }));

const variantsPayload = z.object({ nodes: z.array(variantPayload), pageInfo });

const productPayload = z
  .object({
    id: z.string(),
    legacyResourceId: z.string(),
    title: z.string(),
    handle: z.string(),
    status: z.enum(["ACTIVE", "ARCHIVED", "DRAFT"]),
    descriptionHtml: z.string(),
    vendor: z.string(),
    productType: z.string(),
    tags: z.array(z.string()),
    updatedAt: dateTime,
    variants: variantsPayload,
  })
  .transform((p): ShopifyProduct => ({
    ...p,
    variants: p.variants.nodes,
    moreVariants: next(p.variants.pageInfo),
  }));

// 20 products × (1 + 20 variants × 2 + 2) ≈ 870 points.
const PRODUCTS_PAGE = /* GraphQL */ `
  query PorticoProducts($after: String, $query: String) {
    products(first: 20, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        legacyResourceId
        title
        handle
        status
        descriptionHtml
        vendor
        productType
        tags
        updatedAt
        variants(first: 20) {
          nodes { ${VARIANT_FIELDS} }
          pageInfo { hasNextPage endCursor }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/**
 * One page of 20 products changed at or after `since`, oldest change first, each with its first 20
 * variants (page the rest with listProductVariants). `activeOnly` leaves drafts and archived ones out.
 */
export async function listProductsUpdatedSince(
  shopify: ShopifyGraphql,
  input: {
    since: Date | null;
    after?: string | null;
    activeOnly?: boolean;
    signal?: AbortSignal;
  },
): Promise<Page<ShopifyProduct>> {
  const terms = [
    ...(input.activeOnly ? ["status:active"] : []),
    ...(input.since
      ? [`updated_at:>=${quoteSearchValue(input.since.toISOString())}`]
      : []),
  ];
  const data = await shopify.query(
    z.object({
      products: z.object({ nodes: z.array(productPayload), pageInfo }),
    }),
    PRODUCTS_PAGE,
    {
      signal: input.signal,
      variables: {
        after: input.after ?? null,
        query: terms.length > 0 ? terms.join(" ") : null,
      },
    },
  );
  return {
    items: data.products.nodes,
    nextCursor: next(data.products.pageInfo),
  };
}

// 1 + 2 + 100 variants × 2 ≈ 200 points.
const PRODUCT_VARIANTS = /* GraphQL */ `
  query PorticoProductVariants($id: ID!, $after: String) {
    product(id: $id) {
      variants(first: 100, after: $after) {
        nodes { ${VARIANT_FIELDS} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** The next 100 variants of a product after `after`; null when the product is gone. */
export async function listProductVariants(
  shopify: ShopifyGraphql,
  productId: string,
  after: string | null,
): Promise<Page<ShopifyVariant> | null> {
  const data = await shopify.query(
    z.object({
      product: z.object({ variants: variantsPayload }).nullable(),
    }),
    PRODUCT_VARIANTS,
    { variables: { id: productId, after } },
  );
  if (!data.product) return null;
  return {
    items: data.product.variants.nodes,
    nextCursor: next(data.product.variants.pageInfo),
  };
}

// ---- the store ----

const SHOP_INFO = /* GraphQL */ `
  query PorticoShopInfo {
    shop {
      name
      myshopifyDomain
      currencyCode
    }
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

/** The store's name and currency, and which of the scopes the portal needs were granted. */
export async function getShopInfo(
  shopify: ShopifyGraphql,
  options: Pick<ShopifyRequestOptions, "timeoutMs" | "signal"> = {},
): Promise<ShopifyShopInfo> {
  const data = await shopify.query(
    z.object({
      shop: z.object({
        name: z.string(),
        myshopifyDomain: z.string(),
        currencyCode: z.string(),
      }),
      currentAppInstallation: z.object({
        accessScopes: z.array(z.object({ handle: z.string() })),
      }),
    }),
    SHOP_INFO,
    options,
  );
  const granted = data.currentAppInstallation.accessScopes.map((s) => s.handle);
  // Shopify lists a write scope without the read scope it implies.
  const has = (scope: string) =>
    granted.includes(scope) ||
    granted.includes(scope.replace(/^read_/, "write_"));
  return {
    name: data.shop.name,
    domain: data.shop.myshopifyDomain,
    currencyCode: data.shop.currencyCode,
    grantedScopes: granted,
    missingScopes: REQUIRED_SCOPES.filter((scope) => !has(scope)),
    seesAllOrders: granted.includes(ALL_ORDERS_SCOPE),
  };
}
