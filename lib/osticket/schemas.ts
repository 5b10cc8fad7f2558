import { MAX_SERIAL_ID } from "@/lib/ids";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { storableText } from "@/lib/text";
import {
  DUEDATE_INVALID,
  DUEDATE_PAST,
  MESSAGE_REQUIRED,
  ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL,
  ORIGIN_INVALID,
  ORIGIN_WEB_WITHOUT_TOPIC,
  osTicketFailure,
  SUBJECT_REQUIRED,
  USER_INCOMPLETE,
  type OsTicketResult,
  type ValidationError,
} from "@/lib/osticket/errors";
import type { TICKET_PRIORITIES } from "@/lib/tickets/schemas";

// osTicket 1.18's ticket API request formats (docs/api.md §4–§6, §11). Client-safe
// and framework-free: the route reads the body, this module decides what it means, and the database
// questions (user lookup, ban list, DNS, topic) stay with the caller.

export type OsTicketPriority = (typeof TICKET_PRIORITIES)[number];

export type OsTicketMessage = {
  format: "text" | "html";
  /** Emoji removed; an empty message is `-`. HTML is not yet sanitised. */
  body: string;
};

export type OsTicketAttachment = {
  name: string;
  type: string;
  data: Uint8Array;
};

/** A file dropped without failing the ticket; upstream records it in a "File Import Error" internal note. */
export type OsTicketRejectedFile = {
  name: string;
  reason: "too_large" | "unreadable" | "type_not_allowed";
};

export type OsTicketPhone =
  /** Digits plus an optional `X<extension>`, punctuation removed. */
  | { isValid: true; number: string }
  /** Fails user validation only when a new user is created. */
  | { isValid: false; raw: string };

export type OsTicketRequest = {
  source: "api";
  /** A single bare address, trimmed; DNS is not checked here. */
  email: string;
  /** HTML stripped. Only a new user needs it; an existing user's name is never updated. */
  name?: string;
  phone?: OsTicketPhone;
  /** Internal notes for a new user. */
  notes?: string;
  /** Emoji removed. */
  subject: string;
  message: OsTicketMessage;
  alert: boolean;
  autorespond: boolean;
  /** A numeric id to resolve; an unknown or inactive topic is silently ignored upstream. */
  topicId?: number;
  /** Absent means the topic's or the default priority. */
  priority?: OsTicketPriority;
  /** The submitter's IP as sent, unvalidated; absent means the caller's address. */
  ip?: string;
  attachments: OsTicketAttachment[];
  rejectedFiles: OsTicketRejectedFile[];
  // `duedate` is validated but never stored for API tickets (§4), so it is not carried.
};

export type OsTicketParseOptions = {
  /** Due dates must be later than this. */
  now: Date;
  /** Per-file limit in bytes; osTicket's default `max_file_size` is 1 MB. */
  maxFileBytes?: number;
};

