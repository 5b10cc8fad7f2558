// Next runs this once per server process before serving: the database is migrated (and, on a new
// embedded database, seeded) before the first request, then the scheduled jobs start. `next build`
// runs it too, in its page-data workers; those must not open the database.
export async function register() {
  if (
    process.env.NEXT_RUNTIME !== "nodejs" ||
    process.env.NEXT_PHASE === "phase-production-build"
  )
    return;
  const { prepareDatabase } = await import("@/db/prepare");
  try {
    await prepareDatabase();
  } catch (error) {
    // Next would go on serving a 500 for every request, even once the database is back. Leaving
    // lets a supervisor (or the cluster's primary) start a fresh process.
    const { log } = await import("@/lib/log");
    log.error("startup.database_failed", { error });
    process.exit(1);
  }
  // Portico's server answers the osTicket API's posts itself (lib/server/direct.ts), with the
  // handler built here, in Next's bundle, from the same modules as the route files.
  const { offerDirectHandler } = await import("@/lib/server/direct");
  const { osTicketApi } = await import("@/lib/osticket/route");
  offerDirectHandler(osTicketApi);
  const { startScheduler } = await import("@/lib/jobs/scheduler");
  startScheduler();
}
