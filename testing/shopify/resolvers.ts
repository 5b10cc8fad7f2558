import { GraphQLError } from "graphql";
import {
  applySearch,
  matchDate,
  matchText,
  paginate,
  type FieldMatchers,
  type PageArgs,
  type SearchWarning,
} from "@/testing/shopify/search";
import {
  currentTotal,
  fromCents,
  orderEmail,
  refundedTotal,
  toCents,
  type FakeCustomer,
  type FakeOrder,
  type FakeProduct,
  type FakeShopState,
  type FakeVariant,
} from "@/testing/shopify/state";

// The fake's resolvers: the store seen through the Admin API's types. Each object is a plain record
// whose fields with arguments are methods, which graphql-js's default resolver calls with the
// arguments. Scopes are enforced the way Shopify does it, per field, with ACCESS_DENIED errors.

export type ResolveContext = {
  state: FakeShopState;
  /** Scopes of the token this call came with. */
  scopes: string[];
  searchWarnings: SearchWarning[];
};

type ConnectionArgs = PageArgs & { sortKey?: string; query?: string | null };

const gid = (type: string, legacyId: string) =>
  `gid://shopify/${type}/${legacyId}`;

function legacyIdOf(id: string, type: string): string | null {
  const match = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(id);
  return match?.[1] ?? null;
}

const DAY_MS = 86_400_000;

function requireScope(ctx: ResolveContext, scope: string, field: string) {
  if (ctx.scopes.includes(scope)) return;
  throw new GraphQLError(
    `Access denied for ${field} field. Required access: \`${scope}\` access scope.`,
    {
      extensions: {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/api/usage/access-scopes",
        requiredAccess: `\`${scope}\` access scope.`,
      },
    },
  );
}

function requireProtectedData(ctx: ResolveContext) {
  if (ctx.state.protectedCustomerData) return;
  throw new GraphQLError(
    "This app is not approved to access the Customer object. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.",
    {
      extensions: {
        code: "ACCESS_DENIED",
        documentation:
          "https://shopify.dev/docs/apps/launch/protected-customer-data",
      },
    },
  );
}

