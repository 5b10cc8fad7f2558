// npm run db:seed: demo data into an empty database (migrating it first). Refuses a database with users.
import { runCli } from "@/db/cli";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { openPglite, openPostgres } from "@/db/open";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "@/db/seed";
import { env } from "@/lib/env";

runCli(async () => {
  const { databaseUrl, pgliteDir } = env();
  if (databaseUrl) await migratePostgres(databaseUrl);
  const handle = databaseUrl
    ? await openPostgres(databaseUrl, { max: 2 })
    : await openPglite(pgliteDir);
  try {
    if (!databaseUrl) await runMigrations(handle);
    if (await seedDemoData(handle.db)) {
      console.log(
        `Demo data added. Sign in with any of these (password: ${DEMO_PASSWORD}):`,
      );
      for (const u of Object.values(DEMO_USERS))
        console.log(`  ${u.role.padEnd(8)} ${u.email}`);
    } else {
      console.log("The database already has users; nothing was added.");
    }
  } finally {
    await handle.close();
  }
});
