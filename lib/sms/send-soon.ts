import "server-only";
import { after } from "next/server";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";
import { smsFromEnv } from "@/lib/sms/config";
import { deliverDueSms } from "@/lib/sms/outbox";

/**
 * After the response is sent, send the texts the request queued (a code is wanted now, not at the
 * next scheduled run). What fails stays queued for the job's retry. Without a provider, texts stay
 * in the outbox and nothing is done.
 */
export function sendTextsSoon(db: Db): void {
  const config = smsFromEnv();
  if (!config) return;
  after(async () => {
    try {
      await deliverDueSms(db, config);
    } catch (error) {
      log.error("sms.send_soon_failed", { error });
    }
  });
}
