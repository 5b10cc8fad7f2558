// Portico-side shapes for Mailcow (docs/mailcow.md). Client-safe: types only.

import type { Mailbox as MailboxRow } from "@/db/schema";

/** A mailbox's state as the pages show it: Portico's, or "missing" when Mailcow no longer has it. */
export type MailboxDisplayStatus = MailboxRow["status"] | "missing";

/** Mailcow's `active`: 1 active, 0 disabled (no login, no delivery), 2 login disabled (mail still accepted). */
export type MailboxActivity = "active" | "disabled" | "login_disabled";

export type Mailbox = {
  /** Normalised full address, as Mailcow stores it. */
  address: string;
  localPart: string;
  domain: string;
  name: string;
  activity: MailboxActivity;
  /** Bytes; 0 means unlimited. */
  quotaBytes: number;
  /** Bytes in use; updated by Dovecot, so it lags behind real activity. */
  quotaUsedBytes: number;
  messages: number;
  /** Unix seconds, or null when the mailbox never logged in over IMAP. */
  lastImapLoginAt: number | null;
  forcePasswordUpdate: boolean;
  tags: string[];
};

export type MailcowDomain = {
  domain: string;
  isActive: boolean;
  maxMailboxes: number;
  mailboxes: number;
  mailboxesLeft: number;
  /** All sizes in bytes (Mailcow converts the MiB it stores). */
  maxQuotaPerMailboxBytes: number;
  maxQuotaForDomainBytes: number;
  quotaAllocatedBytes: number;
  maxNewMailboxQuotaBytes: number;
};

/** Mailcow's live password policy (docs/mailcow.md §6); the flags are "rule enabled". */
export type MailcowPasswordPolicy = {
  /** Minimum length in UTF-8 bytes, not characters. */
  minBytes: number;
  needsLetter: boolean;
  needsSpecial: boolean;
  needsLowerAndUpper: boolean;
  needsDigit: boolean;
};

export type MailcowFailure =
  /** Mailcow ran the request and refused it with a `danger` message key (docs/mailcow.md §5). */
  | {
      ok: false;
      kind: "rejected";
      key: string;
      args: unknown[];
      message: string;
    }
  /** Timeout, network error, 5xx, empty or non-JSON body: the change may or may not have happened. */
  | { ok: false; kind: "unknown"; detail: string }
  /** 401 (wrong key or IP; fail2ban counts it) or 403 (read-only key). Never retried. */
  | { ok: false; kind: "auth"; status: number; message: string }
  /** Redirects, routing errors and unexpected shapes: fix the configuration or the client. */
  | { ok: false; kind: "config"; detail: string }
  /** Input the client refuses to send because Mailcow would mishandle it silently. */
  | { ok: false; kind: "invalid"; field: string; message: string };

export type MailcowResult<T> = { ok: true; value: T } | MailcowFailure;

/** One mail service as a client connects to it; both ports reach the same server. */
export type MailServerSettings = {
  host: string;
  /** TLS from the first byte (993, 465, 995 by default); what clients should try first. */
  sslPort: number;
  /** A plain connection upgraded with STARTTLS (143, 587, 110 by default). */
  starttlsPort: number;
};

/** What a customer enters in a mail client for their mailbox (docs/mailcow.md §7). Plain data, safe to pass to the browser. */
export type MailClientSettings = {
  address: string;
  /** The mailbox domain; Thunderbird's provider id. */
  domain: string;
  /** Always the full address (docs/mailcow.md §7). */
  username: string;
  /** Thunderbird's "normal password": PLAIN/LOGIN, which Mailcow accepts only over TLS. */
  authentication: "normal-password";
  imap: MailServerSettings;
  /** Submission for mail clients; port 25 is for server-to-server delivery only. */
  smtp: MailServerSettings;
  pop3: MailServerSettings;
  webmailUrl: string;
};
