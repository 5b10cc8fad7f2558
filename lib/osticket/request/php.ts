// How osTicket's PHP reads a decoded request: its truthiness and numeric checks, which the ticket
// API's answers depend on (a `"0"` alert is off, `"false"` is on). Pure and client-safe.

/** A decoded JSON object or XML element: field name → raw value. */
export type FieldMap = Record<string, unknown>;

/** PHP's (bool) cast: false, 0, "", "0", null and empty arrays are false, so the string "false" is true. */
export function isPhpTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value !== "" && value !== "0";
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

/** PHP 8's is_numeric: a number, or a numeric string with optional surrounding whitespace. */
export function isPhpNumeric(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return (
    typeof value === "string" &&
    /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(
      value,
    )
  );
}

/** A PHP associative array as decoded: an object, not a list. */
export function isRecord(value: unknown): value is FieldMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
