import { osTicketHandler } from "@/lib/osticket/route";

// osTicket's ticket API, the legacy XML format (docs/api.md).
const handle = osTicketHandler("xml");

export {
  handle as GET,
  handle as POST,
  handle as PUT,
  handle as PATCH,
  handle as DELETE,
};
