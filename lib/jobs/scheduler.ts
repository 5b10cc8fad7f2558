import "server-only";
import { getDbHandle } from "@/db/client";
import { env } from "@/lib/env";
import { runAutoCloseJob } from "@/lib/jobs/auto-close-job";
import { runMailJob } from "@/lib/jobs/mail-job";
import { runPruneJob } from "@/lib/jobs/prune-job";
import { log } from "@/lib/log";
import { createMailTransport } from "@/lib/mail/transport";

const g = globalThis as unknown as { __porticoScheduler?: NodeJS.Timeout };

/**
 * Runs the scheduled jobs inside the app process every JOBS_INTERVAL_SECONDS, so a single machine
 * needs no external cron. Each job's lease keeps runs from several instances apart.
 */
export function startScheduler(): void {
  const seconds = env().jobsIntervalSeconds;
  if (seconds === 0 || g.__porticoScheduler) return;
  g.__porticoScheduler = setInterval(() => void tick(), seconds * 1000);
  g.__porticoScheduler.unref();
}

// One job's failure is logged and never keeps the next from running.
async function tick(): Promise<void> {
  await mailTick();
  await pruneTick();
  await autoCloseTick();
}

async function mailTick(): Promise<void> {
  const transport = createMailTransport(env().smtpUrl);
  try {
    const summary = await runMailJob((await getDbHandle()).db, {
      transport,
      now: new Date(),
    });
    if (
      summary.ran &&
      "sent" in summary.outbox &&
      (summary.outbox.sent || summary.outbox.failed || summary.outbox.retrying)
    ) {
      log.info("jobs.mail", {
        ...summary.outbox,
        durationMs: summary.durationMs,
      });
    }
  } catch (error) {
    log.error("jobs.mail_failed", { error });
  } finally {
    transport?.close();
  }
}

async function pruneTick(): Promise<void> {
  try {
    await runPruneJob((await getDbHandle()).db, { now: new Date() });
  } catch (error) {
    log.error("jobs.prune_failed", { error });
  }
}

async function autoCloseTick(): Promise<void> {
  try {
    const summary = await runAutoCloseJob((await getDbHandle()).db, {
      now: new Date(),
      days: env().autoCloseDays,
    });
    if (summary.ran && summary.closed) log.info("jobs.auto_close", summary);
  } catch (error) {
    log.error("jobs.auto_close_failed", { error });
  }
}
