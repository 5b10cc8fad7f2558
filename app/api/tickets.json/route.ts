import { osTicketHandler } from "@/lib/osticket/route";

// osTicket's ticket API, its main format (docs/api.md).
const handle = osTicketHandler("json");

export {
  handle as GET,
  handle as POST,
  handle as PUT,
  handle as PATCH,
  handle as DELETE,
};
