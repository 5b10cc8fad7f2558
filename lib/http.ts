import "server-only";
import { httpStatus, type AppError } from "@/lib/result";

// Our own JSON routes answer errors in one shape: { error: { code, message, fields } }.
export function jsonError(error: AppError, init?: ResponseInit): Response {
  const headers = new Headers(init?.headers);
  if (error.retryAfter) headers.set("Retry-After", String(error.retryAfter));
  return Response.json(
    {
      error: {
        code: error.code,
        message: error.message,
        ...(error.fields ? { fields: error.fields } : {}),
      },
    },
    { ...init, status: init?.status ?? httpStatus[error.code], headers },
  );
}
