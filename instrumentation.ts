// Next runs this once per server process before serving; lib/setup/start-up.ts says what happens.
// `next build` runs it too, in its page-data workers; those must not open the database. Next also
// compiles this file for the Edge runtime: everything Node-only stays behind the dynamic import.
export async function register() {
  if (
    process.env.NEXT_RUNTIME === "nodejs" &&
    process.env.NEXT_PHASE !== "phase-production-build"
  ) {
    const { startUp } = await import("@/lib/setup/start-up");
    await startUp();
  }
}
