import { z } from "zod";
import { invalid, type ApiReply } from "@/testing/stripe/replies";

// Request bodies: Stripe's bracket-encoded forms, parsed into trees and checked with zod against the
// parameters each endpoint takes; a refusal reads like Stripe's own.

const UNMODELLED = "unmodelled";

type FormNode = string | FormTree;
export type FormTree = { [key: string]: FormNode };

/** `a[b][0]=x&a[c][]=y` → `{ a: { b: { "0": "x" }, c: { "0": "y" } } }`; arrays stay index-keyed. */
export function parseForm(
  text: string,
): { ok: true; value: FormTree } | { ok: false; param: string } {
  // Null-prototype records, so a key like `__proto__` is plain data.
  const root: FormTree = Object.create(null) as FormTree;
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) return { ok: false, param: rawKey };
    const keys = [
      match[1] ?? "",
      ...[...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map(
        (m) => m[1] ?? "",
      ),
    ];
    let node = root;
    for (const [i, part] of keys.entries()) {
      const key = part === "" ? String(Object.keys(node).length) : part;
      if (i === keys.length - 1) {
        if (typeof node[key] === "object") return { ok: false, param: rawKey };
        node[key] = value;
        break;
      }
      const child = node[key];
      if (typeof child === "string") return { ok: false, param: rawKey };
      const next = child ?? (Object.create(null) as FormTree);
      node[key] = next;
      node = next;
    }
  }
  return { ok: true, value: root };
}

const HASH = { error: "Invalid hash" };
const text = z.string({ error: "Invalid string" });
const integer = text.regex(/^-?\d+$/, "Invalid integer").transform(Number);
const decimal = text.regex(/^\d+(\.\d{1,12})?$/, "Invalid decimal");
const boolean = text
  .regex(/^(true|false)$/, "Invalid boolean")
  .transform((v) => v === "true");
/** A real Stripe parameter the fake accepts and ignores (it changes nothing the fake models). */
const ignored = z.custom<FormNode>(() => true).optional();
/** A real Stripe parameter whose effect the fake does not model: refused rather than silently wrong. */
const unmodelled = z
  .custom<never>(() => false, { error: UNMODELLED })
  .optional();

function list<T extends z.ZodType>(item: T) {
  return z
    .record(z.string().regex(/^\d+$/), item, { error: "Invalid array" })
    .transform((r) =>
      Object.entries(r)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([, v]) => v),
    );
}

const metadata = z.preprocess(
  (v) => (v === "" ? {} : v),
  z
    .record(z.string(), text, { error: "Invalid hash" })
    .superRefine((m, ctx) => {
      const entries = Object.entries(m);
      if (entries.length > 50)
        ctx.addIssue({
          code: "custom",
          message: `Invalid metadata: metadata can have up to 50 keys, but you passed in ${entries.length} keys.`,
        });
      for (const [key, value] of entries) {
        if (key.length > 40)
          ctx.addIssue({
            code: "custom",
            path: [key],
            message:
              "Invalid metadata: keys can be at most 40 characters long.",
          });
        if (value.length > 500)
          ctx.addIssue({
            code: "custom",
            path: [key],
            message:
              "Invalid metadata: values can be at most 500 characters long.",
          });
      }
    }),
);

const priceDataInput = z.strictObject(
  {
    currency: text,
    product: text.optional(),
    product_data: z
      .strictObject(
        {
          description: text.optional(),
          images: list(text).optional(),
          metadata: metadata.optional(),
          name: text,
          tax_code: text.optional(),
          tax_details: ignored,
          unit_label: text.optional(),
        },
        HASH,
      )
      .optional(),
    recurring: z
      .strictObject(
        {
          interval: z.enum(["day", "week", "month", "year"]),
          interval_count: integer.optional(),
        },
        HASH,
      )
      .optional(),
    tax_behavior: z.enum(["exclusive", "inclusive", "unspecified"]).optional(),
    unit_amount: integer.optional(),
    unit_amount_decimal: decimal.optional(),
  },
  HASH,
);
export type PriceDataInput = z.output<typeof priceDataInput>;

