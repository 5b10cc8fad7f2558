// npm run mail:ingest -- [--dry-run] [--limit N] [--folder NAME] [--verbose]
// One IMAP ingestion run, the same as the scheduled one (and under the same lock). The summary goes
// to stdout; progress and per-message lines (--verbose) to stderr. Exit 1 when it could not run.
import { parseArgs } from "node:util";
import { runCli } from "@/db/cli";
import { migratePostgres, runMigrations } from "@/db/migrate";
import { openPglite, openPostgres } from "@/db/open";
import { env } from "@/lib/env";
import { readMailbox } from "@/lib/jobs/mail-job";
import type { IngestOutcome } from "@/lib/mail-ingest/ingest";

const USAGE =
  "usage: npm run mail:ingest -- [--dry-run] [--limit N] [--folder NAME] [--verbose]";

runCli(async () => {
  const { values } = parseArgs({
    options: {
      "dry-run": { type: "boolean" },
      limit: { type: "string" },
      folder: { type: "string" },
      verbose: { type: "boolean" },
    },
    strict: true,
  });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new Error(`--limit must be a whole number above 0\n${USAGE}`);
  const { databaseUrl, pgliteDir, imap } = env();
  if (!imap)
    throw new Error(
      "IMAP is not configured: set IMAP_HOST, IMAP_USER and IMAP_PASSWORD.",
    );

  if (databaseUrl) await migratePostgres(databaseUrl);
  const handle = databaseUrl
    ? await openPostgres(databaseUrl, { max: 2 })
    : await openPglite(pgliteDir);
  try {
    if (!databaseUrl) await runMigrations(handle);
    let lastShown = 0;
    const result = await readMailbox(handle.db, imap, new Date(), {
      limit,
      dryRun: values["dry-run"],
      folder: values.folder,
      onProgress: (done, total) => {
        // Long runs show where they are about once a second's worth of mail.
        if (total >= 100 && (done - lastShown >= 50 || done === total)) {
          lastShown = done;
          process.stderr.write(`  ${done}/${total} messages\n`);
        }
      },
      onMessage: values.verbose
        ? (uid, outcome) =>
            process.stderr.write(`  uid ${uid}: ${describe(outcome)}\n`)
        : undefined,
    });
    if ("error" in result) throw new Error(`IMAP: ${result.error}`);
    if ("skipped" in result) throw new Error(`Not run: ${result.skipped}.`);
    const line = (label: string, n: number) =>
      `${label.padEnd(12)} ${String(n).padStart(6)}`;
    const byReason = (map: Record<string, number>) =>
      Object.entries(map).map(([reason, n]) => line(`  ${reason}`, n));
    const total = (map: Record<string, number>) =>
      Object.values(map).reduce((a, b) => a + b, 0);
    process.stdout.write(
      [
        `${result.dryRun ? "Dry run of " : ""}${imap.user} ${result.folder}${result.uidValidityChanged ? " (UIDVALIDITY changed: folder read again, nothing imported twice)" : ""}`,
        line("fetched", result.fetched),
        line("created", result.created),
        line("replied", result.replied),
        line("duplicates", result.duplicates),
        line("ignored", total(result.ignored)),
        ...byReason(result.ignored),
        line("bounces", result.bounces),
        line("held", total(result.held)),
        ...byReason(result.held),
        line("failed", result.failed),
        `duration     ${(result.durationMs / 1000).toFixed(1)} s`,
      ].join("\n") + "\n",
    );
  } finally {
    await handle.close();
  }
});

function describe(outcome: IngestOutcome | null): string {
  if (!outcome) return "failed (recorded in the ledger)";
  switch (outcome.kind) {
    case "created":
      return `new ticket #${outcome.ticket.number}${outcome.previous ? ` (continues #${outcome.previous.number})` : ""}`;
    case "replied":
      return `reply on #${outcome.ticket.number}`;
    case "duplicate":
      return "seen before";
    case "ignored":
      return `ignored: ${outcome.reason}`;
    case "bounce":
      return `bounce for ${outcome.failedRecipients.join(", ") || "unknown recipients"}`;
    case "held":
      return `held: ${outcome.reason}`;
    case "refused":
      return `refused: ${outcome.reason}`;
  }
}