/** Upstream has no limit of its own and crashes past PHP's 8 MB `post_max_size` (§12). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

// PHP's json_decode default depth.
const MAX_JSON_DEPTH = 512;
const PRIORITIES_BY_ID: Record<string, OsTicketPriority> = {
  "1": "low",
  "2": "normal",
  "3": "high",
  "4": "emergency",
};
const DEFAULT_FILE_TYPE = "application/octet-stream";

/** Parses a `tickets.json` body. Pass the raw bytes when possible so invalid UTF-8 is reported as upstream does. */
export function parseOsTicketJson(
  body: string | Uint8Array,
  options: OsTicketParseOptions,
): OsTicketResult<OsTicketRequest> {
  const text = decodeBody(body);
  if (text === "too_large") return osTicketFailure({ kind: "body_too_large" });
  if (text === "bad_utf8") return osTicketFailure({ kind: "json_utf8" });

  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return osTicketFailure({ kind: "json_depth" });
  let decoded: unknown;
  try {
    // PHP keeps `\u0000` and a lone `\ud800` in a string; PostgreSQL's text cannot hold them.
    decoded = JSON.parse(text, (_key, value: unknown) =>
      typeof value === "string" ? storableText(value) : value,
    );
  } catch {
    return osTicketFailure({
      kind: hasRawControlCharacter(text)
        ? "json_control_character"
        : "json_syntax",
    });
  }
  // Upstream refuses any falsy decode result with the decoder's (empty) error text.
  if (!isPhpTruthy(decoded)) return osTicketFailure({ kind: "empty_request" });
  // A top-level array or scalar has none of the fields, so each required one is reported missing.
  const fields = isRecord(decoded) ? decoded : {};

  const message = jsonMessage(fields.message);
  if (message === "not_text")
    // Quirk (§8 row 18): upstream crashes with a 200 error page; Portico answers 400.
    return osTicketFailure({ kind: "message_not_text" });

  return buildRequest(
    fields,
    {
      alert: jsonFlag(fields, "alert"),
      autorespond: jsonFlag(fields, "autorespond"),
      message,
      files: () => jsonFiles(fields.attachments),
    },
    options,
  );
}

/** Parses a `tickets.xml` body: a `<ticket>` whose simple fields are attributes or child elements. */
export function parseOsTicketXml(
  body: string | Uint8Array,
  options: OsTicketParseOptions,
): OsTicketResult<OsTicketRequest> {
  const text = decodeBody(body);
  if (text === "too_large") return osTicketFailure({ kind: "body_too_large" });
  // Quirk (§8 row 18, §11): upstream crashes on malformed XML; Portico answers 400.
  if (text === "bad_utf8" || text.trim() === "" || !isWellFormedXml(text))
    return osTicketFailure({ kind: "xml_syntax" });

  const document: unknown = xmlParser().parse(text);
  const root = isRecord(document) ? document : {};
  const fields = flattenXmlElement(
    isRecord(root.ticket) ? root.ticket : root.ticket === "" ? {} : root,
  );

  const message = xmlMessage(fields.message);
  if (message === "not_text")
    return osTicketFailure({ kind: "message_not_text" });

  return buildRequest(
    fields,
    {
      alert: xmlFlag(fields.alert),
      autorespond: xmlFlag(fields.autorespond),
      message,
      files: () => xmlFiles(fields.attachments),
    },
    options,
  );
}

/** The text upstream writes into the "File Import Error" internal note. */
// osTicket's own wording for each refusal (its uploadAttachment).
const REJECTION_TEXT: Record<OsTicketRejectedFile["reason"], string> = {
  too_large: "File size is too large",
  unreadable: "Unable to save file",
  type_not_allowed: "File type is not allowed",
};

export function describeRejectedFile(file: OsTicketRejectedFile): string {
  return `${file.name}: ${REJECTION_TEXT[file.reason]}`;
}

/** Whether a new user can be created from the request's contact fields (§7.3). */
export function hasNewUserDetails(request: OsTicketRequest): boolean {
  return canCreateUser(request.name, request.phone);
}

type FormatParts = {
  alert: boolean;
  autorespond: boolean;
  message: OsTicketMessage | undefined;
  files: () => {
    attachments: OsTicketAttachment[];
    rejected: RawFile[];
  };
};

type RawFile = {
  name: string;
  reason: OsTicketRejectedFile["reason"] | "check_size";
};

type FieldMap = Record<string, unknown>;

type Refusal = ReturnType<typeof osTicketFailure>;

