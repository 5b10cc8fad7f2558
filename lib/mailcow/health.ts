import "server-only";
import { formatByteSize } from "@/lib/format";
import type { MailcowClient } from "@/lib/mailcow/client";
import type { MailcowDomain, MailcowFailure } from "@/lib/mailcow/types";

// Can Portico reach Mailcow, and does the customer domain have room for the mailboxes signups will
// ask for? docs/mailcow.md §5.6 asks for mboxes_left and max_new_mailbox_quota at health-check time.

const MIB = 1024 * 1024;
const LOW_SHARE = 0.1;
const FEW_MAILBOXES = 2;

export type MailcowWarning = {
  /** "critical": new mailboxes wait as pending (or cannot be used) until an operator acts. */
  level: "warning" | "critical";
  message: string;
};

export type MailcowCapacity = MailcowDomain & {
  /** Bytes of the domain's total not yet given to a mailbox. */
  quotaLeftBytes: number;
};

export type MailcowHealth = {
  connection: { ok: true; version: string } | { ok: false; message: string };
  /** Null when Mailcow could not be asked, or has no such domain (a warning says which). */
  capacity: MailcowCapacity | null;
  warnings: MailcowWarning[];
};

/** `quotaMb` is what Portico gives each new mailbox (MAILCOW_QUOTA_MB). */
export async function mailcowHealth(
  client: MailcowClient,
  domain: string,
  p: { quotaMb: number },
): Promise<MailcowHealth> {
  const ping = await client.ping();
  // A refused key counts towards Mailcow's fail2ban (§2): one failed call is enough to report.
  if (!ping.ok)
    return {
      connection: { ok: false, message: explainMailcowFailure(ping) },
      capacity: null,
      warnings: [],
    };
  const connection = { ok: true as const, version: ping.value.version };
  const found = await client.getDomain(domain);
  if (!found.ok)
    return {
      connection,
      capacity: null,
      warnings: [
        {
          level: "critical",
          message: `Could not read the domain ${domain}: ${explainMailcowFailure(found)}`,
        },
      ],
    };
  if (!found.value)
    return {
      connection,
      capacity: null,
      warnings: [
        {
          level: "critical",
          message: `Mailcow has no domain ${domain}, so no mailbox can be created. Add it in Mailcow or correct MAILCOW_DOMAIN.`,
        },
      ],
    };
  const d = found.value;
  const capacity = {
    ...d,
    quotaLeftBytes: Math.max(
      0,
      d.maxQuotaForDomainBytes - d.quotaAllocatedBytes,
    ),
  };
  return {
    connection,
    capacity,
    warnings: capacityWarnings(capacity, p.quotaMb),
  };
}

function capacityWarnings(
  d: MailcowCapacity,
  quotaMb: number,
): MailcowWarning[] {
  const warnings: MailcowWarning[] = [];
  if (!d.isActive)
    warnings.push({
      level: "critical",
      message: `The domain ${d.domain} is inactive in Mailcow: its mailboxes cannot log in.`,
    });
  if (d.mailboxesLeft <= 0)
    warnings.push({
      level: "critical",
      message: `The domain is full (${d.mailboxes} of ${d.maxMailboxes} mailboxes). New mailboxes wait as pending until its mailbox limit is raised in Mailcow.`,
    });
  else if (
    d.mailboxesLeft <= FEW_MAILBOXES ||
    d.mailboxesLeft < d.maxMailboxes * LOW_SHARE
  )
    warnings.push({
      level: "warning",
      message: `Only ${d.mailboxesLeft} of ${d.maxMailboxes} mailboxes left on the domain. Raise its mailbox limit in Mailcow before it fills up.`,
    });
  if (d.quotaLeftBytes < d.maxQuotaForDomainBytes * LOW_SHARE)
    warnings.push({
      level: "warning",
      message: `Only ${formatByteSize(d.quotaLeftBytes)} of the domain's ${formatByteSize(d.maxQuotaForDomainBytes)} storage is left to give to mailboxes. Raise its total quota in Mailcow.`,
    });
  const quotaBytes = quotaMb * MIB;
  if (quotaBytes > d.maxNewMailboxQuotaBytes)
    warnings.push({
      level: "critical",
      message: `New mailboxes get ${formatByteSize(quotaBytes)} (MAILCOW_QUOTA_MB), but Mailcow can give a new mailbox at most ${formatByteSize(d.maxNewMailboxQuotaBytes)} now. They wait as pending until the domain's quota is raised or MAILCOW_QUOTA_MB is lowered.`,
    });
  return warnings;
}

/** A Mailcow failure in words for an administrator. */
export function explainMailcowFailure(failure: MailcowFailure): string {
  switch (failure.kind) {
    case "rejected":
      return `${failure.message.replace(/\.$/, "")} (${failure.key}).`;
    case "unknown":
      return `Mailcow did not answer (${failure.detail}). Check that it is running and that MAILCOW_API_URL reaches it.`;
    case "auth":
      return failure.status === 403
        ? `Mailcow does not let Portico's API key make changes (403: ${failure.message}): it is the read-only key. Put the read-write key in MAILCOW_API_KEY.`
        : `Mailcow refused Portico's API key (${failure.status}: ${failure.message}). Check MAILCOW_API_KEY and the key's IP allow-list; each refusal counts towards Mailcow's fail2ban.`;
    case "config":
      return `Configuration problem: ${failure.detail}`;
    case "invalid":
      return failure.message;
  }
}

/**
 * Mailcow's mailbox_quota_left_exceeded on an edit, for an administrator: the domain's limits
 * dropped below what the mailbox already has, and Mailcow re-checks that on every change (§5.2).
 */
export function explainQuotaLeftExceeded(
  args: unknown[],
  quotaMb: number,
): string {
  const leftMb = Math.max(0, Math.floor(Number(args[0]) || 0));
  return `The mail domain has only ${leftMb.toLocaleString("en")} MiB of storage left for this mailbox's ${quotaMb.toLocaleString("en")} MiB, and Mailcow checks that on every change to the mailbox, its password included. Raise the domain's total quota in Mailcow (and its per-mailbox maximum, if that is lower).`;
}
