import "server-only";
import { promises as dns } from "node:dns";

// osTicket's "verify email addresses" (docs/api.md §4.2): a domain must have an MX record, or failing
// that an A or AAAA record. Off by default here (API_VERIFY_EMAIL_DOMAINS), as it needs DNS.
export async function emailDomainResolves(email: string): Promise<boolean> {
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const lookups = [
    () => dns.resolveMx(domain),
    () => dns.resolve4(domain),
    () => dns.resolve6(domain),
  ];
  for (const lookup of lookups) {
    try {
      if ((await lookup()).length > 0) return true;
    } catch {
      // NXDOMAIN, no data, or no DNS at all: try the next record type.
    }
  }
  return false;
}
