// npm run cli -- <command>. For automation: results on stdout, messages on stderr, exit 1 on error.
//   api-key create --ip <address> [--inactive] [--no-create] [--notes "…"]   prints the new key alone
import { parseArgs } from "node:util";
import { runCli } from "@/db/cli";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { openPglite, openPostgres } from "@/db/open";
import { apiKeyCreateInput } from "@/lib/auth/api-key-schemas";
import { createApiKey } from "@/lib/auth/api-keys";
import { env } from "@/lib/env";
import { zodFieldErrors } from "@/lib/forms";

const USAGE =
  'usage: npm run cli -- api-key create --ip <address> [--inactive] [--no-create] [--notes "…"]';

runCli(async () => {
  const [group, command, ...rest] = process.argv.slice(2);
  if (group !== "api-key" || command !== "create") throw new Error(USAGE);
  const { values } = parseArgs({
    args: rest,
    options: {
      ip: { type: "string" },
      inactive: { type: "boolean" },
      "no-create": { type: "boolean" },
      notes: { type: "string" },
    },
    strict: true,
  });
  const input = apiKeyCreateInput.safeParse({
    ipAddress: values.ip ?? "",
    notes: values.notes ?? "",
    isActive: !values.inactive,
    canCreateTickets: !values["no-create"],
  });
  if (!input.success) {
    const fields = zodFieldErrors(input.error);
    throw new Error(`${Object.values(fields).flat().join(" ")}\n${USAGE}`);
  }

  const { databaseUrl, pgliteDir } = env();
  if (databaseUrl) await migratePostgres(databaseUrl);
  const handle = databaseUrl
    ? await openPostgres(databaseUrl, { max: 1 })
    : await openPglite(pgliteDir);
  try {
    if (!databaseUrl) await runMigrations(handle);
    const created = await createApiKey(
      handle.db,
      { kind: "system" },
      input.data,
    );
    if (!created.ok) throw new Error(created.error.message);
    process.stdout.write(`${created.value.key}\n`);
  } finally {
    await handle.close();
  }
});
