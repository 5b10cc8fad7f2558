// The data URLs and base64 that carry a JSON request's message and files (docs/api.md §5, §6), and
// the byte/text conversions around them. Pure and client-safe.

export type DataUrl = {
  type: string;
  charset?: string;
  isBase64: boolean;
  payload: string;
};

/** RFC 2397 `data:<mime>[;charset=<cs>][;base64],<payload>`; the payload is not percent-decoded (§5). */
export function parseDataUrl(value: string): DataUrl | undefined {
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

/** Base64 with any whitespace in it; anything else (or a length no encoder makes) is undefined. */
export function decodeBase64(text: string): Uint8Array | undefined {
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

export function decodeText(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown charset label: read the bytes as UTF-8 rather than refuse the ticket.
    return new TextDecoder().decode(bytes);
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
