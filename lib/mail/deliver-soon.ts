import "server-only";
import { after } from "next/server";
import type { Db } from "@/db/types";
import { deliverDueMail } from "@/lib/mail/deliver";
import { createMailTransport } from "@/lib/mail/transport";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * After the response is sent, try to deliver what the request queued. Whatever fails stays queued
 * for the scheduled retry, so the user never waits on SMTP.
 */
export function deliverSoon(db: Db): void {
  const transport = createMailTransport(env().smtpUrl);
  if (!transport) return;
  after(async () => {
    try {
      await deliverDueMail(db, transport, new Date(), { newestFirst: true });
    } catch (error) {
      log.error("mail.deliver_soon_failed", { error });
    } finally {
      transport.close();
    }
  });
}
