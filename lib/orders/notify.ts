import "server-only";
import { eq } from "drizzle-orm";
import { orderItems, users, type Order } from "@/db/schema";
import type { Db } from "@/db/types";
import { env } from "@/lib/env";
import { enqueueMail } from "@/lib/mail/outbox";
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

async function customerName(db: Db, order: Order): Promise<string> {
  if (!order.customerId) return "";
  const [row] = await db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, order.customerId));
  return row?.name ?? "";
}

async function send(
  db: Db,
  order: Order,
  kind: string,
  mail: RenderedMail,
  now: Date,
): Promise<void> {
  await enqueueMail(db, { kind, to: order.email, ...mail }, now);
}

export type OrderMail =
  | { kind: "confirmation"; bankTransferDetails?: string }
  | { kind: "receipt"; amount: number; renewedUntil?: Date | null }
  | { kind: "payment_failed" }
  | { kind: "refund"; amount: number }
  | { kind: "renewal_failed"; service: string };

export async function mailCustomerAboutOrder(
  db: Db,
  order: Order,
  mail: OrderMail,
  now: Date,
): Promise<void> {
  const ref = {
    customerName: await customerName(db, order),
    number: order.number,
    url: orderUrl(order.id),
  };
  switch (mail.kind) {
    case "confirmation": {
      const lines = await db
        .select()
        .from(orderItems)
        .where(eq(orderItems.orderId, order.id));
      return send(
        db,
        order,
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
        now,
      );
    }
    case "receipt":
      return send(
        db,
        order,
        "payment_receipt",
        paymentReceiptMail({
          ...ref,
          amount: mail.amount,
          currency: order.currency,
          invoiceNumber: order.invoiceNumber,
          renewedUntil: mail.renewedUntil,
        }),
        now,
      );
    case "payment_failed":
      return send(db, order, "payment_failed", paymentFailedMail(ref), now);
    case "refund":
      return send(
        db,
        order,
        "refund_notice",
        refundNoticeMail({
          ...ref,
          amount: mail.amount,
          currency: order.currency,
          isFull: order.refundedAmount >= order.totalAmount,
        }),
        now,
      );
    case "renewal_failed":
      return send(
        db,
        order,
        "renewal_failed",
        renewalFailedMail({
          ...ref,
          url: `${env().appUrl}/services`,
          service: mail.service,
        }),
        now,
      );
  }
}
