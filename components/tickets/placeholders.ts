// What stands in for text a client left blank (osTicket accepts a name of tags only, mail without a
// Subject), so a row or heading is never empty.
export const NO_SUBJECT = "(no subject)";
export const NO_NAME = "(no name)";
