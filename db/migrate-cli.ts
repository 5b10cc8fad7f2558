// npm run db:migrate: for a stopped app (embedded database) or any time on PostgreSQL.
import { runCli } from "@/db/cli";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { openPglite } from "@/db/open";
import { env } from "@/lib/env";

runCli(async () => {
  const { databaseUrl, pgliteDir } = env();
  if (databaseUrl) {
    await migratePostgres(databaseUrl);
    console.log("PostgreSQL is up to date.");
    return;
  }
  const handle = await openPglite(pgliteDir);
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
  console.log(`Embedded database ${pgliteDir} is up to date.`);
});
