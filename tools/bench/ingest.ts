// The mail half of `npm run bench`: 2,000 mixed messages APPENDed to a throw-away Dovecot, then one
// ingestion run (lib/mail-ingest/imap.ts, as the scheduled job runs it) into a new PostgreSQL
// database. Reports messages per second; the goal is at least 100.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { migratePostgres } from "@/db/migrate";
import { openPostgres } from "@/db/open";
import { inboundMail, tickets } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { withBenchDatabase } from "@/tools/bench/bench-database";
import type { Machine } from "@/tools/bench/report";
import { ingestFromImap, type IngestSummary } from "@/lib/mail-ingest/imap";
import { ingestRulesFromEnv } from "@/lib/mail-ingest/ingest";
import { startDovecot } from "@/testing/dovecot";

export const INGEST_MESSAGES = 2000;
export const INGEST_GOAL_PER_SECOND = 100;

export type IngestBench = {
  messages: number;
  mix: Array<{ kind: string; count: number }>;
  seconds: number;
  perSecond: number;
  summary: IngestSummary;
  ledgerRows: number;
  ticketsCreated: number;
};

const CORPUS = path.join(process.cwd(), "testing/fixtures/email");

/** The bench's mailbox: new tickets, replies by header and by subject, auto-replies, bounces, real mail. */
function mixedMessages(total: number): {
  raws: Buffer[];
  mix: IngestBench["mix"];
} {
  const corpus = fs
    .readdirSync(CORPUS)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => fs.readFileSync(path.join(CORPUS, f), "latin1"));
  const raws: Buffer[] = [];
  const mix = new Map<string, number>();
  const opened: Array<{ id: string; from: string; subject: string }> = [];
  // latin1 both ways keeps every byte of the corpus files as it is.
  const add = (kind: string, raw: string) => {
    raws.push(Buffer.from(raw, "latin1"));
    mix.set(kind, (mix.get(kind) ?? 0) + 1);
  };
  const mail = (h: Record<string, string>, body: string) =>
    [...Object.entries(h).map(([k, v]) => `${k}: ${v}`), "", body, ""].join(
      "\r\n",
    );
  for (let i = 0; i < total; i++) {
    const roll = i % 20;
    const from = `customer${i % 300}@example.org`;
    const id = `<bench-${i}@example.org>`;
    const base = {
      From: `Customer ${i % 300} <${from}>`,
      To: "support@portico.test",
      Date: new Date(Date.UTC(2026, 10, 1, 8, 0, i)).toUTCString(),
      "Message-ID": id,
      "Content-Type": "text/plain; charset=utf-8",
    };
    const earlier = opened[(i * 7) % Math.max(1, opened.length)];
    if (roll < 10 || !earlier) {
      const subject = `Problem ${i}: mail server unreachable`;
      opened.push({ id, from, subject });
      add(
        "new ticket",
        mail(
          { ...base, Subject: subject },
          `Hello,\n\nsince this morning we cannot reach the server (case ${i}).\n\nThanks\nCustomer ${i % 300}`,
        ),
      );
    } else if (roll < 15) {
      add(
        "reply (In-Reply-To)",
        mail(
          {
            ...base,
            From: earlier.from,
            Subject: `Re: ${earlier.subject}`,
            "In-Reply-To": earlier.id,
            References: earlier.id,
          },
          `It happened again at ${i % 24}:00.\n\nOn Monday, Support wrote:\n> Could you tell us when it happens?\n> Thanks`,
        ),
      );
    } else if (roll === 15) {
      add(
        "auto-reply",
        mail(
          {
            ...base,
            Subject: `Automatic reply: ${earlier.subject}`,
            "Auto-Submitted": "auto-replied",
            "In-Reply-To": earlier.id,
          },
          "I am out of the office until Monday.",
        ),
      );
    } else if (roll === 16) {
      add(
        "bounce",
        [
          "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>",
          "To: support@portico.test",
          `Message-ID: ${id}`,
          "Subject: Undelivered Mail Returned to Sender",
          'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
          "",
          "--b",
          "Content-Type: text/plain",
          "",
          "Delivery failed.",
          "--b",
          "Content-Type: message/delivery-status",
          "",
          "Reporting-MTA: dns; mx.example.org",
          "",
          `Final-Recipient: rfc822; gone${i}@example.net`,
          "Action: failed",
          "Status: 5.1.1",
          "",
          "--b--",
          "",
        ].join("\r\n"),
      );
    } else {
      // Real-world messages from the corpus, each made unique so it counts as new mail.
      const raw = corpus[i % corpus.length]!;
      const unique = /^message-id:.*$/im.test(raw)
        ? raw.replace(/^message-id:.*$/im, `Message-ID: ${id}`)
        : `Message-ID: ${id}\r\n${raw}`;
      add("real-world (corpus)", unique);
    }
  }
  return {
    raws,
    mix: [...mix].map(([kind, n]) => ({ kind, count: n })),
  };
}

