import type Stripe from "stripe";
import {
  SESSION_EXPANDABLE,
  lineItemObject,
  lineItemsProblem,
  planLineItems,
  sessionObject,
  sessionParamsProblem,
} from "@/testing/stripe/checkout-params";
import {
  formError,
  listInput,
  retrieveInput,
  sessionCreateInput,
  type FormTree,
} from "@/testing/stripe/forms";
import {
  DEFAULT_NAME,
  idOf,
  newId,
  snapshot,
  type RequestContext,
} from "@/testing/stripe/objects";
import { invalid, noSuch, ok, type ApiReply } from "@/testing/stripe/replies";
import {
  buildEvent,
  createCharge,
  createCustomer,
  createPrice,
  nowSeconds,
  requireSession,
  type SessionRecord,
  type Store,
} from "@/testing/stripe/state";
import {
  failInvoice,
  payInvoice,
  startSubscription,
} from "@/testing/stripe/subscriptions";

// Checkout Sessions: the API calls (create, retrieve, list line items, expire) and what paying,
// a delayed payment's outcome and expiry do to a Session and the objects behind it.

const DEFAULT_EMAIL = "buyer@example.test";

export function createSession(store: Store, form: FormTree): ApiReply {
  const parsed = sessionCreateInput.safeParse(form);
  if (!parsed.success) return formError(parsed.error.issues, form);
  const p = parsed.data;
  const t = nowSeconds(store);
  const problem = sessionParamsProblem(p, t);
  if (problem) return problem;
  if (p.mode !== "payment" && p.mode !== "subscription")
    return invalid(
      "Missing required param: mode.",
      "mode",
      "parameter_missing",
    );
  if (p.customer !== undefined && !store.customers.has(p.customer))
    return noSuch("customer", p.customer, "customer", 400);
  if (!p.line_items?.length)
    return invalid(
      "Missing required param: line_items.",
      "line_items",
      "parameter_missing",
    );
  const planned = planLineItems(p.line_items, {
    price: (id) => store.prices.get(id),
    hasProduct: (id) => store.products.has(id),
  });
  if (!Array.isArray(planned)) return planned;
  const automaticTax = p.automatic_tax?.enabled ?? false;
  const itemsProblem = lineItemsProblem(planned, p.mode, automaticTax);
  if (itemsProblem) return itemsProblem;

  const lineItems: Stripe.LineItem[] = planned.map((item) => {
    const price =
      "price" in item.source
        ? item.source.price
        : createPrice(store, item.source.data);
    return lineItemObject(
      price,
      item,
      automaticTax,
      store.products.get(String(price.product))?.name ?? null,
    );
  });
  const session = sessionObject({
    id: newId("cs"),
    created: t,
    baseUrl: store.baseUrl,
    mode: p.mode,
    params: p,
    lineItems,
    automaticTax,
  });
  store.sessions.set(session.id, {
    session,
    lineItems,
    paymentIntentMetadata: { ...p.payment_intent_data?.metadata },
    subscriptionMetadata: { ...p.subscription_data?.metadata },
    asyncOutcome: null,
  });
  return ok(expandSession(store, session.id, p.expand ?? []));
}

function expandSession(store: Store, id: string, expand: string[]): unknown {
  const record = requireSession(store, id);
  const body: Record<string, unknown> = { ...snapshot(record.session) };
  for (const field of expand) {
    if (field === "line_items")
      body.line_items = {
        object: "list",
        data: snapshot(record.lineItems),
        has_more: false,
        url: `/v1/checkout/sessions/${id}/line_items`,
      };
    if (field === "customer") {
      const found = store.customers.get(idOf(record.session.customer) ?? "");
      if (found) body.customer = snapshot(found);
    }
    if (field === "subscription") {
      const found = store.subscriptions.get(
        idOf(record.session.subscription) ?? "",
      );
      if (found) body.subscription = snapshot(found);
    }
    if (field === "invoice") {
      const found = store.invoices.get(idOf(record.session.invoice) ?? "");
      if (found) body.invoice = snapshot(found);
    }
  }
  return body;
}

export function retrieveSession(
  store: Store,
  id: string,
  form: FormTree,
): ApiReply {
  const parsed = retrieveInput.safeParse(form);
  if (!parsed.success) return formError(parsed.error.issues, form);
  if (!store.sessions.has(id))
    return noSuch("checkout.session", id, "session", 404);
  const expand = parsed.data.expand ?? [];
  const bad = expand.find((e) => !SESSION_EXPANDABLE.includes(e));
  if (bad !== undefined)
    return invalid(`This property cannot be expanded (${bad}).`, "expand");
  return ok(expandSession(store, id, expand));
}

export function listLineItems(
  store: Store,
  id: string,
  form: FormTree,
): ApiReply {
  const parsed = listInput.safeParse(form);
  if (!parsed.success) return formError(parsed.error.issues, form);
  const record = store.sessions.get(id);
  if (!record) return noSuch("checkout.session", id, "session", 404);
  const limit = parsed.data.limit ?? 10;
  if (limit < 1 || limit > 100)
    return invalid("This value must be between 1 and 100.", "limit");
  let items = record.lineItems;
  const after = parsed.data.starting_after;
  if (after !== undefined) {
    const index = items.findIndex((li) => li.id === after);
    if (index < 0) return noSuch("item", after, "starting_after", 400);
    items = items.slice(index + 1);
  }
  return ok({
    object: "list",
    data: snapshot(items.slice(0, limit)),
    has_more: items.length > limit,
    url: `/v1/checkout/sessions/${id}/line_items`,
  });
}

