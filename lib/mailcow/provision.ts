import "server-only";
import { randomBytes, randomInt } from "node:crypto";
import { and, asc, eq, isNull, lte, or } from "drizzle-orm";
import { mailboxes, users, type Mailbox as MailboxRow } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { env, type MailcowConfig } from "@/lib/env";
import { mailboxTroubleMail } from "@/lib/mail/templates/mailbox";
import { mailAdmins } from "@/lib/mailcow/alerts";
import { createMailcowClient, type MailcowClient } from "@/lib/mailcow/client";
import { explainHalt, getMailcowHalt, haltAware } from "@/lib/mailcow/halt";
import { explainMailcowFailure } from "@/lib/mailcow/health";
import { mailboxAddress, mailboxPasswordProblems } from "@/lib/mailcow/schemas";
import type { MailcowFailure, MailcowResult } from "@/lib/mailcow/types";
import { log } from "@/lib/log";

// A customer's mailbox from request to active (issue 6). The row is written first, as `pending`, so a
// signup never waits on Mailcow; then one attempt right away (with the signup password, held in
// memory only), and the scheduled job retries pending rows with back-off, with a generated password
// the customer replaces on the mailbox page. Every transition is an audit entry.

export type { MailcowClient };

/** The client for the configured Mailcow; a shorter `timeoutMs` where a person is waiting. */
export function mailcowClient(
  config: MailcowConfig,
  options: { timeoutMs?: number } = {},
): MailcowClient {
  return createMailcowClient({
    apiUrl: config.apiUrl,
    apiKey: config.apiKey,
    timeoutMs: options.timeoutMs,
  });
}

/** The mail domain is full: an operator raises its limits, and the retry then succeeds. */
export const CAPACITY_KEYS: ReadonlySet<string> = new Set([
  "max_mailbox_exceeded",
  "mailbox_quota_left_exceeded",
  "mailbox_quota_exceeded",
]);
// Capacity and transient server problems are retried; every other refusal fails for good.
const RETRY_KEYS = new Set([...CAPACITY_KEYS, "redis_error"]);
// Mailcow refused the name itself (docs/mailcow.md §5.1): the customer can pick another.
const NAME_KEYS = new Set([
  "object_exists",
  "is_alias",
  "is_spam_alias",
  "mailbox_invalid",
]);

/**
 * Whether the customer may choose a (new) mailbox name: they have none, theirs was deleted, or
 * Mailcow refused the name.
 */
export function mayChooseMailboxName(row: MailboxRow | null): boolean {
  return (
    !row ||
    row.status === "deleted" ||
    (row.status === "failed" && NAME_KEYS.has(row.lastErrorKey ?? ""))
  );
}
const DEFAULT_RETRY_SECONDS = 60;
const MAX_RETRY_MS = 6 * 3600_000;

export type ProvisionOutcome =
  | { status: "active"; mailbox: MailboxRow }
  | { status: "pending"; mailbox: MailboxRow; reason: string }
  | { status: "failed"; mailbox: MailboxRow; reason: string }
  /** Mailcow refused the key (401/403) or the configuration is wrong: stop until someone fixes it. */
  | { status: "halted"; mailbox: MailboxRow; reason: string };

/** Records the mailbox a customer asked for, as pending; the caller attempts it after commit. */
export async function requestMailbox(
  db: Db,
  p: { userId: string; localPart: string; config: MailcowConfig; now: Date },
): Promise<MailboxRow> {
  const [row] = await db
    .insert(mailboxes)
    .values({
      userId: p.userId,
      localPart: p.localPart,
      domain: p.config.domain,
      status: "pending",
      quotaMb: p.config.quotaMb,
      // The first attempt is the caller's; the scheduled job takes over only if it did not finish.
      nextAttemptAt: new Date(p.now.getTime() + p.config.retrySeconds * 1000),
      createdAt: p.now,
      updatedAt: p.now,
    })
    .returning();
  await recordAudit(db, {
    actor: { kind: "user", id: p.userId },
    action: "mailbox.requested",
    entityType: "mailbox",
    entityId: row!.id,
    data: { address: mailboxAddress(row!) },
    at: p.now,
  });
  return row!;
}

