import { peekDbHandle, provideDbHandle } from "@/db/client";
import type { DbHandle } from "@/db/types";
import type { TestDb } from "@/testing/db";

// The database behind the app's own entry points (getDb() in pages, actions and routes) during a test:
// a test names the one it provides instead of reaching into db/client's module state.

/** From now on the app's routes and actions use this test database. */
export function provideAppDatabase(t: TestDb): void {
  provideDbHandle(t.handle);
}

/** The app forgets its database (without closing it): the next use would open one from env(). */
export function forgetAppDatabase(): void {
  provideDbHandle(undefined);
}

/** The database the app holds, if it has opened or been given one. */
export function appDatabase(): Promise<DbHandle> | undefined {
  return peekDbHandle();
}

/** Closes the database the app opened for itself, if any, and forgets it. */
export async function closeAppDatabase(): Promise<void> {
  const open = peekDbHandle();
  provideDbHandle(undefined);
  if (open) await open.then((h) => h.close()).catch(() => {});
}
