import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import {
  orderEvents,
  orders,
  outboundMail,
  payments,
  refunds,
  type User,
} from "@/db/schema";
import type { FormState } from "@/lib/forms";
import { buildOrder, buildUser } from "@/testing/builders";
import { sessionOf, thrownDigest } from "@/testing/actions";
import {
  appDatabase,
  forgetAppDatabase,
  provideAppDatabase,
} from "@/testing/app-db";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import { form } from "@/testing/form-data";
import {
  cancelOrderAction,
  markOrderFulfilledAction,
  markOrderPaidAction,
  refundOrderAction,
} from "./[id]/actions";

// The order page's buttons are public POST endpoints: agents take bank transfers in and close
// unpaid orders, only admins send money back, and every change reaches the order, its payments
// and the customer's mail together.

const session = vi.hoisted(() => ({ current: null as Session | null }));
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: async () => session.current,
}));
// connection() only marks a render as dynamic, and after() needs a request: outside Next there is none.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
  after: () => {},
}));
// Outside Next there is no cache to revalidate; recording the paths shows which pages refresh.
vi.mock("next/cache", () => ({
  revalidatePath: (p: string) => void revalidated.push(p),
}));

type Action = (prev: FormState, form: FormData) => Promise<FormState>;
const ACTIONS: Array<[string, Action]> = [
  ["markOrderPaidAction", markOrderPaidAction],
  ["markOrderFulfilledAction", markOrderFulfilledAction],
  ["cancelOrderAction", cancelOrderAction],
  ["refundOrderAction", refundOrderAction],
];

let restoreEnv: () => void;
let t: TestDb;
let tmp: string;

beforeAll(async () => {
  // next.config.ts turns on authInterrupts, which forbidden() checks for at run time.
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  // Should an action reach the database anyway, it must not open the developer's data directory.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portico-order-actions-"));
  restoreEnv = setTestEnv({ PGLITE_DIR: path.join(tmp, "db") });
  t = await createTestDb();
});

afterAll(async () => {
  forgetAppDatabase();
  restoreEnv();
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  revalidated.length = 0;
});

const press = (action: Action, fields: Record<string, string>) =>
  action({ ok: false }, form(fields));

/** A bank-transfer order the customer placed and has not paid yet. */
async function awaitingTransfer(customer: User, total = 5000) {
  const [order] = await t.db
    .insert(orders)
    .values({
      number: `PO-${Math.random().toString(36).slice(2, 10)}`,
      customerId: customer.id,
      email: customer.email,
      status: "awaiting_payment",
      currency: "EUR",
      subtotalAmount: total,
      totalAmount: total,
      provider: "manual",
    })
    .returning();
  return order!;
}

const orderRow = async (id: string) =>
  (await t.db.select().from(orders).where(eq(orders.id, id)))[0]!;

const mailTo = (address: string, kind: string) =>
  t.db
    .select()
    .from(outboundMail)
    .where(
      and(eq(outboundMail.toAddress, address), eq(outboundMail.kind, kind)),
    );