function buildRequest(
  fields: FieldMap,
  parts: FormatParts,
  options: OsTicketParseOptions,
): OsTicketResult<OsTicketRequest> {
  // The origin is checked before anything else upstream.
  const origin = originFailure(fields);
  if (origin) return origin;

  const email = bareEmail(fields.email);
  const subject = stripEmoji(scalarText(fields.subject)?.trim() ?? "");
  const errors: ValidationError[] = [];
  if (email === undefined) errors.push(USER_INCOMPLETE);
  if (subject === "") errors.push(SUBJECT_REQUIRED);
  if (parts.message === undefined) errors.push(MESSAGE_REQUIRED);
  const due = dueDateError(fields.duedate, options.now);
  if (due) errors.push(due);
  const name = optionalText(fields.name, stripTags);
  const phoneNumber = phone(fields.phone);
  if (errors.length > 0 || email === undefined || !parts.message)
    return osTicketFailure({
      kind: "validation",
      errors,
      email,
      newUserDetails: canCreateUser(name, phoneNumber),
    });

  const { attachments, rejected } = parts.files();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const rejectedFiles: OsTicketRejectedFile[] = rejected.map((r) => ({
    name: r.name,
    reason: r.reason === "check_size" ? "too_large" : r.reason,
  }));
  const accepted = attachments.filter((file) => {
    if (file.data.byteLength <= maxFileBytes) return true;
    rejectedFiles.push({ name: file.name, reason: "too_large" });
    return false;
  });

  return {
    ok: true,
    value: {
      source: "api",
      email,
      name,
      phone: phoneNumber,
      notes: optionalText(fields.notes),
      subject,
      message: parts.message,
      alert: parts.alert,
      autorespond: parts.autorespond,
      topicId: topicId(fields.topicId),
      priority: priority(fields.priorityId) ?? priority(fields.priority),
      ip: optionalText(fields.ip),
      attachments: accepted,
      rejectedFiles,
    },
  };
}

/** The refusal for any source but API, which is the only one the API can create tickets with. */
function originFailure(fields: FieldMap): Refusal | undefined {
  const source = fields.source;
  // A falsy source means the default, API.
  if (!isPhpTruthy(source)) return undefined;
  const origin = typeof source === "string" ? source.toLowerCase() : "";
  if (origin === "api") return undefined;
  // Invalid and Email origins answer with their own errors alone (§8 rows 14–15).
  // The portal has no system emails and ignores `emailId` (§4.1), so Email never has one.
  if (origin === "email")
    return validationFailure(ORIGIN_EMAIL_WITHOUT_SYSTEM_EMAIL);
  if (origin === "web") return webFormFailure(fields);
  return validationFailure(ORIGIN_INVALID);
}

// With source Web upstream validates its web form, whose fields are never read from the request, so
// `subject` and `message` are missing whatever was sent and a Web request can never succeed.
function webFormFailure(fields: FieldMap): Refusal {
  // Upstream's check of the topic is only "present and numeric"; without one, the form reports only
  // the message field (observed on 1.18).
  if (!isPhpTruthy(fields.topicId) || !isPhpNumeric(fields.topicId))
    return validationFailure([...ORIGIN_WEB_WITHOUT_TOPIC, MESSAGE_REQUIRED]);
  // With a topic the request gets as far as the user, so a banned sender is 403 and a new user
  // without a name is reported before the form (§7, §8 row 11), as for API requests.
  const email = bareEmail(fields.email);
  return osTicketFailure({
    kind: "validation",
    errors: [
      ...(email === undefined ? [USER_INCOMPLETE] : []),
      SUBJECT_REQUIRED,
      MESSAGE_REQUIRED,
    ],
    email,
    newUserDetails: canCreateUser(
      optionalText(fields.name, stripTags),
      phone(fields.phone),
    ),
  });
}

function canCreateUser(
  name: string | undefined,
  phoneNumber: OsTicketPhone | undefined,
): boolean {
  return (
    name !== undefined && (phoneNumber === undefined || phoneNumber.isValid)
  );
}

function validationFailure(errors: ValidationError[]): Refusal {
  return osTicketFailure({ kind: "validation", errors });
}

