import { storableText } from "@/lib/text";
import { osTicketFailure, type OsTicketResult } from "@/lib/osticket/errors";
import {
  decodeBase64,
  decodeText,
  encodeUtf8,
  parseDataUrl,
} from "@/lib/osticket/request/data-url";
import { scalarText } from "@/lib/osticket/request/fields";
import {
  isPhpTruthy,
  isRecord,
  type FieldMap,
} from "@/lib/osticket/request/php";
import {
  buildRequest,
  decodeBody,
  DEFAULT_FILE_TYPE,
  messageBody,
  type DecodedFiles,
  type OsTicketMessage,
  type OsTicketParseOptions,
  type OsTicketRequest,
} from "@/lib/osticket/request/ticket-request";

// `tickets.json`, the API's main format (docs/api.md §4–§6): PHP's json_decode and its errors, then
// the message and files as data URLs.

// PHP's json_decode default depth.
const MAX_JSON_DEPTH = 512;

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

// PHP's (bool) cast of a present flag; an absent one is on.
function jsonFlag(fields: FieldMap, key: "alert" | "autorespond"): boolean {
  return Object.hasOwn(fields, key) ? isPhpTruthy(fields[key]) : true;
}

function jsonFiles(value: unknown): DecodedFiles {
  const files: DecodedFiles = { attachments: [], rejected: [] };
  // A value that is not an array is ignored (§6).
  if (!Array.isArray(value)) return files;
  for (const item of value) {
    if (!isRecord(item)) continue;
    // Each element is `{ "<file name>": "<data URL>" }`; only the first key counts.
    const first = Object.entries(item)[0];
    if (!first) continue;
    const [name, content] = first;
    const text = scalarText(content);
    if (text === undefined) {
      files.rejected.push({ name, reason: "unreadable" });
      continue;
    }
    const url = parseDataUrl(text);
    if (!url) {
      files.attachments.push({
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
    if (!data) files.rejected.push({ name, reason: "unreadable" });
    else files.attachments.push({ name, type: url.type || "text/plain", data });
  }
  return files;
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
