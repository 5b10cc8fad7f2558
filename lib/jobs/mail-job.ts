import "server-only";
import type { Transporter } from "nodemailer";
import type { Db } from "@/db/types";
import { env, type ImapConfig, type MailcowConfig } from "@/lib/env";
import { withJobLease } from "@/lib/jobs/lease";
import { log } from "@/lib/log";
import { numberDueInvoices } from "@/lib/orders/invoices";
import { smsFromEnv } from "@/lib/sms/config";
import { deliverDueSms, type SmsDeliverySummary } from "@/lib/sms/outbox";
import type { SmsConfig } from "@/lib/sms/types";
import {
  ingestFromImap,
  type IngestRunOptions,
  type IngestSummary,
} from "@/lib/mail-ingest/imap";
import { ingestRulesFromEnv } from "@/lib/mail-ingest/ingest";
import {
  deliverDueMail,
  requeueStuckMail,
  type DeliverySummary,
} from "@/lib/mail/deliver";
import {
  mailcowClient,
  provisionDueMailboxes,
  type ProvisionRunSummary,
} from "@/lib/mailcow/provision";

export type InboundStep =
  | IngestSummary
  | { skipped: "imap not configured" | "another run is reading mail" }
  | { error: string };

export type MailboxStep =
  | ProvisionRunSummary
  | { skipped: "mailcow not configured" }
  | { error: string };

export type TextStep =
  SmsDeliverySummary | { skipped: "no sms provider" } | { error: string };

export type InvoiceStep = { numbered: number } | { error: string };

export type MailJobSummary =
  | { ran: false; reason: "locked" }
  | {
      ran: true;
      inbound: InboundStep;
      mailboxes: MailboxStep;
      texts: TextStep;
      invoices: InvoiceStep;
      outbox:
        | (DeliverySummary & { requeued: number })
        | { skipped: "smtp not configured" };
      durationMs: number;
    };

// Long enough for a bounded batch; a crashed run's lease lapses after this.
const LEASE_MS = 5 * 60_000;
const INGEST_LEASE_MS = 10 * 60_000;
// One scheduled run reads at most this many messages; the next run goes on where it stopped.
const INGEST_PER_RUN = 1000;

/**
 * One run of the scheduled mail work, shared by the cron route and the in-process ticker: mail
 * into tickets (IMAP), pending Mailcow mailboxes, texts, invoice numbers still due, then the
 * outbox. (Old API bookkeeping is pruned by its own job, lib/jobs/prune-job.ts.)
 */
export async function runMailJob(
  db: Db,
  deps: {
    transport: Transporter | null;
    now: Date;
    imap?: ImapConfig | null;
    mailcow?: MailcowConfig | null;
    sms?: SmsConfig | null;
  },
): Promise<MailJobSummary> {
  const started = Date.now();
  const result = await withJobLease(
    db,
    "mail",
    { now: deps.now, leaseMs: LEASE_MS },
    async () => {
      // Inbound first: a reply that arrived is in its ticket before anything else goes out.
      const inbound = await readMailbox(
        db,
        deps.imap === undefined ? env().imap : deps.imap,
        deps.now,
      );
      const mailboxes = await provisionMailboxes(
        db,
        deps.mailcow === undefined ? env().mailcow : deps.mailcow,
        deps.now,
      );
      const texts = await sendTexts(
        db,
        deps.sms === undefined ? smsFromEnv() : deps.sms,
        deps.now,
      );
      // Before the outbox: a receipt queued with its invoice number goes out in this run.
      const invoices = await numberInvoices(db, deps.now);
      if (!deps.transport)
        return {
          inbound,
          mailboxes,
          texts,
          invoices,
          outbox: { skipped: "smtp not configured" as const },
        };
      const requeued = await requeueStuckMail(db, deps.now);
      return {
        inbound,
        mailboxes,
        texts,
        invoices,
        outbox: {
          ...(await deliverDueMail(db, deps.transport, deps.now)),
          requeued,
        },
      };
    },
  );
  return result === null
    ? { ran: false, reason: "locked" }
    : { ran: true, ...result, durationMs: Date.now() - started };
}

/** Paid orders still waiting for their invoice number (the payment's own run did not finish). */
async function numberInvoices(db: Db, now: Date): Promise<InvoiceStep> {
  try {
    return { numbered: await numberDueInvoices(db, now) };
  } catch (error) {
    log.error("mail_job.invoices_failed", { error });
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Texts waiting for the SMS provider; its trouble never stops the job. */
async function sendTexts(
  db: Db,
  config: SmsConfig | null,
  now: Date,
): Promise<TextStep> {
  if (!config) return { skipped: "no sms provider" };
  try {
    return await deliverDueSms(db, config, { now });
  } catch (error) {
    log.error("jobs.sms_failed", { error });
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Pending customer mailboxes whose retry is due; Mailcow trouble never stops the job. */
async function provisionMailboxes(
  db: Db,
  config: MailcowConfig | null,
  now: Date,
): Promise<MailboxStep> {
  if (!config) return { skipped: "mailcow not configured" };
  try {
    return await provisionDueMailboxes(db, mailcowClient(config), now, {
      retrySeconds: config.retrySeconds,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error("mailcow.provision_failed", { error: message });
    return { error: message };
  }
}

/** One IMAP ingestion run under its own lease (the CLI takes the same one). */
export async function readMailbox(
  db: Db,
  imap: ImapConfig | null,
  now: Date,
  options: Pick<
    IngestRunOptions,
    "limit" | "dryRun" | "folder" | "onProgress" | "onMessage"
  > = {},
): Promise<InboundStep> {
  if (!imap) return { skipped: "imap not configured" };
  try {
    const summary = await withJobLease(
      db,
      "mail-ingest",
      { now, leaseMs: INGEST_LEASE_MS },
      () =>
        ingestFromImap(db, imap, {
          limit: options.limit ?? INGEST_PER_RUN,
          batchSize: env().mailIngest.batchSize,
          dryRun: options.dryRun,
          folder: options.folder,
          onProgress: options.onProgress,
          onMessage: options.onMessage,
          pipeline: ingestRulesFromEnv(),
        }),
    );
    return summary ?? { skipped: "another run is reading mail" };
  } catch (error) {
    // An unreachable or refusing server must not stop the outbox; the next run tries again.
    const message = error instanceof Error ? error.message : String(error);
    log.error("mail.ingest_failed", { error: message });
    return { error: message };
  }
}