// A bare dot-atom address; `Name <a@b.c>` and any address at localhost are refused (§4).
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const BARE_EMAIL = new RegExp(
  `^${ATOM}(?:\\.${ATOM})*@(${LABEL}(?:\\.${LABEL})*)$`,
);

function bareEmail(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const email = value.trim();
  const host = BARE_EMAIL.exec(email)?.[1];
  if (!host || host.toLowerCase() === "localhost") return undefined;
  return email;
}

function dueDateError(value: unknown, now: Date): ValidationError | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  let at: number;
  if (typeof value === "number") at = value * 1000;
  else if (typeof value !== "string") return DUEDATE_INVALID;
  // Bare digits are a Unix time, which the upstream notes recommend.
  else if (/^\d+$/.test(value.trim())) at = Number(value.trim()) * 1000;
  else at = Date.parse(value.trim());
  if (!Number.isFinite(at)) return DUEDATE_INVALID;
  return at <= now.getTime() ? DUEDATE_PAST : undefined;
}

function topicId(value: unknown): number | undefined {
  const id =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d+$/.test(value.trim())
        ? Number(value.trim())
        : NaN;
  // Past the largest serial id no topic can exist: such an id is as unknown as any other.
  return Number.isSafeInteger(id) && id > 0 && id <= MAX_SERIAL_ID
    ? id
    : undefined;
}

function priority(value: unknown): OsTicketPriority | undefined {
  if (typeof value !== "number" && typeof value !== "string") return undefined;
  return PRIORITIES_BY_ID[String(value).trim()];
}

function phone(value: unknown): OsTicketPhone | undefined {
  const raw = scalarText(value);
  if (raw === undefined || raw.trim() === "") return undefined;
  // Upstream upper-cases the value and keeps only digits and the `X` that starts an extension.
  const kept = raw.toUpperCase().replace(/[^\dX]/g, "");
  const [number = "", extension, ...rest] = kept.split("X");
  const isValid =
    /^\d+$/.test(number) &&
    rest.length === 0 &&
    (extension === undefined || /^\d+$/.test(extension));
  return isValid ? { isValid, number: kept } : { isValid, raw };
}

function optionalText(
  value: unknown,
  clean: (text: string) => string = (text) => text,
): string | undefined {
  const text = scalarText(value);
  if (text === undefined) return undefined;
  const cleaned = clean(text).trim();
  return cleaned === "" ? undefined : cleaned;
}

// Like PHP's strip_tags: tags go, their text stays (`<b>Hugo</b> <script>x</script>Html` → `Hugo xHtml`).
function stripTags(text: string): string {
  return text.replace(/<(?=[!/?A-Za-z])[^>]*(?:>|$)/g, "");
}

