import "server-only";
import { getDbHandle } from "@/db/client";
import {
  handleOsTicketCall,
  osTicketFormatOf,
  type OsTicketFormat,
} from "@/lib/osticket/api-call";

/**
 * The handler of an osTicket API route, exported for every method so a GET gets osTicket's 400
 * `URL not supported` rather than Next's 405. Authentication is each call's first step.
 */
export function osTicketHandler(format: OsTicketFormat | null) {
  return async (req: Request): Promise<Response> =>
    handleOsTicketCall((await getDbHandle()).db, req, format);
}

/** The whole API as one handler that routes by the URL, as the route files do together: what
 * Portico's server calls for the API's posts without going through Next (server/direct.ts). */
export async function osTicketApi(req: Request): Promise<Response> {
  const [, api, ...segments] = new URL(req.url).pathname.split("/");
  const format = api === "api" ? osTicketFormatOf(segments) : null;
  return osTicketHandler(format)(req);
}
