// Next runs this once per server process before serving: the database is migrated (and, on a new
// embedded database, seeded) before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { prepareDatabase } = await import("@/db/prepare");
    await prepareDatabase();
  }
}
