import "server-only";
import { eq } from "drizzle-orm";
import {
  orderItems,
  outboundMail,
  users,
  type NewOutboundMail,
  type Order,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { env } from "@/lib/env";
import { outboxRows, type OutgoingMail } from "@/lib/mail/outbox";
import type { RenderedMail } from "@/lib/mail/templates/layout";
import {
  orderConfirmationMail,
  paymentFailedMail,
  paymentReceiptMail,
  refundNoticeMail,
  renewalFailedMail,
} from "@/lib/mail/templates/orders";

// The customer's mail about their order, queued in the outbox inside the caller's transaction.

export const orderUrl = (orderId: string): string =>
  `${env().appUrl}/orders/${orderId}`;

async function readCustomerName(db: Db, order: Order): Promise<string> {
  if (!order.customerId) return "";
  const [row] = await db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, order.customerId));
  return row?.name ?? "";
}

/**
 * Whether the order's customer gets mail about it: order mail is optional for account holders, and
 * an address not yet proven gets ticket mail only. Guest checkouts (no account: null) always get theirs.
 */
export function receivesOrderMail(
  account: { orderMail: boolean; emailVerifiedAt: Date | null } | null,
): boolean {
  return !account || (account.orderMail && account.emailVerifiedAt !== null);
}

export async function wantsOrderMail(db: Db, order: Order): Promise<boolean> {
  if (!order.customerId) return true;
  const [row] = await db
    .select({
      orderMail: users.orderMail,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(eq(users.id, order.customerId));
  return receivesOrderMail(row ?? null);
}

export type OrderMail =
  | { kind: "confirmation"; bankTransferDetails?: string }
  | { kind: "receipt"; amount: number; renewedUntil?: Date | null }
  | { kind: "payment_failed" }
  | { kind: "refund"; amount: number }
  | { kind: "renewal_failed"; service: string };

/**
 * Queues the mail in the outbox. `customerName`: the customer's name when the caller has it
 * (read with the order's lock); read here when not given.
 */
export async function mailCustomerAboutOrder(
  db: Db,
  order: Order,
  mail: OrderMail,
  now: Date,
  customerName?: string,
): Promise<void> {
  if (!(await wantsOrderMail(db, order))) return;
  await db
    .insert(outboundMail)
    .values(await orderMailRow(db, order, mail, now, customerName));
}

/** The outbox row of the mail, for a caller that writes it within another statement. */
export async function orderMailRow(
  db: Db,
  order: Order,
  mail: OrderMail,
  now: Date,
  customerName?: string,
): Promise<NewOutboundMail> {
  const [row] = outboxRows(
    [await renderOrderMail(db, order, mail, customerName)],
    now,
  );
  return row!;
}

async function renderOrderMail(
  db: Db,
  order: Order,
  mail: OrderMail,
  customerName: string | undefined,
): Promise<OutgoingMail> {
  const ref = {
    customerName: customerName ?? (await readCustomerName(db, order)),
    number: order.number,
    url: orderUrl(order.id),
  };
  const addressed = (kind: string, rendered: RenderedMail): OutgoingMail => ({
    kind,
    to: order.email,
    ...rendered,
  });
  switch (mail.kind) {
    case "confirmation": {
      const lines = await db
        .select()
        .from(orderItems)
        .where(eq(orderItems.orderId, order.id));
      return addressed(
        "order_confirmation",
        orderConfirmationMail({
          ...ref,
          lines,
          totalAmount: order.totalAmount,
          currency: order.currency,
          bankTransfer: mail.bankTransferDetails
            ? { details: mail.bankTransferDetails }
            : undefined,
        }),
      );
    }
    case "receipt":
      return addressed(
        "payment_receipt",
        paymentReceiptMail({
          ...ref,
          amount: mail.amount,
          currency: order.currency,
          invoiceNumber: order.invoiceNumber,
          renewedUntil: mail.renewedUntil,
        }),
      );
    case "payment_failed":
      return addressed("payment_failed", paymentFailedMail(ref));
    case "refund":
      return addressed(
        "refund_notice",
        refundNoticeMail({
          ...ref,
          amount: mail.amount,
          currency: order.currency,
          isFull: order.refundedAmount >= order.totalAmount,
        }),
      );
    case "renewal_failed":
      return addressed(
        "renewal_failed",
        renewalFailedMail({
          ...ref,
          url: `${env().appUrl}/services`,
          service: mail.service,
        }),
      );
  }
}