function connection<T, V>(
  items: T[],
  args: PageArgs,
  idOf: (item: T) => string,
  sortValue: (item: T) => string | number,
  view: (item: T) => V,
) {
  const page = paginate(items, args, idOf, sortValue);
  const edges = page.items.map((e) => ({
    cursor: e.cursor,
    node: view(e.node),
  }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: page.pageInfo,
  };
}

const money = (amount: string, currencyCode: string) => ({
  amount,
  currencyCode,
});
const moneyBag = (amount: string, currencyCode: string) => ({
  shopMoney: money(amount, currencyCode),
  presentmentMoney: money(amount, currencyCode),
});

// ---- orders ----

const orderMatchers = (state: FakeShopState): FieldMatchers<FakeOrder> => ({
  email: (o, t) => matchText(orderEmail(state, o), t),
  name: (o, t) =>
    matchText(`#${o.number}`, t) || matchText(String(o.number), t),
  id: (o, t) => o.legacyId === t.value,
  customer_id: (o, t) => o.customerLegacyId === t.value,
  financial_status: (o, t) => matchText(o.financialStatus, t),
  fulfillment_status: (o, t) => matchText(o.fulfillmentStatus, t),
  test: (o, t) => String(o.test) === t.value.toLowerCase(),
  status: (o, t) => {
    const v = t.value.toLowerCase();
    if (v === "any") return true;
    if (v === "cancelled") return o.cancelledAt !== null;
    if (v === "closed") return o.closedAt !== null;
    if (v === "open") return o.closedAt === null && o.cancelledAt === null;
    if (v === "not_closed") return o.closedAt === null;
    return false;
  },
  created_at: (o, t) => matchDate(o.createdAt, t),
  updated_at: (o, t) => matchDate(o.updatedAt, t),
  processed_at: (o, t) => matchDate(o.processedAt, t),
});

function orderSortValue(key: string | undefined) {
  return (o: FakeOrder): string | number => {
    switch (key) {
      case "CREATED_AT":
        return o.createdAt.getTime();
      case "UPDATED_AT":
        return o.updatedAt.getTime();
      case "PROCESSED_AT":
        return o.processedAt.getTime();
      case "ORDER_NUMBER":
        return o.number;
      case "TOTAL_PRICE":
        return Number(toCents(o.totalPrice));
      case "FINANCIAL_STATUS":
        return o.financialStatus;
      case "FULFILLMENT_STATUS":
        return o.fulfillmentStatus;
      default:
        return o.legacyId.padStart(20, "0");
    }
  };
}

/** Orders the app may see: without read_all_orders only the last 60 days (Shopify's rule). */
function visibleOrders(ctx: ResolveContext): FakeOrder[] {
  const all = [...ctx.state.orders.values()];
  if (ctx.scopes.includes("read_all_orders")) return all;
  const since = ctx.state.now().getTime() - 60 * DAY_MS;
  return all.filter((o) => o.createdAt.getTime() >= since);
}

function ordersConnection(
  ctx: ResolveContext,
  orders: FakeOrder[],
  args: ConnectionArgs,
) {
  const found = applySearch(
    orders,
    args.query,
    orderMatchers(ctx.state),
    ctx.searchWarnings,
  );
  return connection(
    found,
    args,
    (o) => o.legacyId,
    orderSortValue(args.sortKey),
    (o) => orderView(ctx, o),
  );
}

function orderView(ctx: ResolveContext, o: FakeOrder) {
  const { state } = ctx;
  const currency = state.shop.currency;
  return {
    id: gid("Order", o.legacyId),
    legacyResourceId: o.legacyId,
    name: `#${o.number}`,
    email: () => (state.protectedCustomerData ? orderEmail(state, o) : null),
    createdAt: o.createdAt.toISOString(),
    processedAt: o.processedAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    cancelledAt: o.cancelledAt?.toISOString() ?? null,
    cancelReason: o.cancelReason,
    closedAt: o.closedAt?.toISOString() ?? null,
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: o.fulfillmentStatus,
    currencyCode: currency,
    totalPriceSet: moneyBag(o.totalPrice, currency),
    currentTotalPriceSet: moneyBag(currentTotal(o), currency),
    subtotalPriceSet: moneyBag(o.subtotalPrice, currency),
    totalRefundedSet: moneyBag(refundedTotal(o), currency),
    statusPageUrl: `https://${state.shop.domain}/${state.shop.legacyId}/orders/${o.legacyId}/authenticate?key=fake`,
    test: o.test,
    tags: o.tags,
    note: o.note,
    customer: () => {
      if (o.customerLegacyId === null) return null;
      requireScope(ctx, "read_customers", "customer");
      requireProtectedData(ctx);
      const c = state.customers.get(o.customerLegacyId);
      return c ? customerView(ctx, c) : null;
    },
    lineItems: (args: PageArgs) =>
      connection(
        o.lineItems,
        args,
        (l) => l.legacyId,
        (l) => l.legacyId.padStart(20, "0"),
        (l) => ({
          id: gid("LineItem", l.legacyId),
          name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
          title: l.title,
          quantity: l.quantity,
          currentQuantity: l.currentQuantity,
          sku: l.sku,
          variantTitle: l.variantTitle,
          originalUnitPriceSet: moneyBag(l.price, currency),
          variant: () => {
            const found = l.productLegacyId
              ? state.products.get(l.productLegacyId)
              : undefined;
            const v = found?.variants.find(
              (x) => x.legacyId === l.variantLegacyId,
            );
            return found && v ? variantView(ctx, found, v) : null;
          },
          product: () => {
            const found = l.productLegacyId
              ? state.products.get(l.productLegacyId)
              : undefined;
            return found ? productView(ctx, found) : null;
          },
        }),
      ),
  };
}

// ---- customers ----

function customerView(ctx: ResolveContext, c: FakeCustomer) {
  const { state } = ctx;
  const orders = [...state.orders.values()].filter(
    (o) => o.customerLegacyId === c.legacyId,
  );
  const spent = orders.reduce((sum, o) => sum + toCents(currentTotal(o)), 0n);
  const displayName =
    [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "";
  return {
    id: gid("Customer", c.legacyId),
    legacyResourceId: c.legacyId,
    displayName,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    defaultEmailAddress: c.email ? { emailAddress: c.email } : null,
    numberOfOrders: String(orders.length),
    amountSpent: money(fromCents(spent), state.shop.currency),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    orders: (args: ConnectionArgs) => {
      requireScope(ctx, "read_orders", "orders");
      return ordersConnection(
        ctx,
        visibleOrders(ctx).filter((o) => o.customerLegacyId === c.legacyId),
        args,
      );
    },
  };
}

const customerMatchers: FieldMatchers<FakeCustomer> = {
  email: (c, t) => matchText(c.email, t),
  id: (c, t) => c.legacyId === t.value,
  created_at: (c, t) => matchDate(c.createdAt, t),
  updated_at: (c, t) => matchDate(c.updatedAt, t),
};

// ---- products ----

const productMatchers: FieldMatchers<FakeProduct> = {
  status: (p, t) =>
    t.value.toLowerCase().split(",").includes(p.status.toLowerCase()),
  title: (p, t) => matchText(p.title, t),
  handle: (p, t) => matchText(p.handle, t),
  vendor: (p, t) => matchText(p.vendor, t),
  product_type: (p, t) => matchText(p.productType, t),
  tag: (p, t) => p.tags.some((tag) => matchText(tag, t)),
  id: (p, t) => p.legacyId === t.value,
  created_at: (p, t) => matchDate(p.createdAt, t),
  updated_at: (p, t) => matchDate(p.updatedAt, t),
};

function productSortValue(key: string | undefined) {
  return (p: FakeProduct): string | number => {
    switch (key) {
      case "CREATED_AT":
        return p.createdAt.getTime();
      case "UPDATED_AT":
        return p.updatedAt.getTime();
      case "TITLE":
        return p.title.toLowerCase();
      case "VENDOR":
        return p.vendor.toLowerCase();
      case "PRODUCT_TYPE":
        return p.productType.toLowerCase();
      default:
        return p.legacyId.padStart(20, "0");
    }
  };
}

function productView(ctx: ResolveContext, p: FakeProduct) {
  return {
    id: gid("Product", p.legacyId),
    legacyResourceId: p.legacyId,
    title: p.title,
    handle: p.handle,
    status: p.status,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    variants: (args: PageArgs) =>
      connection(
        p.variants,
        args,
        (v) => v.legacyId,
        (v) => v.legacyId.padStart(20, "0"),
        (v) => variantView(ctx, p, v),
      ),
  };
}

function variantView(ctx: ResolveContext, p: FakeProduct, v: FakeVariant) {
  return {
    id: gid("ProductVariant", v.legacyId),
    legacyResourceId: v.legacyId,
    title: v.title,
    displayName: `${p.title} - ${v.title}`,
    sku: v.sku,
    price: v.price,
    compareAtPrice: v.compareAtPrice,
    inventoryQuantity: v.inventoryQuantity,
    selectedOptions: v.selectedOptions,
    updatedAt: v.updatedAt.toISOString(),
    product: () => productView(ctx, p),
  };
}

// ---- the query root ----

export function rootValue(ctx: ResolveContext) {
  const { state } = ctx;
  return {
    shop: {
      id: gid("Shop", state.shop.legacyId),
      name: state.shop.name,
      email: state.shop.email,
      myshopifyDomain: state.shop.domain,
      currencyCode: state.shop.currency,
    },
    currentAppInstallation: {
      id: gid("AppInstallation", "7001"),
      accessScopes: ctx.scopes.map((handle) => ({
        handle,
        description: handle,
      })),
    },
    order: ({ id }: { id: string }) => {
      requireScope(ctx, "read_orders", "order");
      const legacyId = legacyIdOf(id, "Order");
      const found = visibleOrders(ctx).find((o) => o.legacyId === legacyId);
      return found ? orderView(ctx, found) : null;
    },
    orders: (args: ConnectionArgs) => {
      requireScope(ctx, "read_orders", "orders");
      return ordersConnection(ctx, visibleOrders(ctx), args);
    },
    customer: ({ id }: { id: string }) => {
      requireScope(ctx, "read_customers", "customer");
      requireProtectedData(ctx);
      const legacyId = legacyIdOf(id, "Customer");
      const found = legacyId ? state.customers.get(legacyId) : undefined;
      return found ? customerView(ctx, found) : null;
    },
    customerByIdentifier: ({
      identifier,
    }: {
      identifier: { id?: string | null; emailAddress?: string | null };
    }) => {
      requireScope(ctx, "read_customers", "customerByIdentifier");
      requireProtectedData(ctx);
      const email = identifier.emailAddress?.toLowerCase();
      const legacyId = identifier.id
        ? legacyIdOf(identifier.id, "Customer")
        : null;
      const found = [...state.customers.values()].find(
        (c) =>
          (email !== undefined && c.email?.toLowerCase() === email) ||
          (legacyId !== null && c.legacyId === legacyId),
      );
      return found ? customerView(ctx, found) : null;
    },
    customers: (args: ConnectionArgs) => {
      requireScope(ctx, "read_customers", "customers");
      requireProtectedData(ctx);
      const found = applySearch(
        [...state.customers.values()],
        args.query,
        customerMatchers,
        ctx.searchWarnings,
      );
      return connection(
        found,
        args,
        (c) => c.legacyId,
        (c) =>
          args.sortKey === "UPDATED_AT"
            ? c.updatedAt.getTime()
            : args.sortKey === "CREATED_AT"
              ? c.createdAt.getTime()
              : c.legacyId.padStart(20, "0"),
        (c) => customerView(ctx, c),
      );
    },
    product: ({ id }: { id: string }) => {
      requireScope(ctx, "read_products", "product");
      const legacyId = legacyIdOf(id, "Product");
      const found = legacyId ? state.products.get(legacyId) : undefined;
      return found ? productView(ctx, found) : null;
    },
    products: (args: ConnectionArgs) => {
      requireScope(ctx, "read_products", "products");
      const found = applySearch(
        [...state.products.values()],
        args.query,
        productMatchers,
        ctx.searchWarnings,
      );
      return connection(
        found,
        args,
        (p) => p.legacyId,
        productSortValue(args.sortKey),
        (p) => productView(ctx, p),
      );
    },
    productVariant: ({ id }: { id: string }) => {
      requireScope(ctx, "read_products", "productVariant");
      const legacyId = legacyIdOf(id, "ProductVariant");
      for (const p of state.products.values()) {
        const v = p.variants.find((x) => x.legacyId === legacyId);
        if (v) return variantView(ctx, p, v);
      }
      return null;
    },
  };
}
