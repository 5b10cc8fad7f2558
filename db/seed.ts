import "server-only";
import { count, sql } from "drizzle-orm";
import * as s from "@/db/schema";
import type { Db } from "@/db/types";
import { hashPassword } from "@/lib/auth/password";
import { randomTicketNumber } from "@/lib/tickets/numbers";

// Demo data for a first look at Portico. It mirrors a default osTicket install where API callers
// depend on it: departments 1–3, help topics 1, 2 and 10 (10 in department 3).

export const DEMO_PASSWORD = "portico-demo-2026";

export const DEMO_USERS = {
  admin: { email: "admin@portico.test", name: "Ada Admin", role: "admin" },
  agentSam: { email: "sam@portico.test", name: "Sam Rivera", role: "agent" },
  agentKim: { email: "kim@portico.test", name: "Kim Osei", role: "agent" },
  alice: { email: "alice@example.com", name: "Alice Martin", role: "customer" },
  bob: { email: "bob@example.com", name: "Bob Keller", role: "customer" },
  carol: { email: "carol@example.com", name: "Carol Nguyen", role: "customer" },
} as const satisfies Record<
  string,
  { email: string; name: string; role: s.UserRole }
>;

export async function hasAnyUser(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(s.users);
  return (row?.n ?? 0) > 0;
}

const hours = (n: number) => n * 3600_000;
// Any constant works; it only has to be the same in every instance.
const SEED_LOCK = 7215043;

