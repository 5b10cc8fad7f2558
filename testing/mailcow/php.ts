// How Mailcow's PHP reads what it is sent (docs/mailcow.md §4): the fake must coerce values exactly
// as the real server does, or a client bug that PHP would hide (or expose) goes unnoticed.

/** PHP `json_decode`: null for invalid JSON and for the literal `null`. */
export function parsePhpJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

/** PHP `(array)json_decode(…)` as the router reads attributes: anything but an object is empty. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** PHP `intval` (§4): true→1, "true"→0, "3 GB"→3, 1.9→1. */
export function phpIntval(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number")
    return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === "string") {
    const m = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(value);
    return m ? Math.trunc(Number(m[0])) || 0 : 0;
  }
  if (Array.isArray(value)) return value.length > 0 ? 1 : 0;
  return value === null || value === undefined ? 0 : 1;
}

/** PHP `empty` for a password (§4): "", null and "0" are empty. */
export function phpEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    value === "0" ||
    value === false ||
    value === 0
  );
}

export function phpString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "";
  return "";
}

export const htmlEscape = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#039;");

export function mysqlTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
