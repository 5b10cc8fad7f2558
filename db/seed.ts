import "server-only";
import { count, sql } from "drizzle-orm";
import * as s from "@/db/schema";
import type { Db } from "@/db/types";
import { hashPassword } from "@/lib/auth/password";
import { bumpCatalogVersion } from "@/lib/catalog/version";
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

/**
 * People who only wrote in (by mail or the API) and never set a password. Their names are the shapes
 * every page must stay readable with: one 60-letter word, right-to-left script, an emoji.
 */
export const DEMO_CONTACTS = {
  ddsg: {
    email: "buchhaltung@ddsg.example",
    name: "Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauamt",
  },
  nour: { email: "nour@example.com", name: "نور الهدى العلي" },
  zoe: { email: "zoe@example.com", name: "Zoë Fischer 🌻" },
} as const satisfies Record<string, { email: string; name: string }>;

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
              emailVerifiedAt: ago(24 * 60),
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
      {
        id: 1,
        name: "Support",
        email: "support@portico.test",
        slaPlanId: 1,
        signature: "{{agent.name}}\nPortico {{department.name}}",
      },
      {
        id: 2,
        name: "Sales",
        email: "sales@portico.test",
        slaPlanId: 1,
        signature: "{{agent.name}}\nPortico {{department.name}}",
      },
      {
        id: 3,
        name: "Maintenance",
        email: "ops@portico.test",
        slaPlanId: 2,
        signature: "{{agent.name}}\nPortico {{department.name}}",
      },
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
        body: "Hello {{customer.name}},\n\nWe believe this is fixed now. Please let us know if anything still looks wrong; otherwise this ticket closes on its own once it has been resolved for a few days without a reply from you.\n\n{{agent.name}}",
      },
      {
        title: "Mailbox settings",
        body: "Hello {{customer.name}},\n\nYou can find your IMAP and SMTP settings on the Mailbox page of the portal, with a one-click profile for Thunderbird and Apple Mail.\n\n{{agent.name}}",
        departmentId: 1,
      },
      {
        title: "Invoice copy",
        body: "Hello {{customer.name}},\n\nYou can see every order and its total on the Orders page, and print or save an invoice from each order's page.\n\n{{agent.name}}",
        departmentId: 2,
      },
    ]);

    // Every name shape the pages must survive is here: a 62-letter word with no break, Arabic
    // (right to left), an emoji, an empty summary. The first price of each product is what the
    // demo orders below were bought at.
    const catalogue: Array<{
      slug: string;
      name: string;
      summary: string;
      description: string;
      kind: "product" | "service";
      category: string;
      isAvailable?: boolean;
      prices: Array<{ amount: number; interval?: "month" | "year" }>;
    }> = [
      {
        slug: "starter-hosting",
        name: "Starter Web Hosting",
        summary: "10 GB SSD, 1 website, free SSL, daily backups.",
        description:
          "Everything a first website needs: 10 GB of SSD storage, one website with its own domain, and a free Let's Encrypt certificate that renews itself.\n\nWe back up your files and databases every night and keep 14 days of copies. PHP, MySQL and one-click WordPress are included.\n\nPay yearly and get two months free.",
        kind: "service",
        category: "Hosting",
        prices: [
          { amount: 590, interval: "month" },
          { amount: 5900, interval: "year" },
        ],
      },
      {
        slug: "business-hosting",
        name: "Business Web Hosting",
        summary: "50 GB SSD, 10 websites, staging, priority support.",
        description:
          "Room for a growing business: 50 GB of SSD storage and up to ten websites, each with free SSL.\n\nTry changes on a staging copy before they go live, and reach our engineers first when something needs attention. Nightly backups are kept for 30 days.\n\nPay yearly and get two months free.",
        kind: "service",
        category: "Hosting",
        prices: [
          { amount: 1490, interval: "month" },
          { amount: 14_900, interval: "year" },
        ],
      },
      {
        slug: "managed-vps",
        name: "Managed VPS",
        summary: "4 vCPU, 8 GB RAM, 160 GB NVMe, fully managed.",
        description:
          "A virtual server of your own with 4 vCPU, 8 GB RAM and 160 GB of NVMe storage, in our Frankfurt data centre.\n\nWe install security updates, watch it around the clock and restore it from a snapshot if anything goes wrong, so you can focus on your application.",
        kind: "service",
        category: "Hosting",
        prices: [
          { amount: 3900, interval: "month" },
          { amount: 39_000, interval: "year" },
        ],
      },
      {
        slug: "domain-com",
        name: "Domain Registration (.com)",
        summary: "One .com domain with DNS management and WHOIS privacy.",
        description:
          "Register a .com domain for a year at a time. DNS management, WHOIS privacy and email forwarding are included, and the domain renews automatically so it never lapses by accident.",
        kind: "service",
        category: "Domains",
        prices: [{ amount: 1200, interval: "year" }],
      },
      {
        slug: "domain-eu",
        name: "Domain Registration (.eu)",
        summary: "One .eu domain for people and businesses in the EU.",
        description:
          "Register a .eu domain with DNS management included. New .eu registrations are paused while we move to a new registry partner; existing domains keep working and renew as usual.",
        kind: "service",
        category: "Domains",
        isAvailable: false,
        prices: [{ amount: 900, interval: "year" }],
      },
      {
        slug: "ssl-certificate",
        name: "SSL Certificate (OV)",
        summary: "Organisation-validated certificate, installed for you.",
        description:
          "An organisation-validated certificate shows visitors who runs the site, not just that the connection is encrypted.\n\nWe handle the validation paperwork with the certificate authority and install the certificate on your hosting or server.",
        kind: "product",
        category: "Security",
        prices: [{ amount: 4900, interval: "year" }],
      },
      {
        slug: "offsite-backup",
        name: "Daily Offsite Backup",
        summary:
          "Encrypted nightly backups kept for 30 days in a second data centre.",
        description:
          "Your files and databases are encrypted before they leave the server and copied every night to a second data centre 300 km away.\n\nRestore a single file or a whole site from any of the last 30 days, yourself or with our help.",
        kind: "service",
        category: "Security",
        prices: [
          { amount: 450, interval: "month" },
          { amount: 4500, interval: "year" },
        ],
      },
      {
        slug: "website-migration",
        name: "Website Migration",
        summary: "We move your site, mail and DNS to us with no downtime.",
        description:
          "Tell us where your site lives today and we do the rest: files, databases, mailboxes and DNS records move over while the old host keeps serving visitors.\n\nWe switch over once everything is checked, so nobody notices the move. One website per migration.",
        kind: "service",
        category: "Services",
        prices: [{ amount: 9900 }],
      },
      {
        slug: "it-support-hour",
        name: "IT Support Hour",
        summary: "One hour of remote help from an engineer, for anything IT.",
        description:
          "An hour with one of our engineers over screen sharing: email that won't sync, a printer that won't print, a website plugin that broke after an update. 🛠️\n\nUnused minutes stay on your account for the next time.",
        kind: "service",
        category: "Services",
        prices: [{ amount: 8500 }],
      },
      {
        slug: "legal-website-security",
        name: "Rechtsschutzversicherungsgesellschaftenwebsitesicherheitspaket",
        summary: "",
        description:
          "Our security review for the websites of German legal-insurance companies, with a name to match: a malware scan, a hardening checklist and a written report in German.",
        kind: "service",
        category: "Security",
        prices: [{ amount: 24_900 }],
      },
      {
        slug: "arabic-email-hosting",
        name: "استضافة البريد الإلكتروني",
        summary: "بريد احترافي باسم نطاقك، مع 10 غيغابايت لكل صندوق.",
        description:
          "Professional email on your own domain, for teams that work in Arabic: 10 GB per mailbox, webmail in Arabic and right-to-left signatures.\n\nبريد إلكتروني احترافي باسم نطاقك.",
        kind: "service",
        category: "Hosting",
        prices: [
          { amount: 300, interval: "month" },
          { amount: 3000, interval: "year" },
        ],
      },
    ];
    const priceBySlug = new Map<
      string,
      {
        productId: string;
        priceId: string;
        name: string;
        amount: number;
        interval: s.Price["interval"];
      }
    >();
    for (const [i, item] of catalogue.entries()) {
      const [product] = await tx
        .insert(s.products)
        .values({
          slug: item.slug,
          name: item.name,
          summary: item.summary,
          description: item.description,
          kind: item.kind,
          category: item.category,
          isAvailable: item.isAvailable ?? true,
          sortOrder: i,
        })
        .returning();
      const rows = await tx
        .insert(s.prices)
        .values(
          item.prices.map((p) => ({
            productId: product!.id,
            currency: "EUR",
            unitAmount: p.amount,
            type: p.interval ? ("recurring" as const) : ("one_time" as const),
            interval: p.interval ?? null,
            intervalCount: p.interval ? 1 : null,
          })),
        )
        .returning();
      const first = rows.find((r) => r.unitAmount === item.prices[0]!.amount);
      priceBySlug.set(item.slug, {
        productId: product!.id,
        priceId: first!.id,
        name: item.name,
        amount: first!.unitAmount,
        interval: first!.interval,
      });
    }

    // Paid demo orders are invoiced in order, as the shop numbers them (2026-0001, …).
    let invoices = 0;
    const year = now.getUTCFullYear();
    const order = async (
      customer: s.User,
      number: string,
      provider: "stripe" | "shopify" | "manual",
      status: "awaiting_payment" | "paid" | "fulfilled",
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
      const isPaid = status !== "awaiting_payment";
      const placedAt = ago(placedHoursAgo);
      const paidAt = isPaid ? ago(placedHoursAgo - 0.25) : null;
      const invoiced = isPaid && provider !== "shopify";
      if (invoiced) invoices += 1;
      const [row] = await tx
        .insert(s.orders)
        .values({
          number,
          customerId: customer.id,
          email: customer.email,
          status,
          currency: "EUR",
          subtotalAmount: total,
          totalAmount: total,
          provider,
          externalId:
            provider === "manual" ? null : `${provider}_demo_${number}`,
          invoiceNumber: invoiced
            ? `${year}-${String(invoices).padStart(4, "0")}`
            : null,
          invoicedAt: invoiced ? paidAt : null,
          placedAt,
          paidAt,
          fulfilledAt: status === "fulfilled" ? ago(placedHoursAgo - 24) : null,
        })
        .returning();
      await tx
        .insert(s.orderItems)
        .values(items.map((i) => ({ ...i, orderId: row!.id })));
      await tx.insert(s.orderEvents).values([
        {
          orderId: row!.id,
          status: provider === "manual" ? "awaiting_payment" : "pending",
          actorKind: "user",
          actorId: customer.id,
          createdAt: placedAt,
        },
        ...(isPaid
          ? [
              {
                orderId: row!.id,
                status: "paid" as const,
                note: provider === "manual" ? "" : "Paid by card",
                actorKind: "system" as const,
                createdAt: paidAt!,
              },
            ]
          : []),
        ...(status === "fulfilled"
          ? [
              {
                orderId: row!.id,
                status: "fulfilled" as const,
                actorKind: "system" as const,
                createdAt: ago(placedHoursAgo - 24),
              },
            ]
          : []),
      ]);
      if (isPaid) {
        await tx.insert(s.payments).values({
          orderId: row!.id,
          provider,
          externalId:
            provider === "manual" ? null : `${provider}_pay_${number}`,
          status: "succeeded",
          amount: total,
          currency: "EUR",
          createdAt: paidAt!,
        });
      }
      // Recurring lines of a paid order are running services, renewing a month or a year on.
      const recurring = lines.filter(
        ([slug]) => priceBySlug.get(slug)!.interval,
      );
      if (isPaid && recurring.length > 0)
        await tx.insert(s.services).values(
          recurring.map(([slug]) => {
            const p = priceBySlug.get(slug)!;
            const renews = new Date(paidAt!);
            if (p.interval === "year")
              renews.setUTCFullYear(renews.getUTCFullYear() + 1);
            else renews.setUTCMonth(renews.getUTCMonth() + 1);
            return {
              customerId: customer.id,
              orderId: row!.id,
              productId: p.productId,
              priceId: p.priceId,
              description: p.name,
              status: "active" as const,
              currentPeriodEnd: renews,
              createdAt: paidAt!,
            };
          }),
        );
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
      "awaiting_payment",
      24 * 3,
      [["website-migration", 1]],
    );
    await order(users.carol, "PO-10003", "stripe", "paid", 24 * 20, [
      ["managed-vps", 1],
      ["offsite-backup", 1],
    ]);
    await tx.insert(s.counters).values([
      { name: `invoice:${year}`, value: invoices },
      // The shop's own numbers continue after the demo's.
      { name: "order", value: 10_100 },
    ]);
    // The public catalogue's cache must not serve what it held before these products existed.
    await bumpCatalogVersion(tx);

    const ticket = async (t: {
      customer: s.User;
      subject: string;
      topic: 1 | 2 | 10 | 11 | 12;
      source?: "web" | "email" | "api";
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
          source: t.source ?? "web",
          departmentId,
          helpTopicId: t.topic,
          slaPlanId,
          customerId: t.customer.id,
          assigneeId: t.assignee?.id,
          orderId: t.order?.id,
          dueAt: closed
            ? null
            : new Date(ago(t.openedHoursAgo).getTime() + hours(grace)),
          slaStartedAt: closed ? null : ago(t.openedHoursAgo),
          firstResponseAt: firstReply ? ago(firstReply.hoursAgo) : null,
          lastMessageAt: ago(last.hoursAgo),
          createdAt: ago(t.openedHoursAgo),
          updatedAt: ago(last.hoursAgo),
          closedAt: closed ? ago(last.hoursAgo) : null,
          // A pending ticket's SLA clock stopped when the agent's last answer went out.
          slaPausedAt: t.status === "pending" ? ago(last.hoursAgo) : null,
        })
        .returning();
      await tx.insert(s.ticketMessages).values(
        t.messages.map((m) => ({
          ticketId: row!.id,
          kind: m.kind,
          authorId: m.by.id,
          authorName: m.by.name,
          authorEmail: m.by.email,
          source:
            m.kind === "customer" ? (t.source ?? "web") : ("staff" as const),
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
          data: { from: null, to: t.assignee.name, toId: t.assignee.id },
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

    // Contacts arrive the way the API and mail create them: no password, first seen with their ticket.
    const contactRows = await tx
      .insert(s.users)
      .values(
        Object.values(DEMO_CONTACTS).map((c, i) => ({
          ...c,
          createdAt: ago(5 + i * 4),
          updatedAt: ago(5 + i * 4),
        })),
      )
      .returning();
    const contact = (key: keyof typeof DEMO_CONTACTS) =>
      contactRows.find((u) => u.email === DEMO_CONTACTS[key].email)!;
    // A subject the API accepts: 60 characters with no space to break at.
    await ticket({
      customer: contact("ddsg"),
      subject: "Error_550_5.7.1_Relaying_denied_for_buchhaltung@ddsg.example",
      topic: 12,
      source: "api",
      status: "open",
      openedHoursAgo: 5,
      messages: [
        {
          kind: "customer",
          by: contact("ddsg"),
          hoursAgo: 5,
          text: "Unser Buchhaltungsprogramm meldet beim Versand der Rechnungen: 550 5.7.1 Relaying denied. Bitte prüfen Sie das Postfach buchhaltung@ddsg.example.",
        },
      ],
    });
    await ticket({
      customer: contact("nour"),
      subject: "لا أستطيع الدخول إلى بريدي الإلكتروني منذ الأمس",
      topic: 12,
      source: "email",
      status: "open",
      openedHoursAgo: 9,
      assignee: users.agentKim,
      messages: [
        {
          kind: "customer",
          by: contact("nour"),
          hoursAgo: 9,
          text: 'مرحباً،\n\nمنذ الأمس لا أستطيع الدخول إلى بريدي الإلكتروني من الهاتف. تظهر رسالة "كلمة المرور غير صحيحة".\n\nشكراً',
        },
        {
          kind: "note",
          by: users.agentKim,
          hoursAgo: 8,
          text: "Arabic: cannot sign in to her mailbox from the phone since yesterday, 'wrong password'. Checking the Mailcow log.",
        },
      ],
    });
    await ticket({
      customer: contact("zoe"),
      subject: "A second mailbox for our café ☕",
      topic: 11,
      status: "pending",
      openedHoursAgo: 13,
      assignee: users.agentSam,
      messages: [
        {
          kind: "customer",
          by: contact("zoe"),
          hoursAgo: 13,
          text: "Hi! We'd like a second mailbox for the café 🌻 What does it cost?",
        },
        {
          kind: "reply",
          by: users.agentSam,
          hoursAgo: 12,
          text: "Hello Zoë,\n\nA second mailbox is included in your plan: shall I set it up as hello@ on your domain?\n\nSam",
        },
      ],
    });
    return true;
  });
}