export function expireSession(
  store: Store,
  id: string,
  form: FormTree,
  context: RequestContext,
): ApiReply {
  const parsed = retrieveInput.safeParse(form);
  if (!parsed.success) return formError(parsed.error.issues, form);
  const record = store.sessions.get(id);
  if (!record) return noSuch("checkout.session", id, "session", 404);
  if (record.session.status !== "open")
    return invalid(
      'Only Checkout Sessions with a status in ["open"] can be expired.',
    );
  const expand = parsed.data.expand ?? [];
  const bad = expand.find((e) => !SESSION_EXPANDABLE.includes(e));
  if (bad !== undefined)
    return invalid(`This property cannot be expanded (${bad}).`, "expand");
  const events = expireState(store, id, context);
  return { ...ok(expandSession(store, id, expand)), events };
}

export function completeState(
  store: Store,
  id: string,
  paymentStatus: "paid" | "unpaid",
): Stripe.Event[] {
  const record = requireSession(store, id);
  const session = record.session;
  if (session.status !== "open")
    throw new Error(`fake stripe: checkout session ${id} is ${session.status}`);
  const paid = paymentStatus === "paid";
  const given = idOf(session.customer);
  const email =
    session.customer_email ??
    (given ? store.customers.get(given)?.email : null) ??
    DEFAULT_EMAIL;
  // Payment mode makes a reusable Customer only when asked to (customer_creation: always).
  const customerId =
    given ??
    (session.mode === "subscription" || session.customer_creation === "always"
      ? createCustomer(store, email).id
      : null);
  session.customer = customerId;
  session.customer_details = {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name: DEFAULT_NAME,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
  session.status = "complete";
  session.payment_status = paymentStatus;
  session.url = null;
  record.asyncOutcome = paid ? null : "pending";

  if (session.mode === "payment") {
    const charge = createCharge(store, {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? "eur",
      customer: customerId,
      email,
      metadata: record.paymentIntentMetadata,
      status: paid ? "succeeded" : "pending",
    });
    session.payment_intent = charge.payment_intent;
    return [buildEvent(store, "checkout.session.completed", session, null)];
  }
  if (!customerId)
    throw new Error("fake stripe: subscription without a customer");
  const { subscription, invoice } = startSubscription(
    store,
    record,
    customerId,
    paid,
  );
  session.subscription = subscription.id;
  session.invoice = invoice.id;
  const completed = buildEvent(
    store,
    "checkout.session.completed",
    session,
    null,
  );
  // Stripe often sends the first invoice's event before the session's.
  return paid
    ? [buildEvent(store, "invoice.paid", invoice, null), completed]
    : [completed];
}

function pendingAsync(store: Store, id: string): SessionRecord {
  const record = requireSession(store, id);
  if (record.asyncOutcome !== "pending")
    throw new Error(
      `fake stripe: checkout session ${id} has no delayed payment waiting`,
    );
  return record;
}

export function succeedAsyncState(store: Store, id: string): Stripe.Event[] {
  const record = pendingAsync(store, id);
  const session = record.session;
  record.asyncOutcome = "succeeded";
  session.payment_status = "paid";
  const events: Stripe.Event[] = [];
  const chargeId = store.paymentIntents.get(idOf(session.payment_intent) ?? "");
  const charge = chargeId ? store.charges.get(chargeId) : undefined;
  if (charge) {
    charge.status = "succeeded";
    charge.paid = true;
    charge.captured = true;
    charge.amount_captured = charge.amount;
    charge.balance_transaction = newId("txn");
  }
  const subscription = store.subscriptions.get(
    idOf(session.subscription) ?? "",
  );
  const invoice = store.invoices.get(idOf(session.invoice) ?? "");
  if (subscription && invoice) {
    payInvoice(store, invoice);
    const previous = { status: subscription.status };
    subscription.status = "active";
    events.push(
      buildEvent(store, "invoice.paid", invoice, null),
      buildEvent(
        store,
        "customer.subscription.updated",
        subscription,
        null,
        previous,
      ),
    );
  }
  events.push(
    buildEvent(
      store,
      "checkout.session.async_payment_succeeded",
      session,
      null,
    ),
  );
  return events;
}

export function failAsyncState(store: Store, id: string): Stripe.Event[] {
  const record = pendingAsync(store, id);
  const session = record.session;
  record.asyncOutcome = "failed";
  const events: Stripe.Event[] = [];
  const chargeId = store.paymentIntents.get(idOf(session.payment_intent) ?? "");
  const charge = chargeId ? store.charges.get(chargeId) : undefined;
  if (charge) {
    charge.status = "failed";
    charge.failure_code = "insufficient_funds";
    charge.failure_message =
      "The customer's account has insufficient funds to cover this payment.";
  }
  const invoice = store.invoices.get(idOf(session.invoice) ?? "");
  if (invoice) {
    failInvoice(store, invoice);
    events.push(buildEvent(store, "invoice.payment_failed", invoice, null));
  }
  events.push(
    buildEvent(store, "checkout.session.async_payment_failed", session, null),
  );
  return events;
}

export function expireState(
  store: Store,
  id: string,
  request: RequestContext | null,
) {
  const session = requireSession(store, id).session;
  session.status = "expired";
  session.url = null;
  return [buildEvent(store, "checkout.session.expired", session, request)];
}