// Upstream removes "most pictographs, roughly U+1F300–U+1F9FF" from subjects and messages (§4, §5).
function stripEmoji(text: string): string {
  return text.replace(/[\u{1F300}-\u{1F9FF}]/gu, "");
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function messageBody(format: OsTicketMessage["format"], body: string) {
  const text = stripEmoji(body);
  // Upstream stores an empty message as a single dash.
  return { format, body: text === "" ? "-" : text };
}

// ---- JSON ----

function jsonMessage(value: unknown): OsTicketMessage | undefined | "not_text" {
  if (value === undefined || value === null) return undefined;
  const text = scalarText(value);
  if (text === undefined) return "not_text";
  const url = parseDataUrl(text);
  if (!url) return messageBody("text", text);
  // Upstream compares the type exactly, so only lower-case `text/html` is HTML.
  const format = url.type === "text/html" ? "html" : "text";
  // Quirks (§5.5): upstream assumes ISO-8859-1 without a charset and decodes base64 only when it is the
  // sole parameter; Portico copies neither, so base64 is decoded wherever it appears and the
  // default charset is UTF-8.
  if (!url.isBase64) return messageBody(format, url.payload);
  const bytes = decodeBase64(url.payload);
  if (!bytes) return messageBody(format, url.payload);
  return messageBody(format, decodeText(bytes, url.charset ?? "utf-8"));
}

// PHP's (bool) cast: false, 0, "", "0", null and empty arrays are false, so the string "false" is true.
function jsonFlag(fields: FieldMap, key: "alert" | "autorespond"): boolean {
  return Object.hasOwn(fields, key) ? isPhpTruthy(fields[key]) : true;
}

function jsonFiles(value: unknown): ReturnType<FormatParts["files"]> {
  const attachments: OsTicketAttachment[] = [];
  const rejected: RawFile[] = [];
  // A value that is not an array is ignored (§6).
  if (!Array.isArray(value)) return { attachments, rejected };
  for (const item of value) {
    if (!isRecord(item)) continue;
    // Each element is `{ "<file name>": "<data URL>" }`; only the first key counts.
    const first = Object.entries(item)[0];
    if (!first) continue;
    const [name, content] = first;
    const text = scalarText(content);
    if (text === undefined) {
      rejected.push({ name, reason: "unreadable" });
      continue;
    }
    const url = parseDataUrl(text);
    if (!url) {
      attachments.push({
        name,
        type: DEFAULT_FILE_TYPE,
        data: encodeUtf8(text),
      });
      continue;
    }
    // No charset conversion for files: the bytes are kept as sent (§6). Same base64 quirk fix as messages.
    const data = url.isBase64
      ? decodeBase64(url.payload)
      : encodeUtf8(url.payload);
    if (!data) rejected.push({ name, reason: "unreadable" });
    else attachments.push({ name, type: url.type || "text/plain", data });
  }
  return { attachments, rejected };
}

// ---- XML ----

const TEXT = "#text";
const ATTRIBUTE = "@_";

function xmlParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE,
    textNodeName: TEXT,
    // Every value stays a string; field rules do their own casting, as upstream does.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
}

function isWellFormedXml(text: string): boolean {
  try {
    return XMLValidator.validate(text) === true;
  } catch {
    return false;
  }
}

// Attributes and child elements both become fields. A simple field keeps only its text, as upstream
// does for `<phone ext="…">` (the attribute is dropped); the message and attachments keep their attributes.
function flattenXmlElement(element: FieldMap): FieldMap {
  const fields: FieldMap = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === TEXT) continue;
    const name = key.startsWith(ATTRIBUTE) ? key.slice(ATTRIBUTE.length) : key;
    const keepsStructure = name === "message" || name === "attachments";
    fields[name] =
      !keepsStructure && isRecord(value) && !hasChildElements(value)
        ? (value[TEXT] ?? "")
        : value;
  }
  return fields;
}

function hasChildElements(element: FieldMap): boolean {
  return Object.keys(element).some(
    (k) => k !== TEXT && !k.startsWith(ATTRIBUTE),
  );
}

function xmlFlag(value: unknown): boolean {
  if (value === undefined) return true;
  // Upstream's XML fix-up: "false" in any case is false, then PHP's (bool) cast.
  if (typeof value === "string" && value.trim().toLowerCase() === "false")
    return false;
  return isPhpTruthy(typeof value === "string" ? value.trim() : value);
}

function xmlMessage(value: unknown): OsTicketMessage | undefined | "not_text" {
  if (value === undefined) return undefined;
  // Whitespace around the CDATA section is the document's indentation, not the message.
  if (typeof value === "string") return messageBody("text", value.trim());
  if (!isRecord(value)) return "not_text";
  // Child elements instead of text (unescaped HTML without CDATA): upstream crashes on it, as on JSON objects.
  if (hasChildElements(value)) return "not_text";
  const type = value[`${ATTRIBUTE}type`];
  const body = typeof value[TEXT] === "string" ? value[TEXT].trim() : "";
  const isHtml =
    typeof type === "string" && type.trim().toLowerCase() === "text/html";
  return messageBody(isHtml ? "html" : "text", body);
}

