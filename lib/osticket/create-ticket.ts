import "server-only";
import type { Ticket, User } from "@/db/schema";
import type { Db } from "@/db/types";
import { emailDomainResolves } from "@/lib/osticket/email-domain";
import {
  NO_DEPARTMENT,
  osTicketFailure,
  USER_INCOMPLETE,
  type OsTicketResult,
} from "@/lib/osticket/errors";
import {
  describeRejectedFile,
  hasNewUserDetails,
  type OsTicketRequest,
} from "@/lib/osticket/request/ticket-request";
import { osTicketFailureFromAppError } from "@/lib/osticket/respond";
import { openTicket } from "@/lib/tickets/open-ticket";
import {
  decideRouting,
  readRoutingFacts,
  type RoutingRead,
} from "@/lib/tickets/routing";
import { htmlToText } from "@/lib/tickets/sanitize";
import { createContact } from "@/lib/users/contacts";

export type ApiTicketContext = {
  /** The caller's address: the default for the request's `ip`. */
  callerIp: string;
  verifyEmailDomains: boolean;
  now: Date;
};

/**
 * Turns a parsed tickets.json/.xml request into a ticket, checking in upstream's order (docs/api.md
 * §7, §8): the user (an existing one by email, or enough details for a new one), then the ban list,
 * then the form's own errors. A parse failure still goes through the first two checks, because
 * upstream answers a banned sender 403 even when the subject is missing.
 */
export async function createApiTicket(
  db: Db,
  parsed: OsTicketResult<OsTicketRequest>,
  ctx: ApiTicketContext,
): Promise<OsTicketResult<Ticket>> {
  if (!parsed.ok) {
    const failure = parsed.error;
    if (failure.kind !== "validation" || failure.email === undefined)
      return parsed;
    const contact = await checkContact(
      await readRoutingFacts(db, { contactEmail: failure.email }),
      failure.email,
      failure.newUserDetails ?? false,
      ctx,
    );
    if (contact === "incomplete")
      return osTicketFailure({
        ...failure,
        errors: [USER_INCOMPLETE, ...failure.errors],
      });
    if (contact === "banned")
      return osTicketFailure({ kind: "ticket_denied", email: failure.email });
    return parsed;
  }

  const request = parsed.value;
  // One round trip for the usual caller, an existing user: the routing, the user and the ban list.
  const read = await readRoutingFacts(db, {
    helpTopicId: request.topicId,
    contactEmail: request.email,
  });
  const contact = await checkContact(
    read,
    request.email,
    hasNewUserDetails(request),
    ctx,
  );
  if (contact === "incomplete")
    return osTicketFailure({ kind: "validation", errors: [USER_INCOMPLETE] });
  if (contact === "banned")
    return osTicketFailure({ kind: "ticket_denied", email: request.email });
  // Before any write: a refused call leaves no user behind.
  if (!decideRouting(read.facts, {}, ctx.now))
    return osTicketFailure({ kind: "validation", errors: [NO_DEPARTMENT] });

  const html = request.message.format === "html" ? request.message.body : null;
  const open = (q: Db, customer: User) =>
    openTicket(
      q,
      {
        customer,
        actor: { kind: "api" },
        source: "api",
        subject: request.subject,
        text: html === null ? request.message.body : htmlToText(html) || "-",
        html,
        helpTopicId: request.topicId,
        routingFacts: read.facts,
        priority: request.priority,
        files: request.attachments,
        alert: request.alert,
        autorespond: request.autorespond,
        ip: request.ip ?? ctx.callerIp,
        systemNote:
          request.rejectedFiles.length > 0
            ? [
                "File Import Error",
                ...request.rejectedFiles.map(describeRejectedFile),
              ].join("\n")
            : undefined,
      },
      ctx.now,
    );
  const opened = contact
    ? await open(db, contact)
    : // A new user is written with their ticket or not at all.
      await db.transaction(async (tx) => {
        const created = await open(
          tx,
          await createApiContact(tx, request, ctx.now),
        );
        if (!created.ok) throw new Error(created.error.message);
        return created;
      });
  return opened.ok
    ? opened
    : osTicketFailure(osTicketFailureFromAppError(opened.error));
}

/** The existing user, `null` when a new one may be created, or why the request is refused. */
async function checkContact(
  { contact, banned }: RoutingRead,
  email: string,
  newUserDetails: boolean,
  ctx: ApiTicketContext,
): Promise<User | null | "incomplete" | "banned"> {
  if (
    !contact &&
    (!newUserDetails ||
      (ctx.verifyEmailDomains && !(await emailDomainResolves(email))))
  )
    return "incomplete";
  return banned ? "banned" : contact;
}

/** A customer without a password, with what the request says about them. */
const createApiContact = (tx: Db, request: OsTicketRequest, now: Date) =>
  createContact(
    tx,
    {
      email: request.email,
      name: request.name ?? request.email,
      phone: request.phone?.isValid ? request.phone.number : null,
      notes: request.notes ?? null,
    },
    { kind: "api" },
    "api",
    now,
  );
