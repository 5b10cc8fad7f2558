import { errorChain, errorCodes } from "@/lib/errors";

// Postgres error codes we turn into results instead of crashes. Both drivers expose `code`,
// postgres.js directly and drizzle's wrapper on `cause`.

function pgCode(error: unknown): string | undefined {
  return errorCodes(error).find((code) => /^[0-9A-Z]{5}$/.test(code));
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
  errorCodes(error).some(
    (code) => UNREACHABLE.has(code) || code.startsWith("08"),
  );

export const isUniqueViolation = (error: unknown): boolean =>
  pgCode(error) === "23505";
export const isSerializationFailure = (error: unknown): boolean =>
  pgCode(error) === "40001";
export const isForeignKeyViolation = (error: unknown): boolean =>
  pgCode(error) === "23503";

/** The index or constraint a violation names (postgres.js: constraint_name; PGlite: constraint). */
export function violatedConstraint(error: unknown): string | undefined {
  for (const e of errorChain(error)) {
    const c = e as { constraint_name?: unknown; constraint?: unknown };
    const name = c.constraint_name ?? c.constraint;
    if (typeof name === "string") return name;
  }
  return undefined;
}