describe("the order actions", () => {
  it("send a signed-out caller to sign in, without opening the database", async () => {
    session.current = null;
    forgetAppDatabase();
    const orderId = "00000000-0000-4000-8000-000000000000";
    for (const [, action] of ACTIONS) {
      const digest = await thrownDigest(
        press(action, { orderId, amount: "1.00" }),
      );
      expect(digest).toMatch(
        /^NEXT_REDIRECT;(push|replace);\/sign-in\?callbackUrl=%2Fstaff%2Forders%2F0{8}-/,
      );
    }
    expect(appDatabase()).toBeUndefined();
  });

  describe("with a session", () => {
    beforeAll(() => {
      provideAppDatabase(t);
    });

    it("answer 403 to a signed-in customer, even for their own order, and change nothing", async () => {
      const customer = await buildUser(t.db, { name: "Cleo Customer" });
      const order = await awaitingTransfer(customer);
      session.current = sessionOf(customer);
      for (const [name, action] of ACTIONS) {
        const digest = await thrownDigest(
          press(action, { orderId: order.id, amount: "10.00" }),
        );
        expect(digest, name).toBe("NEXT_HTTP_ERROR_FALLBACK;403");
      }
      expect(await orderRow(order.id)).toEqual(order);
      expect(revalidated).toEqual([]);
    });

    it("tell the agent when the customer gets no receipt (order mail turned off)", async () => {
      const customer = await buildUser(t.db, {
        name: "Quiet Payer",
        orderMail: false,
      });
      const agent = await buildUser(t.db, { role: "agent", name: "Sam" });
      const order = await awaitingTransfer(customer, 4_200);
      session.current = sessionOf(agent);

      const paid = await press(markOrderPaidAction, { orderId: order.id });
      const { invoiceNumber } = await orderRow(order.id);
      expect(paid).toEqual({
        ok: true,
        message: `Marked paid with invoice ${invoiceNumber}. The customer does not take order mail: no receipt is sent.`,
      });
      expect(
        await t.db
          .select()
          .from(outboundMail)
          .where(eq(outboundMail.toAddress, customer.email)),
      ).toEqual([]);
    });

    it("let an agent mark a bank transfer paid, then fulfil the order", async () => {
      const customer = await buildUser(t.db, { name: "Dana Transfer" });
      const agent = await buildUser(t.db, { role: "agent", name: "Sam" });
      const order = await awaitingTransfer(customer, 12_900);
      session.current = sessionOf(agent);

      const paid = await press(markOrderPaidAction, { orderId: order.id });
      expect(paid).toEqual({
        ok: true,
        message: expect.stringContaining(customer.email),
      });
      const year = new Date().getUTCFullYear();
      const afterPaid = await orderRow(order.id);
      expect(afterPaid).toMatchObject({
        status: "paid",
        invoiceNumber: expect.stringMatching(new RegExp(`^${year}-\\d{4}$`)),
        paidAt: expect.any(Date),
      });
      expect(paid.message).toContain(afterPaid.invoiceNumber!);
      expect(
        await t.db
          .select()
          .from(payments)
          .where(eq(payments.orderId, order.id)),
      ).toEqual([
        expect.objectContaining({
          provider: "manual",
          status: "succeeded",
          amount: 12_900,
          currency: "EUR",
        }),
      ]);
      expect(await mailTo(customer.email, "payment_receipt")).toHaveLength(1);
      const [event] = await t.db
        .select()
        .from(orderEvents)
        .where(
          and(
            eq(orderEvents.orderId, order.id),
            eq(orderEvents.status, "paid"),
          ),
        );
      expect(event).toMatchObject({ actorId: agent.id, actorKind: "user" });
      expect(revalidated).toContain(`/staff/orders/${order.id}`);

      // Pressed again (a second tab): refused, and no second payment or receipt.
      expect(
        await press(markOrderPaidAction, { orderId: order.id }),
      ).toMatchObject({ ok: false, message: expect.stringMatching(/unpaid/) });
      expect(
        await t.db
          .select()
          .from(payments)
          .where(eq(payments.orderId, order.id)),
      ).toHaveLength(1);
      expect(await mailTo(customer.email, "payment_receipt")).toHaveLength(1);

      expect(
        await press(markOrderFulfilledAction, { orderId: order.id }),
      ).toEqual({ ok: true, message: "Marked fulfilled." });
      expect(await orderRow(order.id)).toMatchObject({
        status: "fulfilled",
        fulfilledAt: expect.any(Date),
        invoiceNumber: afterPaid.invoiceNumber,
      });
    });

    it("let an agent cancel an unpaid order with a reason, but not a paid one", async () => {
      const customer = await buildUser(t.db);
      session.current = sessionOf(await buildUser(t.db, { role: "agent" }));

      const unpaid = await awaitingTransfer(customer);
      expect(
        await press(cancelOrderAction, {
          orderId: unpaid.id,
          reason: "Ordered twice by mistake",
        }),
      ).toEqual({ ok: true, message: "Order cancelled." });
      expect(await orderRow(unpaid.id)).toMatchObject({ status: "cancelled" });
      const [event] = await t.db
        .select()
        .from(orderEvents)
        .where(eq(orderEvents.orderId, unpaid.id));
      expect(event).toMatchObject({
        status: "cancelled",
        note: "Ordered twice by mistake",
      });

      const paid = await buildOrder(t.db, { customer, total: 4000 });
      expect(
        await press(cancelOrderAction, { orderId: paid.id }),
      ).toMatchObject({
        ok: false,
        message: expect.stringMatching(/refund a paid one instead/),
      });
      expect(await orderRow(paid.id)).toEqual(paid);
    });

    it("refuse a refund from an agent, before anything is recorded", async () => {
      const customer = await buildUser(t.db);
      const order = await buildOrder(t.db, { customer, total: 5000 });
      session.current = sessionOf(await buildUser(t.db, { role: "agent" }));
      expect(
        await thrownDigest(
          press(refundOrderAction, { orderId: order.id, amount: "10.00" }),
        ),
      ).toBe("NEXT_HTTP_ERROR_FALLBACK;403");
      expect(
        await t.db.select().from(refunds).where(eq(refunds.orderId, order.id)),
      ).toEqual([]);
      expect(await orderRow(order.id)).toEqual(order);
    });

    it("let an admin refund part of a bank transfer, and no more than is left", async () => {
      const customer = await buildUser(t.db);
      const admin = await buildUser(t.db, { role: "admin" });
      const order = await buildOrder(t.db, { customer, total: 5000 });
      session.current = sessionOf(admin);

      const refunded = await press(refundOrderAction, {
        orderId: order.id,
        amount: "12,50",
        reason: "One month unused",
      });
      expect(refunded).toEqual({
        ok: true,
        message: expect.stringMatching(/^Refund of €12\.50 recorded/),
      });
      expect(await orderRow(order.id)).toMatchObject({
        status: "partially_refunded",
        refundedAmount: 1250,
      });
      expect(
        await t.db.select().from(refunds).where(eq(refunds.orderId, order.id)),
      ).toEqual([
        expect.objectContaining({
          provider: "manual",
          amount: 1250,
          status: "succeeded",
          reason: "One month unused",
          requestedById: admin.id,
        }),
      ]);
      expect(await mailTo(customer.email, "refund_notice")).toHaveLength(1);
      expect(revalidated).toContain(`/staff/orders/${order.id}`);

      // €37.50 is left: asking for €40 is refused on the amount, with what was typed kept.
      const before = await orderRow(order.id);
      const tooMuch = await press(refundOrderAction, {
        orderId: order.id,
        amount: "40.00",
        reason: "The rest",
      });
      expect(tooMuch).toMatchObject({
        ok: false,
        fields: { amount: ["At most €37.50."] },
        values: { amount: "40.00", reason: "The rest" },
      });
      for (const amount of ["", "0", "twelve", "-5"])
        expect(
          await press(refundOrderAction, { orderId: order.id, amount }),
          amount,
        ).toMatchObject({
          ok: false,
          fields: { amount: [expect.any(String)] },
        });
      expect(await orderRow(order.id)).toEqual(before);
      expect(
        await t.db.select().from(refunds).where(eq(refunds.orderId, order.id)),
      ).toHaveLength(1);
      expect(await mailTo(customer.email, "refund_notice")).toHaveLength(1);

      // The rest, exactly: the order is refunded in full.
      expect(
        await press(refundOrderAction, { orderId: order.id, amount: "37.50" }),
      ).toMatchObject({ ok: true });
      expect(await orderRow(order.id)).toMatchObject({
        status: "refunded",
        refundedAmount: 5000,
      });
    });

    it("answer a made-up order id with a field error or not found, never a crash", async () => {
      session.current = sessionOf(await buildUser(t.db, { role: "admin" }));
      expect(
        await press(markOrderPaidAction, { orderId: "not-an-id" }),
      ).toMatchObject({
        ok: false,
        fields: { orderId: ["This order does not exist."] },
      });
      expect(
        await press(markOrderFulfilledAction, {
          orderId: "00000000-0000-4000-8000-000000000000",
        }),
      ).toMatchObject({ ok: false, message: "Order not found." });
    });
  });
});
