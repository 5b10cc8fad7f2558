import "server-only";
import type { WebhookPost, WebhookReply } from "@/lib/direct-handler";
import { httpStatus, type AppError } from "@/lib/result";

// Our own JSON routes answer errors in one shape: { error: { code, message, fields } }.
export function jsonError(error: AppError, init?: ResponseInit): Response {
  const headers = new Headers(init?.headers);
  if (error.retryAfter) headers.set("Retry-After", String(error.retryAfter));
  return Response.json(errorBody(error), {
    ...init,
    status: init?.status ?? httpStatus[error.code],
    headers,
  });
}

/** jsonError's body, for an answer that is not a web Response (lib/direct-handler.ts). */
export function errorBody(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields ? { fields: error.fields } : {}),
    },
  };
}

/**
 * The 404 of a route that serves files (an image, an attachment, a raw message): plain text, never
 * sniffed, and the same whether the thing is missing, junk in the URL or not the caller's to see.
 */
export function notFoundText(): Response {
  return new Response("Not found", {
    status: 404,
    headers: {
      "Content-Type": "text/plain",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * The route handler of a webhook whose answer `reply` gives from the raw body: the same function
 * Portico's server calls with the body it read (server/direct.ts).
 */
export function webhookRoute(
  reply: (post: Pick<WebhookPost, "headers" | "body">) => Promise<WebhookReply>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const { status, body } = await reply({
      headers: req.headers,
      body: await req.text(),
    });
    return Response.json(body, {
      status,
      headers: { "Cache-Control": "no-store" },
    });
  };
}
