import type { IncomingMessage } from "node:http";
import { isPagePath } from "@/server/security-headers";

// Next refuses a server action whose Origin is another host than the request's (X-Forwarded-Host, or
// Host), but answers the refusal with a 500, and an Origin that is not a URL makes it throw. The same
// check here answers 403 before Next is involved. X-Forwarded-Host has already been dropped unless a
// trusted proxy sent it (request-headers.ts).

/** Whether Next would treat the request as a server action: its getServerActionRequestMetadata. */
function mayBeServerAction(req: IncomingMessage): boolean {
  if (req.method !== "POST" || !isPagePath(req.url)) return false;
  const type = req.headers["content-type"] ?? "";
  return (
    req.headers["next-action"] !== undefined ||
    type === "application/x-www-form-urlencoded" ||
    type.startsWith("multipart/form-data")
  );
}

/** Whether a server-action post comes from another site (or names its origin in a form Next cannot read). */
export function isCrossSiteAction(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  // Browsers send Origin on every post; a request without one carries no one else's cookies.
  if (origin === undefined || !mayBeServerAction(req)) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const raw = req.headers["x-forwarded-host"];
  const forwarded = (Array.isArray(raw) ? raw[0] : raw)?.split(",")[0]?.trim();
  return originHost !== (forwarded || req.headers.host);
}
