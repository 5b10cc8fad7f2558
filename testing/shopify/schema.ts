import { buildSchema, type GraphQLSchema } from "graphql";

// A hand-written subset of Shopify's Admin GraphQL schema (API version 2026-07): exactly the types,
// fields and arguments the portal selects, with the names, nullability and scalar kinds Shopify
// gives them. Every query the fake receives is validated against it, so a misspelt field or a
// wrong argument in the portal fails a test the way it would fail against Shopify.
// Money is a decimal string (`Decimal`, `Money`), ids are global ids, `UnsignedInt64` is a string.

export const ADMIN_SDL = /* GraphQL */ `
  scalar DateTime
  scalar Decimal
  scalar Money
  scalar URL
  scalar HTML
  scalar UnsignedInt64

  enum CurrencyCode {
    AUD
    CAD
    CHF
    CZK
    DKK
    EUR
    GBP
    JPY
    NOK
    PLN
    SEK
    USD
  }

  enum OrderDisplayFinancialStatus {
    AUTHORIZED
    EXPIRED
    PAID
    PARTIALLY_PAID
    PARTIALLY_REFUNDED
    PENDING
    REFUNDED
    VOIDED
  }

  enum OrderDisplayFulfillmentStatus {
    FULFILLED
    IN_PROGRESS
    ON_HOLD
    OPEN
    PARTIALLY_FULFILLED
    PENDING_FULFILLMENT
    REQUEST_DECLINED
    RESTOCKED
    SCHEDULED
    UNFULFILLED
  }

  enum OrderCancelReason {
    CUSTOMER
    DECLINED
    FRAUD
    INVENTORY
    OTHER
    STAFF
  }

  enum OrderSortKeys {
    CREATED_AT
    CUSTOMER_NAME
    FINANCIAL_STATUS
    FULFILLMENT_STATUS
    ID
    ORDER_NUMBER
    PROCESSED_AT
    RELEVANCE
    TOTAL_PRICE
    UPDATED_AT
  }

  enum ProductStatus {
    ACTIVE
    ARCHIVED
    DRAFT
  }

  enum ProductSortKeys {
    CREATED_AT
    ID
    INVENTORY_TOTAL
    PRODUCT_TYPE
    PUBLISHED_AT
    RELEVANCE
    TITLE
    UPDATED_AT
    VENDOR
  }

  enum CustomerSortKeys {
    CREATED_AT
    ID
    NAME
    RELEVANCE
    UPDATED_AT
  }

  interface Node {
    id: ID!
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type MoneyV2 {
    amount: Decimal!
    currencyCode: CurrencyCode!
  }

  type MoneyBag {
    shopMoney: MoneyV2!
    presentmentMoney: MoneyV2!
  }

  type CustomerEmailAddress {
    emailAddress: String
  }

  type Customer implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    displayName: String!
    firstName: String
    lastName: String
    email: String
      @deprecated(reason: "Use \`defaultEmailAddress.emailAddress\` instead.")
    defaultEmailAddress: CustomerEmailAddress
    numberOfOrders: UnsignedInt64!
    amountSpent: MoneyV2!
    createdAt: DateTime!
    updatedAt: DateTime!
    orders(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: OrderSortKeys = ID
      query: String
    ): OrderConnection!
  }

  type CustomerEdge {
    cursor: String!
    node: Customer!
  }

  type CustomerConnection {
    edges: [CustomerEdge!]!
    nodes: [Customer!]!
    pageInfo: PageInfo!
  }

  input CustomerIdentifierInput {
    id: ID
    emailAddress: String
    phoneNumber: String
  }

  type SelectedOption {
    name: String!
    value: String!
  }

  type ProductVariant implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    title: String!
    displayName: String!
    sku: String
    price: Money!
    compareAtPrice: Money
    inventoryQuantity: Int
    selectedOptions: [SelectedOption!]!
    updatedAt: DateTime!
    product: Product!
  }

  type ProductVariantEdge {
    cursor: String!
    node: ProductVariant!
  }

  type ProductVariantConnection {
    edges: [ProductVariantEdge!]!
    nodes: [ProductVariant!]!
    pageInfo: PageInfo!
  }

  type Product implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    title: String!
    handle: String!
    status: ProductStatus!
    descriptionHtml: HTML!
    vendor: String!
    productType: String!
    tags: [String!]!
    createdAt: DateTime!
    updatedAt: DateTime!
    variants(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
    ): ProductVariantConnection!
  }

  type ProductEdge {
    cursor: String!
    node: Product!
  }

  type ProductConnection {
    edges: [ProductEdge!]!
    nodes: [Product!]!
    pageInfo: PageInfo!
  }

  type LineItem implements Node {
    id: ID!
    name: String!
    title: String!
    quantity: Int!
    currentQuantity: Int!
    sku: String
    variantTitle: String
    originalUnitPriceSet: MoneyBag!
    variant: ProductVariant
    product: Product
  }

  type LineItemEdge {
    cursor: String!
    node: LineItem!
  }

  type LineItemConnection {
    edges: [LineItemEdge!]!
    nodes: [LineItem!]!
    pageInfo: PageInfo!
  }

  type Order implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    name: String!
    email: String
    createdAt: DateTime!
    processedAt: DateTime!
    updatedAt: DateTime!
    cancelledAt: DateTime
    cancelReason: OrderCancelReason
    closedAt: DateTime
    displayFinancialStatus: OrderDisplayFinancialStatus
    displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
    currencyCode: CurrencyCode!
    totalPriceSet: MoneyBag!
    currentTotalPriceSet: MoneyBag!
    subtotalPriceSet: MoneyBag
    totalRefundedSet: MoneyBag!
    statusPageUrl: URL!
    test: Boolean!
    tags: [String!]!
    note: String
    customer: Customer
    lineItems(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
    ): LineItemConnection!
  }

  type OrderEdge {
    cursor: String!
    node: Order!
  }

  type OrderConnection {
    edges: [OrderEdge!]!
    nodes: [Order!]!
    pageInfo: PageInfo!
  }

  type Shop implements Node {
    id: ID!
    name: String!
    email: String!
    myshopifyDomain: String!
    currencyCode: CurrencyCode!
  }

  type AccessScope {
    handle: String!
    description: String!
  }

  type AppInstallation implements Node {
    id: ID!
    accessScopes: [AccessScope!]!
  }

  type QueryRoot {
    shop: Shop!
    currentAppInstallation: AppInstallation!
    order(id: ID!): Order
    orders(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: OrderSortKeys = PROCESSED_AT
      query: String
      savedSearchId: ID
    ): OrderConnection!
    customer(id: ID!): Customer
    customerByIdentifier(identifier: CustomerIdentifierInput!): Customer
    customers(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: CustomerSortKeys = ID
      query: String
    ): CustomerConnection!
    product(id: ID!): Product
    products(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: ProductSortKeys = ID
      query: String
    ): ProductConnection!
    productVariant(id: ID!): ProductVariant
  }

  schema {
    query: QueryRoot
  }
`;

let built: GraphQLSchema | undefined;

export function adminSchema(): GraphQLSchema {
  return (built ??= buildSchema(ADMIN_SDL));
}