export type ProvisionOptions = {
  /** The customer's own password (at signup); used only if it passes the mailbox rule. */
  password?: string;
  now: Date;
  /** First retry wait; doubles per attempt (MAILCOW_RETRY_SECONDS). */
  retrySeconds?: number;
  /** The admin who asked for this attempt; a refused key is then shown to them, not mailed. */
  actorId?: string;
};

// Refusals that prove no mailbox exists at the address: Mailcow checks for one before these (§5.1).
const PROVES_ABSENT = new Set([
  "is_alias",
  "is_spam_alias",
  "domain_not_found",
  "password_complexity",
  "password_mismatch",
  ...CAPACITY_KEYS,
]);

/**
 * One attempt to create the mailbox in Mailcow. With a `password` (the customer's, at signup) that
 * passes the mailbox rule and Mailcow's live policy, it is the mailbox's password; otherwise a strong
 * one is generated and the customer is asked to set their own (Mailcow's force_pw_update). No
 * password is stored or logged. Nothing is sent while Mailcow refuses the key (see halt.ts).
 */
export async function provisionMailbox(
  db: Db,
  client: MailcowClient,
  mailbox: MailboxRow,
  p: ProvisionOptions,
): Promise<ProvisionOutcome> {
  // Answers with the recorded refusal, sending nothing, while Mailcow refuses the key.
  const mailcow = haltAware(db, client, { now: p.now, actorId: p.actorId });
  const [owner] = await db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, mailbox.userId));
  const customerName = owner?.name ?? "a customer";

  // Marked before the create is sent: should this attempt never come back (a timeout, a crash),
  // the next one may take the mailbox it finds as this record's own (docs/mailcow.md §8).
  const wasUncertain = mailbox.uncertainCreateAt !== null;
  const [own] = await Promise.all([
    ownPassword(mailcow, p.password),
    wasUncertain
      ? null
      : db
          .update(mailboxes)
          .set({ uncertainCreateAt: p.now })
          .where(eq(mailboxes.id, mailbox.id)),
  ]);
  if (!own.ok)
    return recordFailure(db, mailbox, own, {
      ...p,
      customerName,
      uncertainCreateAt: mailbox.uncertainCreateAt,
    });

  const create = (password: string | undefined) =>
    mailcow.createMailbox({
      localPart: mailbox.localPart,
      domain: mailbox.domain,
      name: owner?.name ?? mailbox.localPart,
      password: password ?? generatePassword(),
      quotaMb: mailbox.quotaMb,
      forcePasswordUpdate: password === undefined,
      mayAdopt: wasUncertain,
    });
  let generated = own.value === undefined;
  let result = await create(own.value);
  // The policy changed between the read and the create: the mailbox is still made, and the
  // customer sets a password that fits on the mailbox page.
  if (
    !generated &&
    !result.ok &&
    result.kind === "rejected" &&
    result.key === "password_complexity"
  ) {
    generated = true;
    result = await create(undefined);
  }
  const attempts = mailbox.attempts + 1;

  if (result.ok) {
    const [row] = await db
      .update(mailboxes)
      .set({
        status: "active",
        attempts,
        nextAttemptAt: null,
        lastErrorKey: null,
        lastErrorMessage: null,
        mustSetPassword: generated,
        uncertainCreateAt: null,
        provisionedAt: p.now,
        updatedAt: p.now,
      })
      .where(eq(mailboxes.id, mailbox.id))
      .returning();
    await audit(db, row!, "mailbox.provisioned", p.now, {
      outcome: result.value.outcome,
      attempts,
      generatedPassword: generated,
    });
    return { status: "active", mailbox: row! };
  }

  const stillUncertain =
    result.mayExist ||
    (wasUncertain &&
      !(result.kind === "rejected" && PROVES_ABSENT.has(result.key)));
  return recordFailure(db, mailbox, result, {
    ...p,
    customerName,
    attempts,
    uncertainCreateAt: stillUncertain
      ? (mailbox.uncertainCreateAt ?? p.now)
      : null,
  });
}

/**
 * The signup password if Mailcow's live policy accepts it (docs/mailcow.md §6), undefined for a generated
 * one. Only a refused key is an error: a policy that cannot be read just means "generate one".
 */
