// Typed outcomes for anything a user or client can cause. Client-safe: no server imports.

export type ErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "payload_too_large"
  | "upstream_failed"
  | "unavailable";

export type FieldErrors = Record<string, string[]>;

export type AppError = {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
  /** Seconds until a rate-limited caller may try again. */
  retryAfter?: number;
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (
  code: ErrorCode,
  message: string,
  extra?: Pick<AppError, "fields" | "retryAfter">,
): { ok: false; error: AppError } => ({
  ok: false,
  error: { code, message, ...extra },
});

export const httpStatus: Record<ErrorCode, number> = {
  invalid_input: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  upstream_failed: 502,
  unavailable: 503,
};
