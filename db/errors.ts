// Postgres error codes we turn into results instead of crashes. Both drivers expose `code`,
// postgres.js directly and drizzle's wrapper on `cause`.

function pgCode(error: unknown): string | undefined {
  return codes(error).find((code) => /^[0-9A-Z]{5}$/.test(code));
}

// The `code` of an error and of its causes: Postgres's SQLSTATE, Node's errno name or postgres.js's own.
function codes(error: unknown): string[] {
  const found: string[] = [];
  for (
    let e: unknown = error, depth = 0;
    e && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") found.push(code);
  }
  return found;
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "CONNECT_TIMEOUT", // postgres.js
  "CONNECTION_CLOSED", // postgres.js
  "57P03", // cannot_connect_now: the server is starting up
]);

/** The database could not be reached (yet): worth waiting for, unlike a refused login or bad SQL. */
export const isUnreachable = (error: unknown): boolean =>
  codes(error).some((code) => UNREACHABLE.has(code) || code.startsWith("08"));

export const isUniqueViolation = (error: unknown): boolean =>
  pgCode(error) === "23505";
export const isSerializationFailure = (error: unknown): boolean =>
  pgCode(error) === "40001";
export const isForeignKeyViolation = (error: unknown): boolean =>
  pgCode(error) === "23503";

/** The index or constraint a violation names (postgres.js: constraint_name; PGlite: constraint). */
export function violatedConstraint(error: unknown): string | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const c = e as { constraint_name?: unknown; constraint?: unknown };
    const name = c.constraint_name ?? c.constraint;
    if (typeof name === "string") return name;
  }
  return undefined;
}