async function ownPassword(
  mailcow: MailcowClient,
  password: string | undefined,
): Promise<MailcowResult<string | undefined>> {
  if (password === undefined || mailboxPasswordProblems(password, null).length)
    return { ok: true, value: undefined };
  const policy = await mailcow.getPasswordPolicy();
  if (!policy.ok)
    return policy.kind === "auth" ? policy : { ok: true, value: undefined };
  return {
    ok: true,
    value: mailboxPasswordProblems(password, policy.value).length
      ? undefined
      : password,
  };
}

async function recordFailure(
  db: Db,
  mailbox: MailboxRow,
  failure: MailcowFailure,
  p: ProvisionOptions & {
    customerName: string;
    attempts?: number;
    uncertainCreateAt?: Date | null;
  },
): Promise<ProvisionOutcome> {
  const { key, message } = describeFailure(failure);
  // A refused key or a misconfigured URL is fixed by an operator; the mailbox waits for that.
  const operatorProblem = failure.kind === "auth" || failure.kind === "config";
  const retry =
    operatorProblem ||
    failure.kind === "unknown" ||
    (failure.kind === "rejected" && RETRY_KEYS.has(failure.key));
  const attempts = p.attempts ?? mailbox.attempts;
  const refused =
    failure.kind === "rejected" && NAME_KEYS.has(failure.key)
      ? [...new Set([...mailbox.refusedLocalParts, mailbox.localPart])]
      : mailbox.refusedLocalParts;
  const [row] = await db
    .update(mailboxes)
    .set({
      status: retry ? "pending" : "failed",
      attempts,
      nextAttemptAt: retry
        ? new Date(
            p.now.getTime() +
              backoff(attempts, p.retrySeconds ?? DEFAULT_RETRY_SECONDS),
          )
        : null,
      lastErrorKey: key,
      lastErrorMessage: message,
      refusedLocalParts: refused,
      ...(p.uncertainCreateAt !== undefined && {
        uncertainCreateAt: p.uncertainCreateAt,
      }),
      updatedAt: p.now,
    })
    .where(eq(mailboxes.id, mailbox.id))
    .returning();
  // One entry per change of state or reason, not one per retry of the same problem.
  if (!retry || mailbox.lastErrorKey !== key) {
    await audit(
      db,
      row!,
      retry ? "mailbox.retry_scheduled" : "mailbox.failed",
      p.now,
      { key, message, attempts },
    );
    // An outage clears up by itself, and a refused key was mailed about once, when it was stopped;
    // a refusal or a full domain needs a person.
    if (failure.kind !== "unknown" && failure.kind !== "auth")
      await mailAdmins(
        db,
        mailboxTroubleMail({
          address: mailboxAddress(row!),
          customerName: p.customerName,
          reason: message,
          waiting: retry,
          url: `${env().appUrl}/staff/customers/${row!.userId}`,
        }),
        p.now,
      );
  }
  if (operatorProblem)
    return { status: "halted", mailbox: row!, reason: message };
  return retry
    ? { status: "pending", mailbox: row!, reason: message }
    : { status: "failed", mailbox: row!, reason: message };
}

/**
 * All the waiting on Mailcow signup (or the mailbox page) may do before answering: the name check
 * and the first attempt share it, so a hanging Mailcow costs the customer this much at most.
 */
export const SIGNUP_BUDGET_MS = 1_200;

/**
 * The customer's own attempt (at signup, or from the mailbox page), with the password they just
 * chose, held in memory only. It waits until `deadline` (SIGNUP_BUDGET_MS from now by default), so
 * signup stays quick when Mailcow is slow or down; the attempt then finishes through `keepAlive`
 * (Next's `after`), and if it never settles the scheduled job takes over.
 */
