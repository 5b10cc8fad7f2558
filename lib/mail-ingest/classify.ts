import "server-only";
import { normaliseAddress, type ParsedMail } from "@/lib/mail-ingest/parse";

// Machine mail must never open a ticket, add a reply or trigger an autoresponse (mail loops).
// Bounces are checked first: most of them also carry Auto-Submitted.

export type MailClass =
  | { kind: "normal" }
  | { kind: "auto_reply"; reason: string }
  | {
      kind: "bounce";
      reason: string;
      /** Normalised addresses whose delivery failed permanently; empty for a delay warning. */
      failedRecipients: string[];
      /** Message-ID of the returned original, when the bounce quotes or attaches it. */
      originalMessageId: string | null;
    };

export function classifyMail(mail: ParsedMail): MailClass {
  const bounce = bounceReason(mail);
  if (bounce) return { kind: "bounce", ...bounceDetails(mail, bounce) };
  const autoReply = autoReplyReason(mail);
  if (autoReply) return { kind: "auto_reply", reason: autoReply };
  return { kind: "normal" };
}

const DAEMON_LOCAL_PART =
  /^(?:mailer-daemon|mail-daemon|mailerdaemon|postmaster|mail-delivery|maildelivery|mdaemon)$/i;
const NDR_SUBJECT =
  /undeliverable|undelivered mail|delivery status notification|mail delivery (?:failed|failure|system)|delivery failure|failure notice|returned mail|returning message to sender|non[- ]?delivery|nondeliverable|could not be delivered|message .{1,80} delayed/i;
const NDR_TEXT =
  /this message was created automatically by mail delivery software|this is the qmail-send program|delivery has failed to these recipients|could not be delivered to one or more|the following addresses had permanent fatal errors|i'm sorry to have to inform you that your message could not|your message (?:wasn't|was not|could not be) delivered/i;

function bounceReason(mail: ParsedMail): string | null {
  const h = mail.headers;
  if (
    h.contentType === "multipart/report" &&
    h.reportType === "delivery-status"
  ) {
    return "delivery status notification (multipart/report)";
  }
  if (h.deliveryStatus !== null) return "delivery status notification";
  if (h.xFailedRecipients.length > 0) return "X-Failed-Recipients header";
  if ("x-ms-exchange-message-is-ndr" in h.raw)
    return "Exchange non-delivery report";
  const looksLikeNdr =
    NDR_SUBJECT.test(mail.subject) || NDR_TEXT.test(mail.text.slice(0, 5000));
  if (!looksLikeNdr) return null;
  const local = mail.from?.address.split("@")[0] ?? "";
  if (DAEMON_LOCAL_PART.test(local)) return `non-delivery notice from ${local}`;
  // RFC 5321 §4.5.5: notifications travel with the null reverse-path.
  if (h.returnPath === "") return "non-delivery notice with null return path";
  return null;
}

type BounceDetails = {
  reason: string;
  failedRecipients: string[];
  originalMessageId: string | null;
};

function bounceDetails(mail: ParsedMail, reason: string): BounceDetails {
  const originalMessageId = originalMessageIdOf(mail);
  const dsn = dsnRecipients(mail.headers.deliveryStatus ?? "");
  const failed = unique(dsn.failed);
  if (failed.length > 0)
    return { reason, failedRecipients: failed, originalMessageId };
  // A delayed DSN is a warning that delivery is still being tried, not a failure.
  if (
    dsn.delayed.length > 0 ||
    (mail.headers.xFailedRecipients.length === 0 && isDelayWarning(mail))
  ) {
    return {
      reason: `${reason}: delivery delayed`,
      failedRecipients: [],
      originalMessageId,
    };
  }
  const fromHeader = unique(mail.headers.xFailedRecipients);
  const recipients =
    fromHeader.length > 0 ? fromHeader : unique(recipientsInText(mail.text));
  return { reason, failedRecipients: recipients, originalMessageId };
}

function unique(addresses: string[]): string[] {
  return [
    ...new Set(addresses.map(normaliseAddress).filter((a) => a.includes("@"))),
  ];
}

