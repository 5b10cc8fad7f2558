import "server-only";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

export type BenchDatabase = {
  name: string;
  url: string;
  /** Runs before the database is dropped (close pools, stop servers), in reverse order. */
  onCleanup: (close: () => Promise<unknown>) => void;
};

/**
 * Runs `work` against a new database on the local server and always drops it afterwards, also on
 * Ctrl-C. Whatever holds connections registers with `onCleanup`, or the drop cuts it mid-query.
 */
export async function withBenchDatabase<T>(
  serverUrl: string,
  label: string,
  work: (db: BenchDatabase) => Promise<T>,
): Promise<T> {
  const name = `portico_bench_${label}_${randomBytes(4).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const cleanups: Array<() => Promise<unknown>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const close of cleanups.reverse())
        await close().catch(() => undefined);
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
      console.log(`Dropped ${name}.`);
    })());
  const onSignal = () => void cleanUp().finally(() => process.exit(130));
  // `on`, not `once`: tsx relays Ctrl-C a second time, and with no listener left its own handler
  // exits at once, before the database is dropped.
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await admin.unsafe(`create database ${name}`);
    return await work({
      name,
      url: url.toString(),
      onCleanup: (close) => cleanups.push(close),
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanUp();
  }
}
