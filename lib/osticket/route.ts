import "server-only";
import { getDbHandle } from "@/db/client";
import {
  handleOsTicketCall,
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
