import { osTicketHandler } from "@/lib/osticket/route";

// osTicket's ticket API, raw mail piping (docs/api.md).
const handle = osTicketHandler("email");

export {
  handle as GET,
  handle as POST,
  handle as PUT,
  handle as PATCH,
  handle as DELETE,
};