// Anchored: a failure notice may quote a subject that says "delayed".
const DELAY_SUBJECT =
  /^(?:warning: message \S+ delayed|delivery status notification \(delay\)|delayed mail|delivery delayed)/i;
const DELAY_TEXT =
  /has not yet been delivered|delivery attempts will continue|will continue to (?:try|retry)|still trying to deliver/i;

function isDelayWarning(mail: ParsedMail): boolean {
  return (
    DELAY_SUBJECT.test(mail.subject) ||
    DELAY_TEXT.test(mail.text.slice(0, 5000))
  );
}

type DsnRecipients = { failed: string[]; delayed: string[] };

// RFC 3464: a per-message block, then one block per recipient, separated by blank lines.
function dsnRecipients(status: string): DsnRecipients {
  const out: DsnRecipients = { failed: [], delayed: [] };
  for (const block of status.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const fields = headerFields(block);
    const recipient = addressIn(
      fields.get("original-recipient") ?? fields.get("final-recipient") ?? "",
    );
    if (!recipient) continue;
    const action = (fields.get("action") ?? "").trim().toLowerCase();
    const code = (fields.get("status") ?? "").trim();
    if (action === "failed" || (!action && code.startsWith("5")))
      out.failed.push(recipient);
    else if (action === "delayed" || (!action && code.startsWith("4")))
      out.delayed.push(recipient);
  }
  return out;
}

/** First value of each field in a header-like block, keys lower-cased, continuation lines unfolded. */
function headerFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of block.replace(/\r?\n(?=[ \t])/g, " ").split(/\r?\n/)) {
    const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
    if (m?.[1] && !fields.has(m[1].toLowerCase()))
      fields.set(m[1].toLowerCase(), m[2] ?? "");
  }
  return fields;
}

// "rfc822; user@example.com" or "<user@example.com>".
function addressIn(value: string): string | null {
  const address = value
    .replace(/^[^;]*;/, "")
    .trim()
    .replace(/^<|>$/g, "");
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : null;
}