export async function provisionWithinBudget(
  db: Db,
  config: MailcowConfig,
  mailbox: MailboxRow,
  p: {
    password: string;
    now: Date;
    keepAlive: (work: Promise<unknown>) => void;
    /** When to stop waiting (epoch ms); the attempt itself goes on. */
    deadline?: number;
  },
): Promise<ProvisionOutcome["status"] | "in_progress"> {
  const attempt = provisionMailbox(db, mailcowClient(config), mailbox, {
    password: p.password,
    now: p.now,
    retrySeconds: config.retrySeconds,
  }).then(
    (outcome) => outcome.status,
    (error: unknown) => {
      // The row stays pending with its retry time; the scheduled job picks it up.
      log.error("mailbox.signup_attempt_failed", {
        mailboxId: mailbox.id,
        error: String(error),
      });
      return "pending" as const;
    },
  );
  p.keepAlive(attempt);
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<"in_progress">((resolve) => {
    timer = setTimeout(
      () => resolve("in_progress"),
      Math.max(0, (p.deadline ?? Date.now() + SIGNUP_BUDGET_MS) - Date.now()),
    );
  });
  try {
    return await Promise.race([attempt, budget]);
  } finally {
    clearTimeout(timer);
  }
}

export type ProvisionRunSummary = {
  attempted: number;
  active: number;
  pending: number;
  failed: number;
  halted: boolean;
};

/** The scheduled job's part: pending mailboxes whose time has come, oldest first, in a bounded batch. */
export async function provisionDueMailboxes(
  db: Db,
  client: MailcowClient,
  now: Date,
  options: { limit?: number; retrySeconds?: number } = {},
): Promise<ProvisionRunSummary> {
  const limit = options.limit ?? 20;
  // A refused key waits for an administrator: not one call until then (fail2ban).
  if (await getMailcowHalt(db, client))
    return { attempted: 0, active: 0, pending: 0, failed: 0, halted: true };
  const due = await db
    .select()
    .from(mailboxes)
    .where(
      and(
        eq(mailboxes.status, "pending"),
        or(isNull(mailboxes.nextAttemptAt), lte(mailboxes.nextAttemptAt, now)),
      ),
    )
    .orderBy(asc(mailboxes.nextAttemptAt))
    .limit(limit);
  const summary: ProvisionRunSummary = {
    attempted: 0,
    active: 0,
    pending: 0,
    failed: 0,
    halted: false,
  };
  for (const mailbox of due) {
    summary.attempted += 1;
    const outcome = await provisionMailbox(db, client, mailbox, {
      now,
      retrySeconds: options.retrySeconds,
    });
    if (outcome.status === "halted") {
      // A refused key counts towards Mailcow's fail2ban, and a wrong URL fails every row alike:
      // stop at the first one.
      summary.pending += 1;
      summary.halted = true;
      break;
    }
    summary[outcome.status] += 1;
  }
  return summary;
}

function backoff(attempts: number, retrySeconds: number): number {
  return Math.min(
    retrySeconds * 1000 * 2 ** Math.max(0, attempts - 1),
    MAX_RETRY_MS,
  );
}

function describeFailure(f: MailcowFailure): { key: string; message: string } {
  switch (f.kind) {
    case "rejected":
      // The key is kept beside the message; the message is the sentence staff read.
      return { key: f.key, message: f.message };
    case "auth":
      return { key: "auth", message: explainHalt(f) };
    case "unknown":
      return {
        key: "unknown",
        message: `Mailcow did not answer clearly (${f.detail}); trying again later.`,
      };
    default:
      return { key: f.kind, message: explainMailcowFailure(f) };
  }
}

async function audit(
  db: Db,
  row: MailboxRow,
  action: string,
  at: Date,
  data: Record<string, unknown>,
): Promise<void> {
  await recordAudit(db, {
    actor: { kind: "system" },
    action,
    entityType: "mailbox",
    entityId: row.id,
    data: { address: mailboxAddress(row), ...data },
    at,
  });
}

/**
 * A password nobody types: 24 characters with every class Mailcow's policy can ask for (§6), so it
 * passes whatever policy the admin set.
 */
export function generatePassword(): string {
  const chars = [
    ...randomBytes(20).toString("base64url").replace(/[-_]/g, "x"),
    "abcdefghijkmnpqrstuvwxyz"[randomInt(24)]!,
    "ABCDEFGHJKLMNPQRSTUVWXYZ"[randomInt(24)]!,
    "23456789"[randomInt(8)]!,
    "#%+=@"[randomInt(5)]!,
  ].slice(-24);
  // Shuffle so the guaranteed characters are not always at the end.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
