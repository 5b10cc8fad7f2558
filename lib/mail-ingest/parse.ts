import "server-only";
import { createHash } from "node:crypto";
import {
  simpleParser,
  type AddressObject,
  type Attachment,
  type EmailAddress,
  type HeaderLines,
  type HeaderValue,
  type SimpleParserOptions,
  type StructuredHeader,
} from "mailparser";
import { storableText } from "@/lib/text";
import { cleanContentType, cleanFilename } from "@/lib/tickets/attachments";

export type MailAddress = { address: string; name: string };

export type ParsedAttachment = {
  name: string;
  type: string;
  data: Uint8Array;
  /** Without angle brackets, as `cid:` URLs in the HTML name it. */
  contentId: string | null;
  inline: boolean;
};

export type ParsedMail = {
  /** With angle brackets, e.g. "<abc@x>"; null when the header is missing. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: MailAddress | null;
  replyTo: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  date: Date | null;
  /** The text/plain body, or text derived from the HTML when there is no usable text part. */
  text: string;
  /** The HTML part as sent (not sanitised), cid: links kept. */
  html: string | null;
  attachments: ParsedAttachment[];
  headers: MailHeaders;
  /** sha256 hex of the raw bytes without a leading mbox "From " line: the dedupe key when Message-ID is missing. */
  contentHash: string;
  sizeBytes: number;
};

export type MailHeaders = {
  autoSubmitted: string | null;
  precedence: string | null;
  xAutoreply: boolean;
  xAutorespond: boolean;
  /** Top-level MIME type, lower-cased, e.g. "multipart/report". */
  contentType: string;
  reportType: string | null;
  /** Addresses from X-Failed-Recipients (Exim, Gmail), normalised. */
  xFailedRecipients: string[];
  /** The Return-Path address; "" for the null sender "<>", null when absent. */
  returnPath: string | null;
  /** Body of the message/delivery-status part of a DSN, null when there is none. */
  deliveryStatus: string | null;
  /** Header section of the first attached message (message/rfc822 or text/rfc822-headers part). */
  attachedMessageHeaders: string | null;
  /** Every top-level header, key lower-cased, value unfolded and not decoded, in order. */
  raw: Record<string, string[]>;
};

export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** The sender's display name, or osTicket's fallback: the local part with its first letter upper-cased. */
export function displayNameFor(from: MailAddress): string {
  const name = from.name.trim();
  if (name) return name;
  const local = from.address.trim().split("@")[0] ?? "";
  if (!local) return from.address.trim();
  return local.charAt(0).toUpperCase() + local.slice(1);
}

// mailparser's option to leave delivery-status parts out of the text is missing from its types.
type ParserOptions = SimpleParserOptions & { keepDeliveryStatus: boolean };

const PARSER_OPTIONS: ParserOptions = {
  keepDeliveryStatus: true,
  keepCidLinks: true,
  skipImageLinks: true,
  skipTextLinks: true,
  skipTextToHtml: true,
};

const REPORT_PARTS = new Set([
  "message/delivery-status",
  "message/global-delivery-status",
]);
const ATTACHED_HEADER_PARTS = new Set([
  "text/rfc822-headers",
  "message/rfc822-headers",
  "text/global-headers",
]);
const ATTACHED_MESSAGE_PARTS = new Set(["message/rfc822", "message/global"]);

/** Never throws: input that is not a mail yields a ParsedMail with from: null and an empty body. */
export async function parseMail(raw: Uint8Array | Buffer): Promise<ParsedMail> {
  const bytes = withoutMboxFromLine(
    Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
  );
  const contentHash = createHash("sha256").update(bytes).digest("hex");
  const base = { contentHash, sizeBytes: raw.byteLength };

  try {
    return { ...(await parseBytes(bytes)), ...base };
  } catch {
    return { ...emptyMail(), ...base };
  }
}

