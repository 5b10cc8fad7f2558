import "server-only";
import { and, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { inboundMail, inboundOutcome, tickets } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { isStaff, type Viewer } from "@/lib/auth/viewer";
import { log } from "@/lib/log";
import { systemAddresses } from "@/lib/mail-ingest/addresses";
import {
  failureReason,
  ingestRulesFromEnv,
  reprocessLedgerEntry,
  type IngestOutcome,
} from "@/lib/mail-ingest/ingest";
import { isUuid } from "@/lib/ids";
import { fail, ok, type Result } from "@/lib/result";
import { searchText } from "@/lib/text";

// The inbound ledger as agents see it: what arrived, what became of it, and the way back for
// messages that were held or failed.

export type InboundOutcome = (typeof inboundOutcome.enumValues)[number];
export const INBOUND_OUTCOMES = inboundOutcome.enumValues;
export const INBOUND_PAGE_SIZE = 50;

const blankToUndefined = (v: unknown) =>
  typeof v === "string" && v.trim() === "" ? undefined : v;

/** The ledger page's search parameters; anything unusable falls back to the default. */
export const inboundMailFiltersInput = z.object({
  // A NUL or line break in `?q=` is searched for as a space, never a failed query.
  q: z.preprocess(
    (v) => (typeof v === "string" ? blankToUndefined(searchText(v)) : v),
    z.string().max(200).optional().catch(undefined),
  ),
  outcome: z.preprocess(
    blankToUndefined,
    z.enum(INBOUND_OUTCOMES).optional().catch(undefined),
  ),
  page: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
  ),
});
export type InboundMailFilters = z.infer<typeof inboundMailFiltersInput>;

export type InboundMailRow = {
  id: string;
  processedAt: Date;
  receivedAt: Date | null;
  receivingAddress: string;
  fromAddress: string | null;
  subject: string | null;
  sizeBytes: number;
  outcome: InboundOutcome;
  reason: string | null;
  ticketNumber: string | null;
  hasRaw: boolean;
};

export type InboundMailList = {
  rows: InboundMailRow[];
  /** Matches of the search per outcome, and in all; the outcome filter is not applied to these. */
  counts: Record<InboundOutcome | "all", number>;
  /** Matches of the search and the outcome filter together, for pagination. */
  total: number;
};

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, "\\$&")}%`;

export async function listInboundMail(
  db: Db,
  filters: { q?: string; outcome?: InboundOutcome; page?: number } = {},
): Promise<InboundMailList> {
  const q = filters.q?.trim();
  const search: SQL | undefined = q
    ? or(
        ilike(inboundMail.subject, likePattern(q)),
        ilike(inboundMail.fromAddress, likePattern(q)),
        ilike(inboundMail.messageId, likePattern(q)),
      )
    : undefined;
  const page = Math.max(1, filters.page ?? 1);

  const [rows, grouped] = await Promise.all([
    db
      .select({
        id: inboundMail.id,
        processedAt: inboundMail.processedAt,
        receivedAt: inboundMail.receivedAt,
        receivingAddress: inboundMail.receivingAddress,
        fromAddress: inboundMail.fromAddress,
        subject: inboundMail.subject,
        sizeBytes: inboundMail.sizeBytes,
        outcome: inboundMail.outcome,
        reason: inboundMail.reason,
        ticketNumber: tickets.number,
        // Only whether the source is kept: the bytes themselves can be megabytes per row.
        hasRaw: sql<boolean>`(${inboundMail.raw} is not null)`.mapWith(Boolean),
      })
      .from(inboundMail)
      .leftJoin(tickets, eq(tickets.id, inboundMail.ticketId))
      .where(
        and(
          search,
          filters.outcome
            ? eq(inboundMail.outcome, filters.outcome)
            : undefined,
        ),
      )
      .orderBy(desc(inboundMail.processedAt), desc(inboundMail.id))
      .limit(INBOUND_PAGE_SIZE)
      .offset((page - 1) * INBOUND_PAGE_SIZE),
    db
      .select({ outcome: inboundMail.outcome, n: count() })
      .from(inboundMail)
      .where(search)
      .groupBy(inboundMail.outcome),
  ]);

  const counts = Object.fromEntries(
    [...INBOUND_OUTCOMES, "all"].map((o) => [o, 0]),
  ) as InboundMailList["counts"];
  for (const { outcome, n } of grouped) {
    counts[outcome] = n;
    counts.all += n;
  }
  return {
    rows,
    counts,
    total: filters.outcome ? counts[filters.outcome] : counts.all,
  };
}

/** A message's source as it arrived; null when the row is unknown or its source was never kept. */
export async function getInboundRaw(
  db: Db,
  id: string,
): Promise<{ raw: Uint8Array; messageId: string; subject: string } | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({
      raw: inboundMail.raw,
      messageId: inboundMail.messageId,
      subject: inboundMail.subject,
    })
    .from(inboundMail)
    .where(eq(inboundMail.id, id));
  if (!row?.raw) return null;
  return {
    raw: new Uint8Array(row.raw),
    messageId: row.messageId,
    subject: row.subject ?? "",
  };
}

const HOLD_REASONS: Record<string, string> = {
  unknown_sender: "unknown sender",
  too_large: "too large",
  rate_limited: "sender over the hourly limit",
};

/** A ledger reason in words an agent reads at a glance. */
export function describeInboundReason(reason: string): string {
  return HOLD_REASONS[reason] ?? reason;
}

function describeOutcome(outcome: IngestOutcome): string {
  switch (outcome.kind) {
    case "created":
      return outcome.previous
        ? `Created ticket #${outcome.ticket.number} (continues #${outcome.previous.number})`
        : `Created ticket #${outcome.ticket.number}`;
    case "replied":
      return `Added to ticket #${outcome.ticket.number}`;
    case "duplicate":
      return outcome.ticket
        ? `Already on ticket #${outcome.ticket.number}; nothing was added`
        : "Already processed; nothing was added";
    case "ignored":
      return outcome.reason === "auto_reply"
        ? "Ignored as an automatic reply"
        : "Ignored as Portico's own mail";
    case "bounce":
      return "Recorded as a bounce";
    case "held":
      return `Held again: ${describeInboundReason(outcome.reason)}`;
    case "refused":
      return outcome.reason === "banned"
        ? `Ignored: ${outcome.email} is banned`
        : "Failed: the message has no usable From address";
  }
}