function xmlFiles(value: unknown): ReturnType<FormatParts["files"]> {
  const attachments: OsTicketAttachment[] = [];
  const rejected: RawFile[] = [];
  if (!isRecord(value)) return { attachments, rejected };
  const files = Array.isArray(value.file) ? value.file : [value.file];
  for (const file of files) {
    if (file === undefined) continue;
    const element = isRecord(file) ? file : { [TEXT]: file };
    const name = stringAttribute(element, "name") ?? "";
    const type = stringAttribute(element, "type") || DEFAULT_FILE_TYPE;
    const content = typeof element[TEXT] === "string" ? element[TEXT] : "";
    const isBase64 =
      stringAttribute(element, "encoding")?.toLowerCase() === "base64";
    const data = isBase64 ? decodeBase64(content) : encodeUtf8(content);
    // Base64 that does not decode drops the file, not the ticket (§6).
    if (!data) rejected.push({ name, reason: "unreadable" });
    else attachments.push({ name, type, data });
  }
  return { attachments, rejected };
}

function stringAttribute(element: FieldMap, name: string): string | undefined {
  const value = element[`${ATTRIBUTE}${name}`];
  return typeof value === "string" ? value : undefined;
}

// ---- shared decoding ----

type DataUrl = {
  type: string;
  charset?: string;
  isBase64: boolean;
  payload: string;
};

/** RFC 2397 `data:<mime>[;charset=<cs>][;base64],<payload>`; the payload is not percent-decoded (§5). */
function parseDataUrl(value: string): DataUrl | undefined {
  if (!value.startsWith("data:")) return undefined;
  const rest = value.slice("data:".length);
  const comma = rest.indexOf(",");
  const meta = comma === -1 ? rest : rest.slice(0, comma);
  const payload = comma === -1 ? "" : rest.slice(comma + 1);
  const [type = "", ...parameters] = meta.split(";");
  let charset: string | undefined;
  let isBase64 = false;
  for (const parameter of parameters) {
    const [name = "", paramValue] = parameter.split("=", 2);
    if (name.trim().toLowerCase() === "base64" && paramValue === undefined)
      isBase64 = true;
    else if (name.trim().toLowerCase() === "charset" && paramValue)
      charset = paramValue.trim();
  }
  return { type: type.trim(), charset, isBase64, payload };
}

function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1)
    return undefined;
  try {
    const binary = atob(compact);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function decodeText(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown charset label: read the bytes as UTF-8 rather than refuse the ticket.
    return new TextDecoder().decode(bytes);
  }
}

function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function decodeBody(
  body: string | Uint8Array,
): string | "too_large" | "bad_utf8" {
  const size =
    typeof body === "string" ? utf8Length(body, MAX_BODY_BYTES) : body.length;
  if (size > MAX_BODY_BYTES) return "too_large";
  if (typeof body === "string") return body;
  try {
    // Keep a byte-order mark so it fails like any other stray character, as in PHP.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      body,
    );
  } catch {
    return "bad_utf8";
  }
}

// Counts UTF-8 bytes, stopping once past the limit so a huge string is not copied.
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes +=
      code < 0x80
        ? 1
        : code < 0x800
          ? 2
          : code >= 0xd800 && code < 0xdc00
            ? 4
            : 3;
    if (code >= 0xd800 && code < 0xdc00) i++;
    if (bytes > limit) break;
  }
  return bytes;
}

// Deepest array/object nesting outside strings, to report PHP's depth error instead of parsing.
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return deepest;
}

function hasRawControlCharacter(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c < 0x20) return true;
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
  }
  return false;
}

function isPhpTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value !== "" && value !== "0";
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

// PHP 8's is_numeric: a number, or a numeric string with optional surrounding whitespace.
function isPhpNumeric(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return (
    typeof value === "string" &&
    /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(
      value,
    )
  );
}

function isRecord(value: unknown): value is FieldMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
