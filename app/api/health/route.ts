import { getDbHandle } from "@/db/client";
import { log } from "@/lib/log";
import { hasAdmin } from "@/lib/setup/queries";

export const dynamic = "force-dynamic";

// Public on purpose (load balancers poll it); it reveals only whether the database answers and
// whether the install still waits for its first administrator (npm run cli -- setup, or /setup).
export async function GET() {
  const started = performance.now();
  try {
    const handle = await getDbHandle();
    await withTimeout(handle.ping(), 3000);
    const latencyMs = Math.round(performance.now() - started);
    const setUp = await withTimeout(hasAdmin(handle.db), 3000);
    return Response.json(
      {
        status: "ok",
        database: { status: "ok", driver: handle.driver, latencyMs },
        setup: setUp ? "complete" : "required",
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    log.error("health.database_unreachable", { error });
    return Response.json(
      { status: "unavailable", database: { status: "unreachable" } },
      {
        status: 503,
        headers: { "Cache-Control": "no-store", "Retry-After": "5" },
      },
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`timed out after ${ms} ms`)),
        ms,
      ).unref(),
    ),
  ]);
}