const GONE =
  "That message is no longer in the ledger; it may have been released already.";

/**
 * An agent sends a held or failed message through the pipeline again, as if it had just arrived
 * but past the hold rules. Its ledger row is replaced, so it keeps exactly one outcome; should the
 * pipeline throw, the row is kept and records the error as failed.
 */
export async function releaseInboundMail(
  db: Db,
  viewer: Viewer,
  id: string,
  now = new Date(),
): Promise<Result<{ message: string; outcome: IngestOutcome }>> {
  if (!isStaff(viewer))
    return fail("forbidden", "Only agents can release held mail.");
  if (!isUuid(id)) return fail("not_found", GONE);
  const options = {
    ...ingestRulesFromEnv(),
    systemAddresses: await systemAddresses(db),
    now,
  };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        outcome: inboundMail.outcome,
        reason: inboundMail.reason,
        receivingAddress: inboundMail.receivingAddress,
        messageId: inboundMail.messageId,
        hasRaw: sql<boolean>`(${inboundMail.raw} is not null)`.mapWith(Boolean),
      })
      .from(inboundMail)
      .where(eq(inboundMail.id, id))
      .for("update");
    if (!row) return fail("not_found", GONE);
    if (row.outcome !== "held" && row.outcome !== "failed")
      return fail("conflict", "Only held or failed messages can be released.");
    if (!row.hasRaw)
      return fail(
        "conflict",
        "Portico never downloaded this message (it is still on the mail server), so it cannot be released from here.",
      );
    const action =
      row.outcome === "held"
        ? "inbound_mail.released"
        : "inbound_mail.replayed";
    const audit = (
      entityId: string,
      ticketId: string | null,
      data: Record<string, unknown>,
    ) =>
      recordAudit(tx, {
        actor: { kind: "user", id: viewer.id },
        action,
        entityType: "inbound_mail",
        entityId,
        ticketId: ticketId ?? undefined,
        data: {
          messageId: row.messageId,
          previousOutcome: row.outcome,
          previousReason: row.reason,
          ...data,
        },
        at: now,
      });

    let outcome: IngestOutcome | null;
    try {
      outcome = await reprocessLedgerEntry(tx, id, options);
    } catch (error) {
      // The savepoint rolled the attempt back; the row stays, now saying why this run failed.
      const reason = failureReason(error).slice(0, 500);
      log.warn("inbound_mail.release_failed", { id, error });
      await tx
        .update(inboundMail)
        .set({ outcome: "failed", reason, processedAt: now })
        .where(eq(inboundMail.id, id));
      await audit(id, null, { outcome: "failed", error: reason });
      return fail("upstream_failed", `Processing failed: ${reason}`);
    }
    if (!outcome) return fail("not_found", GONE);

    const [replaced] = await tx
      .select({ id: inboundMail.id, ticketId: inboundMail.ticketId })
      .from(inboundMail)
      .where(
        and(
          eq(inboundMail.receivingAddress, row.receivingAddress),
          eq(inboundMail.messageId, row.messageId),
        ),
      );
    // The pipeline wrote a new row for the message; the entry points at it and at the old one.
    await audit(replaced?.id ?? id, replaced?.ticketId ?? null, {
      previousId: id,
      outcome: outcome.kind,
    });
    return ok({ message: describeOutcome(outcome), outcome });
  });
}