// Lines that introduce the list of failed recipients in plain-text NDRs (Exim, qmail, Exchange,
// Office 365, Sendmail, Postfix).
const FAILED_LIST_INTRO =
  /following address(?:es|\(es\))? failed|(?:wasn't|was not|not) able to deliver your message to the following addresses|delivery has failed to these recipients|following addresses had permanent fatal errors|could not be delivered to (?:one or more recipients|the following recipients)/i;
const GMAIL_FAILED =
  /your message (?:wasn't|was not|could not be) delivered to ([^\s<>]+@[^\s<>]+?) because/i;

function recipientsInText(text: string): string[] {
  const inline = GMAIL_FAILED.exec(text)?.[1];
  if (inline) return [inline];

  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const intro = lines.findIndex(
    (l) => l.length < 400 && FAILED_LIST_INTRO.test(l),
  );
  if (intro === -1) return [];
  // One paragraph per recipient, each starting with the address; the list ends at the first other paragraph.
  const found: string[] = [];
  let i = intro + 1;
  // The introduction may run on for a line or two ("This is a permanent error; …").
  while (
    i < lines.length &&
    (lines[i] ?? "").trim() !== "" &&
    !recipientLine(lines[i] ?? "")
  )
    i++;
  while (i < lines.length) {
    while (i < lines.length && (lines[i] ?? "").trim() === "") i++;
    const first = recipientLine(lines[i] ?? "");
    if (!first) break;
    for (; i < lines.length && (lines[i] ?? "").trim() !== ""; i++) {
      const address = recipientLine(lines[i] ?? "");
      if (address) found.push(address);
    }
  }
  return found;
}

function recipientLine(line: string): string | null {
  const trimmed = line.trim();
  if (trimmed.length > 300) return null;
  const mailto = /^[^<>]{0,100}<mailto:([^\s<>@]+@[^\s<>@]+)>$/i.exec(trimmed);
  if (mailto?.[1]) return mailto[1];
  const bare = /^<?([^\s<>()"@]+@[^\s<>()":@]+)>?:?$/.exec(trimmed);
  if (bare?.[1]) return bare[1];
  // Postfix: "<user@example.com>: host mx.example.com said: 550 …"
  const postfix = /^<([^\s<>@]+@[^\s<>@]+)>:\s/.exec(trimmed);
  return postfix?.[1] ?? null;
}

// Where plain-text bounces paste the original's headers.
const COPY_MARKER =
  /^\s*-*\s*(?:this is a copy of (?:the|your) message, including all the headers\.?|below this line is a copy of the message\.?|original message headers:?|(?:original|returned|undelivered) message(?: follows)?:?|the original message headers (?:are|were):?)\s*-*\s*$/im;

function originalMessageIdOf(mail: ParsedMail): string | null {
  const attached = mail.headers.attachedMessageHeaders;
  if (attached !== null) {
    const id = messageIdIn(attached);
    if (id) return id;
  }
  const marker = COPY_MARKER.exec(mail.text);
  if (!marker) return null;
  const after = mail.text
    .slice(marker.index + marker[0].length)
    .replace(/^\s*\n/, "");
  const end = after.search(/\n[ \t]*\n/);
  return messageIdIn(end === -1 ? after : after.slice(0, end));
}

function messageIdIn(headers: string): string | null {
  const value = headerFields(headers.replace(/^\s+/, "")).get("message-id");
  return value ? (/<[^<>\s]+>/.exec(value)?.[0] ?? null) : null;
}

const AUTO_REPLY_SUBJECT =
  /^\s*(?:out of (?:the )?office|automatic reply|auto[- ]?reply|auto[- ]?response|autorespon(?:se|s|der)|abwesenheitsnotiz|automatische antwort|abwesend\b|réponse automatique|absen(?:ce|t|te) du bureau|absence\s*:|respuesta automática|fuera de la oficina|risposta automatica|fuori sede|resposta automática|automatisch antwoord|afwezig\b|autosvar|automaattinen vastaus|odpowiedź automatyczna|автоответ|автоматический ответ|رد تلقائي|الرد التلقائي|自动回复|自動回覆|自動応答)/iu;

// Header names from RFC 3834 and the vendor headers osTicket also honours.
const AUTO_REPLY_HEADERS = [
  "x-autoreply-from",
  "x-mail-autoreply",
  "x-autoresponse",
];

function autoReplyReason(mail: ParsedMail): string | null {
  const h = mail.headers;
  const autoSubmitted = firstToken(h.autoSubmitted);
  if (autoSubmitted && autoSubmitted !== "no")
    return `Auto-Submitted: ${autoSubmitted}`;
  if (h.xAutoreply) return "X-Autoreply header";
  if (h.xAutorespond) return "X-Autorespond header";
  const header = AUTO_REPLY_HEADERS.find((name) => name in h.raw);
  if (header) return `${header} header`;
  if (firstToken(h.raw["x-autogenerated"]?.[0] ?? null) === "reply")
    return "X-Autogenerated: reply";
  const precedence = firstToken(
    h.precedence ?? h.raw["x-precedence"]?.[0] ?? null,
  );
  if (precedence && ["auto_reply", "bulk", "junk"].includes(precedence)) {
    return `Precedence: ${precedence}`;
  }
  if (firstToken(h.raw["x-apple-action"]?.[0] ?? null) === "vacation")
    return "X-Apple-Action: vacation";
  if (
    h.contentType === "multipart/report" &&
    h.reportType === "disposition-notification"
  ) {
    return "read receipt (disposition notification)";
  }
  const subject = AUTO_REPLY_SUBJECT.exec(mail.subject);
  if (subject) return `subject "${subject[0].trim()}"`;
  return null;
}

// "auto-generated (failure)" → "auto-generated"; values may carry comments or parameters.
function firstToken(value: string | null): string | null {
  const token = value
    ?.trim()
    .split(/[\s;(]/)[0]
    ?.toLowerCase();
  return token ? token : null;
}