async function parseBytes(
  bytes: Buffer,
): Promise<Omit<ParsedMail, "contentHash" | "sizeBytes">> {
  const flowed = neutraliseFlowed(bytes);
  const parsed = await simpleParser(flowed?.bytes ?? bytes, PARSER_OPTIONS);
  const raws = rawHeaders(parsed.headerLines ?? []);
  const contentTypeHeader = parsed.headers.get("content-type");
  const structured = isStructured(contentTypeHeader) ? contentTypeHeader : null;
  const contentType = structured?.value.toLowerCase() ?? "text/plain";
  const reportType = structured?.params["report-type"]?.toLowerCase() ?? null;

  const html =
    typeof parsed.html === "string" && parsed.html.trim() ? parsed.html : null;
  let text = parsed.text ?? "";
  if (text.includes("\uFFFD") && !contentTypeHeader) {
    text =
      undeclaredCharsetText(
        bytes,
        raws["content-transfer-encoding"]?.[0] ?? null,
      ) ?? text;
  }
  if (flowed && text) text = unflow(text, flowed.delSp);
  if (!text.trim() && html) text = await htmlToText(html);

  const parts = splitParts(parsed.attachments);
  const first = (key: string) => raws[key]?.[0] ?? null;

  return {
    messageId: messageIds(first("message-id") ?? "")[0] ?? null,
    inReplyTo: [...new Set(messageIds((raws["in-reply-to"] ?? []).join(" ")))],
    references: messageIds((raws["references"] ?? []).join(" ")),
    from: addresses(parsed.from)[0] ?? null,
    replyTo: addresses(parsed.replyTo)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    // A mail may carry NUL bytes (or encoded ones); PostgreSQL's text cannot hold them.
    subject: storableText((parsed.subject ?? "").trim()),
    date: parseDate(first("date")),
    text: storableText(text),
    html: html && storableText(html),
    attachments: parts.attachments,
    headers: {
      autoSubmitted: first("auto-submitted"),
      precedence: first("precedence"),
      xAutoreply: "x-autoreply" in raws,
      xAutorespond: "x-autorespond" in raws,
      contentType,
      reportType,
      xFailedRecipients: (raws["x-failed-recipients"] ?? []).flatMap((v) =>
        (v.match(/[^\s,;<>"]+@[^\s,;<>"]+/g) ?? []).map(normaliseAddress),
      ),
      returnPath: returnPath(first("return-path")),
      deliveryStatus: parts.deliveryStatus,
      attachedMessageHeaders: parts.attachedMessageHeaders,
      raw: raws,
    },
  };
}

// A mail without any Content-Type is us-ascii by RFC 2045, yet old MTAs and antivirus footers put
// raw 8-bit Latin-1 bytes in such bodies; read those as windows-1252 instead of losing characters.
function undeclaredCharsetText(
  bytes: Buffer,
  encoding: string | null,
): string | null {
  if (encoding && !/^(?:7bit|8bit|binary)$/i.test(encoding)) return null;
  const headerEnd = /\r?\n\r?\n/.exec(bytes.toString("latin1"));
  if (!headerEnd) return null;
  const body = bytes.subarray(headerEnd.index + headerEnd[0].length);
  return new TextDecoder("windows-1252").decode(body).replace(/\r\n?/g, "\n");
}

function isStructured(
  value: HeaderValue | undefined,
): value is StructuredHeader {
  return (
    typeof value === "object" &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    typeof value.value === "string" &&
    "params" in value
  );
}

function emptyMail(): Omit<ParsedMail, "contentHash" | "sizeBytes"> {
  return {
    messageId: null,
    inReplyTo: [],
    references: [],
    from: null,
    replyTo: null,
    to: [],
    cc: [],
    subject: "",
    date: null,
    text: "",
    html: null,
    attachments: [],
    headers: {
      autoSubmitted: null,
      precedence: null,
      xAutoreply: false,
      xAutorespond: false,
      contentType: "text/plain",
      reportType: null,
      xFailedRecipients: [],
      returnPath: null,
      deliveryStatus: null,
      attachedMessageHeaders: null,
      raw: {},
    },
  };
}

// MTAs delivering to a pipe or an mbox put an envelope line "From sender date" before the headers.
function withoutMboxFromLine(bytes: Buffer): Buffer {
  if (bytes.subarray(0, 5).toString("latin1") !== "From ") return bytes;
  const end = bytes.indexOf(0x0a);
  return end === -1 ? Buffer.alloc(0) : bytes.subarray(end + 1);
}

function rawHeaders(lines: HeaderLines): Record<string, string[]> {
  // No prototype: a header named "constructor" or "__proto__" is just a header.
  const out: Record<string, string[]> = Object.create(null);
  for (const { key, line } of lines) {
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const value = line
      .slice(colon + 1)
      .replace(/\r?\n(?=[ \t])/g, "")
      .trim();
    (out[key.toLowerCase()] ??= []).push(value);
  }
  return out;
}

