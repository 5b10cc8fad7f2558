import { XMLParser, XMLValidator } from "fast-xml-parser";
import { osTicketFailure, type OsTicketResult } from "@/lib/osticket/errors";
import { decodeBase64, encodeUtf8 } from "@/lib/osticket/request/data-url";
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

// `tickets.xml`, the legacy format (docs/api.md §11): a `<ticket>` whose simple fields are
// attributes or child elements, a `<message type>` and `<attachments><file …>` elements.

const TEXT = "#text";
const ATTRIBUTE = "@_";

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

function xmlFiles(value: unknown): DecodedFiles {
  const files: DecodedFiles = { attachments: [], rejected: [] };
  if (!isRecord(value)) return files;
  const elements = Array.isArray(value.file) ? value.file : [value.file];
  for (const file of elements) {
    if (file === undefined) continue;
    const element = isRecord(file) ? file : { [TEXT]: file };
    const name = stringAttribute(element, "name") ?? "";
    const type = stringAttribute(element, "type") || DEFAULT_FILE_TYPE;
    const content = typeof element[TEXT] === "string" ? element[TEXT] : "";
    const isBase64 =
      stringAttribute(element, "encoding")?.toLowerCase() === "base64";
    const data = isBase64 ? decodeBase64(content) : encodeUtf8(content);
    // Base64 that does not decode drops the file, not the ticket (§6).
    if (!data) files.rejected.push({ name, reason: "unreadable" });
    else files.attachments.push({ name, type, data });
  }
  return files;
}

function stringAttribute(element: FieldMap, name: string): string | undefined {
  const value = element[`${ATTRIBUTE}${name}`];
  return typeof value === "string" ? value : undefined;
}