/** Fills an empty database with demo data. Returns false (and writes nothing) if it holds users. */
export async function seedDemoData(db: Db, now = new Date()): Promise<boolean> {
  if (await hasAnyUser(db)) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ago = (h: number) => new Date(now.getTime() - hours(h));

  return db.transaction(async (tx) => {
    // Several app processes may start on one empty database at once (WEB_CONCURRENCY, replicas):
    // the first seeds, the others wait here and then find users.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    if (await hasAnyUser(tx)) return false;
    const users = Object.fromEntries(
      await Promise.all(
        Object.entries(DEMO_USERS).map(async ([key, u]) => {
          const [row] = await tx
            .insert(s.users)
            .values({
              ...u,
              passwordHash,
              createdAt: ago(24 * 60),
              updatedAt: ago(24 * 60),
            })
            .returning();
          return [key, row!] as const;
        }),
      ),
    ) as Record<keyof typeof DEMO_USERS, s.User>;

    await tx.insert(s.slaPlans).values([
      { id: 1, name: "Default SLA", gracePeriodHours: 18 },
      { id: 2, name: "Priority SLA", gracePeriodHours: 4 },
    ]);
    await tx.insert(s.departments).values([
      { id: 1, name: "Support", email: "support@portico.test", slaPlanId: 1 },
      { id: 2, name: "Sales", email: "sales@portico.test", slaPlanId: 1 },
      { id: 3, name: "Maintenance", email: "ops@portico.test", slaPlanId: 2 },
    ]);
    await tx.insert(s.departmentMembers).values([
      { departmentId: 1, userId: users.agentSam.id },
      { departmentId: 2, userId: users.agentSam.id },
      { departmentId: 1, userId: users.agentKim.id },
      { departmentId: 3, userId: users.agentKim.id },
      { departmentId: 1, userId: users.admin.id },
    ]);
    await tx.insert(s.helpTopics).values([
      {
        id: 1,
        name: "General Inquiry",
        departmentId: 1,
        priority: "normal",
        slaPlanId: 1,
      },
      {
        id: 2,
        name: "Feedback",
        departmentId: 1,
        priority: "low",
        slaPlanId: 1,
      },
      {
        id: 10,
        name: "Report a Problem",
        departmentId: 3,
        priority: "high",
        slaPlanId: 2,
      },
      {
        id: 11,
        name: "Billing and Orders",
        departmentId: 2,
        priority: "normal",
        slaPlanId: 1,
      },
      {
        id: 12,
        name: "Mailbox and Email",
        departmentId: 1,
        priority: "normal",
        slaPlanId: 1,
      },
    ]);
    // Explicit ids above leave the identity sequences behind; move them past the seeded rows.
    for (const table of ["sla_plans", "departments", "help_topics"]) {
      await tx.execute(
        sql.raw(
          `select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`,
        ),
      );
    }

    await tx.insert(s.cannedReplies).values([
      {
        title: "Thanks, looking into it",
        body: "Hello {{customer.name}},\n\nThanks for reaching out about ticket #{{ticket.number}}. We're looking into it and will get back to you shortly.\n\nBest regards,\n{{agent.name}}",
      },
      {
        title: "Need more details",
        body: "Hello {{customer.name}},\n\nCould you send us the exact error message and the time it happened? That will help us track it down.\n\nThanks,\n{{agent.name}}",
      },
      {
        title: "Resolved, please confirm",
        body: "Hello {{customer.name}},\n\nWe believe this is fixed now. Please let us know if anything still looks wrong; otherwise this ticket will close on its own.\n\n{{agent.name}}",
      },
      {
        title: "Mailbox settings",
        body: "Hello {{customer.name}},\n\nYou can find your IMAP and SMTP settings on the Mailbox page of the portal, with a one-click profile for Thunderbird and Apple Mail.\n\n{{agent.name}}",
        departmentId: 1,
      },
      {
        title: "Invoice copy",
        body: "Hello {{customer.name}},\n\nYou can see every order and its total on the Orders page. I've attached the details here as well.\n\n{{agent.name}}",
        departmentId: 2,
      },
    ]);

    const catalogue: Array<{
      slug: string;
      name: string;
      summary: string;
      kind: "product" | "service";
      amount: number;
      interval?: "month" | "year";
    }> = [
      {
        slug: "starter-hosting",
        name: "Starter Web Hosting",
        summary: "10 GB SSD, 1 website, free SSL, daily backups.",
        kind: "service",
        amount: 590,
        interval: "month",
      },
      {
        slug: "business-hosting",
        name: "Business Web Hosting",
        summary: "50 GB SSD, 10 websites, staging, priority support.",
        kind: "service",
        amount: 1490,
        interval: "month",
      },
      {
        slug: "managed-vps",
        name: "Managed VPS",
        summary: "4 vCPU, 8 GB RAM, 160 GB NVMe, fully managed.",
        kind: "service",
        amount: 3900,
        interval: "month",
      },
      {
        slug: "domain-com",
        name: "Domain Registration (.com)",
        summary: "One .com domain with DNS management and WHOIS privacy.",
        kind: "service",
        amount: 1200,
        interval: "year",
      },
      {
        slug: "ssl-certificate",
        name: "SSL Certificate (OV)",
        summary: "Organisation-validated certificate, installed for you.",
        kind: "product",
        amount: 4900,
        interval: "year",
      },
      {
        slug: "offsite-backup",
        name: "Daily Offsite Backup",
        summary:
          "Encrypted nightly backups kept for 30 days in a second data centre.",
        kind: "service",
        amount: 450,
        interval: "month",
      },
      {
        slug: "website-migration",
        name: "Website Migration",
        summary: "We move your site, mail and DNS to us with no downtime.",
        kind: "service",
        amount: 9900,
      },
      {
        slug: "it-support-hour",
        name: "IT Support Hour",
        summary: "One hour of remote help from an engineer, for anything IT.",
        kind: "service",
        amount: 8500,
      },
    ];
    const priceBySlug = new Map<
      string,
      { productId: string; priceId: string; name: string; amount: number }
    >();
    for (const [i, item] of catalogue.entries()) {
      const [product] = await tx
        .insert(s.products)
        .values({
          slug: item.slug,
          name: item.name,
          summary: item.summary,
          description: item.summary,
          kind: item.kind,
          sortOrder: i,
        })
        .returning();
      const [price] = await tx
        .insert(s.prices)
        .values({
          productId: product!.id,
          currency: "EUR",
          unitAmount: item.amount,
          type: item.interval ? "recurring" : "one_time",
          interval: item.interval ?? null,
          intervalCount: item.interval ? 1 : null,
        })
        .returning();
      priceBySlug.set(item.slug, {
        productId: product!.id,
        priceId: price!.id,
        name: item.name,
        amount: item.amount,
      });
    }

    const order = async (
      customer: s.User,
      number: string,
      provider: "stripe" | "shopify" | "manual",
      status: "pending" | "paid" | "fulfilled",
      placedHoursAgo: number,
      lines: Array<[slug: string, qty: number]>,
    ) => {
      const items = lines.map(([slug, quantity]) => {
        const p = priceBySlug.get(slug)!;
        return {
          productId: p.productId,
          priceId: p.priceId,
          description: p.name,
          quantity,
          unitAmount: p.amount,
          totalAmount: p.amount * quantity,
        };
      });
      const total = items.reduce((sum, i) => sum + i.totalAmount, 0);
      const [row] = await tx
        .insert(s.orders)
        .values({
          number,
          customerId: customer.id,
          email: customer.email,
          status,
          currency: "EUR",
          totalAmount: total,
          provider,
          externalId:
            provider === "manual" ? null : `${provider}_demo_${number}`,
          placedAt: ago(placedHoursAgo),
          paidAt: status === "pending" ? null : ago(placedHoursAgo),
        })
        .returning();
      await tx
        .insert(s.orderItems)
        .values(items.map((i) => ({ ...i, orderId: row!.id })));
      if (status !== "pending") {
        await tx.insert(s.payments).values({
          orderId: row!.id,
          provider,
          externalId:
            provider === "manual" ? null : `${provider}_pay_${number}`,
          status: "succeeded",
          amount: total,
          currency: "EUR",
          createdAt: ago(placedHoursAgo),
        });
      }
      return row!;
    };
    const aliceHosting = await order(
      users.alice,
      "PO-10001",
      "stripe",
      "paid",
      24 * 40,
      [
        ["business-hosting", 1],
        ["domain-com", 2],
      ],
    );
    await order(users.alice, "#1001", "shopify", "fulfilled", 24 * 12, [
      ["ssl-certificate", 1],
    ]);
    const bobMigration = await order(
      users.bob,
      "PO-10002",
      "manual",
      "pending",
      24 * 3,
      [["website-migration", 1]],
    );
    await order(users.carol, "PO-10003", "stripe", "paid", 24 * 20, [
      ["managed-vps", 1],
      ["offsite-backup", 1],
    ]);

    const ticket = async (t: {
      customer: s.User;
      subject: string;
      topic: 1 | 2 | 10 | 11 | 12;
      status: s.TicketStatus;
      openedHoursAgo: number;
      assignee?: s.User;
      order?: s.Order;
      messages: Array<{
        kind: "customer" | "reply" | "note";
        by: s.User;
        hoursAgo: number;
        text: string;
      }>;
    }) => {
      const topic = {
        1: [1, "normal", 1],
        2: [1, "low", 1],
        10: [3, "high", 2],
        11: [2, "normal", 1],
        12: [1, "normal", 1],
      } as const;
      const [departmentId, priority, slaPlanId] = topic[t.topic];
      const grace = slaPlanId === 2 ? 4 : 18;
      const firstReply = t.messages.find((m) => m.kind === "reply");
      const last = t.messages[t.messages.length - 1]!;
      const closed = t.status === "closed" || t.status === "resolved";
      const [row] = await tx
        .insert(s.tickets)
        .values({
          number: randomTicketNumber(),
          subject: t.subject,
          status: t.status,
          priority,
          source: "web",
          departmentId,
          helpTopicId: t.topic,
          slaPlanId,
          customerId: t.customer.id,
          assigneeId: t.assignee?.id,
          orderId: t.order?.id,
          dueAt: closed
            ? null
            : new Date(ago(t.openedHoursAgo).getTime() + hours(grace)),
          firstResponseAt: firstReply ? ago(firstReply.hoursAgo) : null,
          lastMessageAt: ago(last.hoursAgo),
          createdAt: ago(t.openedHoursAgo),
          updatedAt: ago(last.hoursAgo),
          closedAt: closed ? ago(last.hoursAgo) : null,
        })
        .returning();
      await tx.insert(s.ticketMessages).values(
        t.messages.map((m) => ({
          ticketId: row!.id,
          kind: m.kind,
          authorId: m.by.id,
          authorName: m.by.name,
          authorEmail: m.by.email,
          source: m.kind === "customer" ? ("web" as const) : ("staff" as const),
          bodyText: m.text,
          createdAt: ago(m.hoursAgo),
        })),
      );
      if (t.assignee) {
        await tx.insert(s.auditLog).values({
          actorKind: "user",
          actorId: users.admin.id,
          action: "ticket.assigned",
          entityType: "ticket",
          entityId: row!.id,
          ticketId: row!.id,
          data: { assigneeId: t.assignee.id, assigneeName: t.assignee.name },
          createdAt: ago(t.openedHoursAgo - 0.2),
        });
      }
      return row!;
    };

    await ticket({
      customer: users.alice,
      subject: "Website shows a 502 error since this morning",
      topic: 10,
      status: "open",
      openedHoursAgo: 2,
      order: aliceHosting,
      messages: [
        {
          kind: "customer",
          by: users.alice,
          hoursAgo: 2,
          text: "Since about 7am our shop at alice-shop.example shows '502 Bad Gateway'. Nothing was changed on our side. Can you have a look?",
        },
      ],
    });
    await ticket({
      customer: users.alice,
      subject: "Second domain not resolving",
      topic: 1,
      status: "pending",
      openedHoursAgo: 30,
      assignee: users.agentSam,
      order: aliceHosting,
      messages: [
        {
          kind: "customer",
          by: users.alice,
          hoursAgo: 30,
          text: "I registered two domains with my hosting order but only the first one works.",
        },
        {
          kind: "note",
          by: users.agentSam,
          hoursAgo: 29,
          text: "Nameservers of the second domain still point at the old registrar.",
        },
        {
          kind: "reply",
          by: users.agentSam,
          hoursAgo: 28.5,
          text: "Hello Alice,\n\nThe second domain still uses your previous registrar's nameservers. Could you confirm we may switch them to ours?\n\nSam",
        },
      ],
    });
    await ticket({
      customer: users.bob,
      subject: "When can the migration start?",
      topic: 11,
      status: "open",
      openedHoursAgo: 50,
      assignee: users.agentSam,
      order: bobMigration,
      messages: [
        {
          kind: "customer",
          by: users.bob,
          hoursAgo: 50,
          text: "I ordered the website migration. What do you need from me to get started?",
        },
        {
          kind: "reply",
          by: users.agentSam,
          hoursAgo: 47,
          text: "Hello Bob,\n\nAs soon as the order is paid we schedule the move. We'll need FTP access to the old host.\n\nSam",
        },
        {
          kind: "customer",
          by: users.bob,
          hoursAgo: 26,
          text: "Paid by bank transfer yesterday. FTP details follow by separate mail.",
        },
      ],
    });
    await ticket({
      customer: users.carol,
      subject: "VPS backup restore worked, thanks",
      topic: 2,
      status: "resolved",
      openedHoursAgo: 24 * 6,
      assignee: users.agentKim,
      messages: [
        {
          kind: "customer",
          by: users.carol,
          hoursAgo: 24 * 6,
          text: "Could you restore /var/www from last Tuesday's backup?",
        },
        {
          kind: "reply",
          by: users.agentKim,
          hoursAgo: 24 * 6 - 3,
          text: "Hello Carol,\n\nDone: /var/www is back to Tuesday 02:00.\n\nKim",
        },
      ],
    });
    await ticket({
      customer: users.carol,
      subject: "Invoice address change",
      topic: 11,
      status: "closed",
      openedHoursAgo: 24 * 15,
      assignee: users.agentSam,
      messages: [
        {
          kind: "customer",
          by: users.carol,
          hoursAgo: 24 * 15,
          text: "Please use our new company address on future invoices.",
        },
        {
          kind: "reply",
          by: users.agentSam,
          hoursAgo: 24 * 15 - 5,
          text: "Updated. Future invoices go to the new address.",
        },
      ],
    });
    await ticket({
      customer: users.bob,
      subject: "Mail client keeps asking for password",
      topic: 12,
      status: "open",
      openedHoursAgo: 26,
      messages: [
        {
          kind: "customer",
          by: users.bob,
          hoursAgo: 26,
          text: "Outlook asks for my mailbox password every few minutes.",
        },
      ],
    });
    return true;
  });
}