export const sessionCreateInput = z.strictObject(
  {
    adaptive_pricing: ignored,
    after_expiration: ignored,
    allow_promotion_codes: boolean.optional(),
    allowed_payment_method_types: ignored,
    automatic_tax: z
      .strictObject({ enabled: boolean, liability: ignored }, HASH)
      .optional(),
    billing_address_collection: z.enum(["auto", "required"]).optional(),
    branding_settings: ignored,
    cancel_url: text.optional(),
    client_reference_id: text.optional(),
    consent_collection: ignored,
    currency: ignored,
    custom_fields: ignored,
    custom_text: ignored,
    customer: text.optional(),
    customer_account: unmodelled,
    customer_creation: z.enum(["always", "if_required"]).optional(),
    customer_email: text.optional(),
    customer_update: ignored,
    discounts: unmodelled,
    excluded_payment_method_types: ignored,
    expand: list(text).optional(),
    expires_at: integer.optional(),
    integration_identifier: ignored,
    invoice_creation: unmodelled,
    line_items: list(
      z.strictObject(
        {
          adjustable_quantity: unmodelled,
          metadata: metadata.optional(),
          price: text.optional(),
          price_data: priceDataInput.optional(),
          quantity: integer.optional(),
          tax_rates: unmodelled,
        },
        HASH,
      ),
    ).optional(),
    locale: text.optional(),
    managed_payments: unmodelled,
    metadata: metadata.optional(),
    mode: z.enum(["payment", "setup", "subscription"]).optional(),
    name_collection: ignored,
    optional_items: unmodelled,
    origin_context: ignored,
    payment_intent_data: z
      .strictObject(
        {
          application_fee_amount: unmodelled,
          capture_method: unmodelled,
          description: text.optional(),
          metadata: metadata.optional(),
          on_behalf_of: unmodelled,
          receipt_email: text.optional(),
          setup_future_usage: ignored,
          shipping: ignored,
          statement_descriptor: text.optional(),
          statement_descriptor_suffix: text.optional(),
          transfer_data: unmodelled,
          transfer_group: ignored,
        },
        HASH,
      )
      .optional(),
    payment_method_collection: ignored,
    payment_method_configuration: ignored,
    payment_method_data: ignored,
    payment_method_options: ignored,
    permissions: ignored,
    phone_number_collection: ignored,
    redirect_on_completion: ignored,
    return_url: ignored,
    saved_payment_method_options: ignored,
    setup_intent_data: unmodelled,
    shipping_address_collection: ignored,
    shipping_options: unmodelled,
    submit_type: ignored,
    subscription_data: z
      .strictObject(
        {
          application_fee_percent: unmodelled,
          billing_cycle_anchor: unmodelled,
          billing_cycle_anchor_config: unmodelled,
          billing_mode: ignored,
          default_tax_rates: unmodelled,
          description: text.optional(),
          invoice_settings: ignored,
          metadata: metadata.optional(),
          on_behalf_of: unmodelled,
          pending_invoice_item_interval: unmodelled,
          proration_behavior: ignored,
          transfer_data: unmodelled,
          trial_end: unmodelled,
          trial_period_days: unmodelled,
          trial_settings: unmodelled,
        },
        HASH,
      )
      .optional(),
    success_url: text.optional(),
    tax_id_collection: ignored,
    ui_mode: z
      .enum(["elements", "embedded_page", "form", "hosted_page"])
      .optional(),
    wallet_options: ignored,
  },
  HASH,
);

export type SessionCreateInput = z.output<typeof sessionCreateInput>;

export const retrieveInput = z.strictObject(
  { expand: list(text).optional() },
  HASH,
);
export const listInput = z.strictObject(
  {
    ending_before: unmodelled,
    expand: list(text).optional(),
    limit: integer.optional(),
    starting_after: text.optional(),
  },
  HASH,
);
export const refundCreateInput = z.strictObject(
  {
    amount: integer.optional(),
    charge: text.optional(),
    currency: ignored,
    customer: unmodelled,
    expand: list(text).optional(),
    instructions_email: ignored,
    metadata: metadata.optional(),
    origin: unmodelled,
    payment_intent: text.optional(),
    reason: z
      .enum(["duplicate", "fraudulent", "requested_by_customer"])
      .optional(),
    refund_application_fee: ignored,
    reverse_transfer: ignored,
  },
  HASH,
);
export const portalSessionCreateInput = z.strictObject(
  {
    after_expiration: ignored,
    configuration: ignored,
    customer: text.optional(),
    customer_account: unmodelled,
    expand: list(text).optional(),
    flow_data: unmodelled,
    locale: text.optional(),
    on_behalf_of: ignored,
    return_url: text.optional(),
  },
  HASH,
);

/** Stripe's answer to the first problem zod found, with `param` in bracket form. */
export function formError(
  issues: readonly z.core.$ZodIssue[],
  input: FormTree,
): ApiReply {
  const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
  if (!issue) return invalid("Invalid request.");
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const param = paramName([...path, issue.keys[0] ?? ""]);
    return invalid(
      `Received unknown parameter: ${param}`,
      param,
      "parameter_unknown",
    );
  }
  if (issue.code === "invalid_key") {
    const param = paramName(path.slice(0, -1));
    return invalid("Invalid array", param);
  }
  const param = paramName(path);
  const value = valueAt(input, path);
  if (issue.message === UNMODELLED)
    return invalid(
      `The fake Stripe does not model \`${param}\`; extend it before relying on this parameter.`,
      param,
    );
  if (value === undefined)
    return invalid(
      `Missing required param: ${param}.`,
      param,
      "parameter_missing",
    );
  if (issue.code === "invalid_value")
    return invalid(
      `Invalid ${path.at(-1) ?? param}: must be one of ${issue.values.map(String).join(", ")}`,
      param,
      "parameter_invalid_string",
    );
  if (issue.code === "custom") return invalid(issue.message, param);
  const code =
    issue.message === "Invalid integer"
      ? "parameter_invalid_integer"
      : undefined;
  return invalid(
    typeof value === "string" ? `${issue.message}: ${value}` : issue.message,
    param,
    code,
  );
}

function paramName(path: string[]): string {
  const [head = "", ...rest] = path;
  return head + rest.map((p) => `[${p}]`).join("");
}

function valueAt(tree: FormTree, path: string[]): FormNode | undefined {
  let node: FormNode | undefined = tree;
  for (const key of path) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[key];
  }
  return node;
}
