// npm run db:migrate — for a stopped app (embedded database) or any time on PostgreSQL.
import { openPglite } from "@/db/open";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { env } from "@/lib/env";

const { databaseUrl, pgliteDir } = env();
if (databaseUrl) {
  await migratePostgres(databaseUrl);
  console.log("PostgreSQL is up to date.");
} else {
  const handle = await openPglite(pgliteDir);
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
  console.log(`Embedded database ${pgliteDir} is up to date.`);
}