function messageIds(value: string): string[] {
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  // Some clients drop the brackets; keep the form stored Message-IDs have.
  return (value.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []).map((id) => `<${id}>`);
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function returnPath(value: string | null): string | null {
  if (value === null) return null;
  const inner = /<([^>]*)>/.exec(value)?.[1] ?? value;
  return normaliseAddress(inner);
}

function addresses(
  field: AddressObject | AddressObject[] | undefined,
): MailAddress[] {
  if (!field) return [];
  const flat = (list: EmailAddress[]): EmailAddress[] =>
    list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  return flat([field].flat().flatMap((f) => f.value))
    .map((a) => ({
      address: (a.address ?? "").trim(),
      name: storableText((a.name ?? "").trim()),
    }))
    .filter((a) => /^[^\s@]+@[^\s@]+$/.test(a.address));
}

type SplitParts = {
  attachments: ParsedAttachment[];
  deliveryStatus: string | null;
  attachedMessageHeaders: string | null;
};

// Report parts feed classification; everything a person sent (files, inline images, attached mail) is kept.
function splitParts(list: Attachment[]): SplitParts {
  const out: SplitParts = {
    attachments: [],
    deliveryStatus: null,
    attachedMessageHeaders: null,
  };
  for (const part of list) {
    const type = (part.contentType || "application/octet-stream").toLowerCase();
    const content = part.content ?? Buffer.alloc(0);
    if (REPORT_PARTS.has(type)) {
      out.deliveryStatus ??= content.toString("utf8");
      continue;
    }
    if (ATTACHED_HEADER_PARTS.has(type)) {
      out.attachedMessageHeaders ??= headerSection(content.toString("utf8"));
      continue;
    }
    const isMessage = ATTACHED_MESSAGE_PARTS.has(type);
    if (isMessage)
      out.attachedMessageHeaders ??= headerSection(content.toString("utf8"));

    const disposition: string | undefined = part.contentDisposition;
    const cid = part.cid ?? part.contentId?.replace(/^<|>$/g, "") ?? null;
    // A part without name, id or disposition is an alternative body (text/watch-html, say), not a file.
    if (!part.filename && !isMessage && !cid && !disposition) continue;

    const inline =
      Boolean(cid) && (disposition === "inline" || part.related === true);
    const index = out.attachments.length + 1;
    const name =
      part.filename?.trim() ||
      (isMessage
        ? "forwarded.eml"
        : `${inline ? "inline" : "attachment"}-${index}.${extension(type)}`);
    // As for web uploads: the name and type end up in download headers and on the agent's disk.
    out.attachments.push({
      name: cleanFilename(name),
      type: cleanContentType(type),
      data: content,
      contentId: cid || null,
      inline,
    });
  }
  return out;
}

function headerSection(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  return end === -1 ? message : message.slice(0, end);
}

function extension(type: string): string {
  const subtype = type.split("/")[1] ?? "bin";
  return /^[a-z0-9]{1,8}$/.test(subtype) ? subtype : "bin";
}

// mailparser converts HTML to text only for HTML-only mail; an empty text/plain beside real HTML
// needs the same conversion, so run the HTML through it on its own.
async function htmlToText(html: string): Promise<string> {
  const mail = Buffer.from(
    `Content-Type: text/html; charset=utf-8\r\n\r\n${html}`,
    "utf8",
  );
  try {
    return (await simpleParser(mail, PARSER_OPTIONS)).text ?? "";
  } catch {
    return "";
  }
}

// mailparser unfolds format=flowed text without regard to quote depth, so a quoted line ending in a
// space swallows the unquoted answer after it (RFC 3676 §4.5 forbids that). Mark flowed parts as
// fixed in the MIME headers before parsing and unflow afterwards, depth-aware.
function neutraliseFlowed(
  bytes: Buffer,
): { bytes: Buffer; delSp: boolean } | null {
  const source = bytes.toString("latin1");
  if (!/format\s*=\s*"?flowed/i.test(source)) return null;

  const boundaries = new Set<string>();
  for (const m of source.matchAll(
    /boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))/gi,
  )) {
    const boundary = m[1] ?? m[2];
    if (boundary) boundaries.add(`--${boundary}`);
  }

  let inHeaders = true;
  let inContentType = false;
  let delSp = false;
  let changed = false;
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const bare = line.replace(/\r$/, "");
    if (!inHeaders) {
      if (boundaries.has(bare.trimEnd())) inHeaders = true;
      continue;
    }
    if (bare === "") {
      inHeaders = false;
      inContentType = false;
      continue;
    }
    const continuation = /^[ \t]/.test(bare);
    inContentType = continuation
      ? inContentType
      : /^content-type\s*:/i.test(bare);
    if (!inContentType) continue;
    if (/delsp\s*=\s*"?yes/i.test(bare)) delSp = true;
    const rewritten = line.replace(/(format\s*=\s*"?)flowed/i, "$1fixed");
    if (rewritten !== line) {
      lines[i] = rewritten;
      changed = true;
    }
  }
  return changed
    ? { bytes: Buffer.from(lines.join("\n"), "latin1"), delSp }
    : null;
}

// RFC 3676: a line ending in a space continues on the next line of the same quote depth.
function unflow(text: string, delSp: boolean): string {
  const out: string[] = [];
  let open: { depth: number; content: string } | null = null;
  const flush = () => {
    if (!open) return;
    out.push(
      open.depth
        ? `${">".repeat(open.depth)} ${open.content}`.trimEnd()
        : open.content,
    );
    open = null;
  };
  for (const line of text.split("\n")) {
    const depth = /^>*/.exec(line)?.[0].length ?? 0;
    let content = line.slice(depth);
    if (depth > 0 || content.startsWith(" "))
      content = content.replace(/^ /, "");
    const isSignature = content === "-- ";
    const flowedLine = !isSignature && content.endsWith(" ");
    if (open && open.depth === depth) {
      open.content += content;
    } else {
      flush();
      open = { depth, content };
    }
    if (flowedLine) {
      if (delSp) open.content = open.content.slice(0, -1);
    } else {
      flush();
    }
  }
  flush();
  return out.join("\n");
}