export async function benchIngest(serverUrl: string): Promise<IngestBench> {
  return withBenchDatabase(serverUrl, "ingest", async (db) => {
    const dovecot = await startDovecot();
    db.onCleanup(() => dovecot.stop());
    await migratePostgres(db.url);
    // The app's own pool size, as a scheduled run in the app would have.
    const handle = await openPostgres(db.url, { max: 10 });
    db.onCleanup(() => handle.close());
    await seedDemoData(handle.db);

    const { raws, mix } = mixedMessages(INGEST_MESSAGES);
    const client = await dovecot.connect();
    try {
      for (const raw of raws) await client.append("INBOX", raw);
    } finally {
      await client.logout();
    }
    console.log(`Mail: ${raws.length} messages in Dovecot; ingesting…`);

    const started = performance.now();
    const summary = await ingestFromImap(
      handle.db,
      {
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        tlsVerify: true,
        user: dovecot.user,
        password: dovecot.password,
        folder: "INBOX",
        processedFolder: "Processed",
        heldFolder: "Held",
      },
      {
        batchSize: 50,
        // The defaults, except the per-sender hourly limit: 2,000 messages in seconds from 300
        // senders would trip it, and the bench measures ingestion, not holding.
        pipeline: { ...ingestRulesFromEnv(), senderLimitPerHour: 0 },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const [ledger] = await handle.db.select({ n: count() }).from(inboundMail);
    const [created] = await handle.db
      .select({ n: count() })
      .from(tickets)
      .where(eq(tickets.source, "email"));
    return {
      messages: raws.length,
      mix,
      seconds,
      perSecond: raws.length / seconds,
      summary,
      ledgerRows: ledger?.n ?? 0,
      ticketsCreated: created?.n ?? 0,
    };
  });
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** The `<!-- bench:ingest -->` section of docs/benchmarks.md. */
export function ingestSection(
  r: IngestBench & { date: Date; machine: Machine },
): string {
  const s = r.summary;
  const ignored = Object.entries(s.ignored)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(", ");
  const held = Object.entries(s.held)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(", ");
  const met = r.perSecond >= INGEST_GOAL_PER_SECOND && s.failed === 0;
  return `## Mail into tickets: IMAP ingestion (\`npm run bench\`)

Run on ${r.date.toISOString().slice(0, 10)}: ${r.machine.cpus}, ${r.machine.memory} RAM, Node ${r.machine.node},
${r.machine.postgres}.

${fmt(r.messages)} messages APPENDed to a throw-away Dovecot on the same machine, then read by one
ingestion run (\`ingestFromImap\`, as the scheduled job runs it: batches of 50, each message recorded
in the ledger in the transaction that makes its ticket or reply, then moved to \`Processed\`) into a
new PostgreSQL database with the demo data. Mix: ${r.mix.map((m) => `${m.kind} ${fmt(m.count)}`).join(", ")}.
Default rules, except the per-sender hourly limit (off: 2,000 messages from 300 senders in seconds
would trip it).

| Messages | Seconds | Messages/s | Created | Replied | Ignored | Bounces | Held | Duplicates | Failed | Ledger rows |
| -------: | ------: | ---------: | ------: | ------: | ------: | ------: | ---: | ---------: | -----: | ----------: |
| ${fmt(r.messages)} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(0)} | ${fmt(s.created)} | ${fmt(s.replied)} | ${fmt(Object.values(s.ignored).reduce((a, b) => a + b, 0))} | ${fmt(s.bounces)} | ${fmt(Object.values(s.held).reduce((a, b) => a + b, 0))} | ${fmt(s.duplicates)} | ${fmt(s.failed)} | ${fmt(r.ledgerRows)} |

${ignored ? `Ignored: ${ignored}. ` : ""}${held ? `Held: ${held}. ` : ""}Tickets created from mail: ${fmt(r.ticketsCreated)}.

Goal: at least ${INGEST_GOAL_PER_SECOND} messages per second with none failed. **${met ? "Met" : "Not met"}** (${r.perSecond.toFixed(0)}/s).
`;
}
