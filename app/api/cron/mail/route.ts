import { timingSafeEqual } from "node:crypto";
import { getDbHandle } from "@/db/client";
import { env } from "@/lib/env";
import { jsonError } from "@/lib/http";
import { runAutoCloseJob } from "@/lib/jobs/auto-close-job";
import { runMailJob } from "@/lib/jobs/mail-job";
import { runPruneJob } from "@/lib/jobs/prune-job";
import { createMailTransport } from "@/lib/mail/transport";

// The scheduled work, for an external scheduler (system cron, Kubernetes CronJob, …): the mail job,
// whose summary is the answer, then the pruning and auto-close jobs, so one crontab line does what
// the in-process scheduler does.
async function handle(req: Request): Promise<Response> {
  const secret = env().cronSecret;
  if (!secret)
    return jsonError({
      code: "forbidden",
      message: "Scheduled jobs over HTTP are off: set CRON_SECRET.",
    });
  if (!bearerMatches(req.headers.get("authorization"), secret)) {
    return jsonError(
      {
        code: "unauthenticated",
        message: "Send Authorization: Bearer <CRON_SECRET>.",
      },
      { headers: { "WWW-Authenticate": "Bearer" } },
    );
  }
  const transport = createMailTransport(env().smtpUrl);
  try {
    const { db } = await getDbHandle();
    const summary = await runMailJob(db, { transport, now: new Date() });
    await runPruneJob(db, { now: new Date() });
    await runAutoCloseJob(db, { now: new Date(), days: env().autoCloseDays });
    return Response.json(summary, {
      status: summary.ran ? 200 : 409,
      headers: { "Cache-Control": "no-store" },
    });
  } finally {
    transport?.close();
  }
}

function bearerMatches(header: string | null, secret: string): boolean {
  const given = Buffer.from(
    /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "",
  );
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export { handle as GET, handle as POST };
