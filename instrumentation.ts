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
  await prepareDatabase();
  const { startScheduler } = await import("@/lib/jobs/scheduler");
  startScheduler();
}
