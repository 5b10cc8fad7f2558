import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { imapCursors } from "@/db/schema";
import type { Db } from "@/db/types";
import type { ImapConfig } from "@/lib/env";
import { systemAddresses } from "@/lib/mail-ingest/addresses";
import {
  holdOversized,
  ingestMail,
  previewMail,
  recordIngestFailure,
  type IngestOptions,
  type IngestOutcome,
} from "@/lib/mail-ingest/ingest";

// The IMAP door of the mail pipeline. Messages are tracked by UIDVALIDITY + UID (never by \Seen, so
// mail somebody already read in the mailbox still counts), read in UID order in bounded batches,
// and each is recorded in the ledger in the transaction that creates its ticket or reply. Only
// after that commit is it moved (or flagged) on the server, and only then does the cursor advance:
// a crash anywhere leaves the message to the next run, whose ledger lookup finishes the job
// without a second ticket.

export type IngestSummary = {
  folder: string;
  fetched: number;
  created: number;
  replied: number;
  duplicates: number;
  ignored: Record<string, number>;
  held: Record<string, number>;
  bounces: number;
  failed: number;
  uidValidityChanged: boolean;
  dryRun: boolean;
  durationMs: number;
};

export type IngestRunOptions = {
  folder?: string;
  /** At most this many messages this run. */
  limit?: number;
  batchSize?: number;
  /** Fetch and classify only: nothing is written, moved or flagged. */
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Each message's outcome as it is decided (null: it failed and was recorded as such). */
  onMessage?: (uid: number, outcome: IngestOutcome | null) => void;
  pipeline: Omit<IngestOptions, "systemAddresses" | "now" | "recordRefusals">;
  now?: () => Date;
};

// Marks mail that stays in the folder (no processed folder configured), for people reading it.
const INGESTED_FLAG = "$Portico";

export async function ingestFromImap(
  db: Db,
  config: ImapConfig,
  options: IngestRunOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const folder = options.folder ?? config.folder;
  const summary: IngestSummary = {
    folder,
    fetched: 0,
    created: 0,
    replied: 0,
    duplicates: 0,
    ignored: {},
    held: {},
    bounces: 0,
    failed: 0,
    uidValidityChanged: false,
    dryRun: Boolean(options.dryRun),
    durationMs: 0,
  };
  const client = new ImapFlow({
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: { user: config.user, pass: config.password },
    tls: { rejectUnauthorized: config.tlsVerify },
    logger: false,
    // A run must not hang on a silent server; the scheduler tries again next time.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new Error(`IMAP folder ${folder} did not open`);
      const uidValidity = Number(mailbox.uidValidity);
      const receivingAddress = config.user.toLowerCase();
      const cursor = await readCursor(db, receivingAddress, folder);
      // A new UIDVALIDITY renumbers the folder: start over; the ledger recognises what it has seen.
      const changed = cursor !== null && cursor.uidValidity !== uidValidity;
      summary.uidValidityChanged = changed;
      const lastUid = cursor && !changed ? cursor.lastUid : 0;

      const found = await client.search(
        { uid: `${lastUid + 1}:*` },
        { uid: true },
      );
      // "n:*" always includes the newest message, even when its UID is below n.
      const uids = (found || [])
        .filter((uid) => uid > lastUid)
        .sort((a, b) => a - b)
        .slice(0, options.limit ?? Number.MAX_SAFE_INTEGER);
      const system = await systemAddresses(db);
      const batchSize = options.batchSize ?? 50;

      for (let i = 0; i < uids.length; i += batchSize) {
        // Sizes first, so an oversized message is never downloaded; commands can't run inside a
        // fetch, so the batch's metadata is read whole before the messages.
        const batch = await client.fetchAll(
          uids.slice(i, i + batchSize).join(","),
          { uid: true, size: true, envelope: true },
          { uid: true },
        );
        for (const meta of batch.sort((a, b) => a.uid - b.uid)) {
          summary.fetched += 1;
          const source = {
            receivingAddress,
            folder,
            uidValidity,
            uid: meta.uid,
          };
          const at = now();
          const pipeline = {
            ...options.pipeline,
            systemAddresses: system,
            recordRefusals: true,
            now: at,
          };
          let outcome: IngestOutcome | null = null;
          const maxBytes = options.pipeline.maxBytes;
          if (maxBytes && (meta.size ?? 0) > maxBytes) {
            outcome = options.dryRun
              ? { kind: "held", reason: "too_large" }
              : await holdOversized(db, meta, source, pipeline);
          } else {
            const fetched = await client.fetchOne(
              String(meta.uid),
              { source: true },
              { uid: true },
            );
            const raw =
              fetched && fetched.source ? new Uint8Array(fetched.source) : null;
            if (!raw) continue; // expunged meanwhile
            try {
              outcome = options.dryRun
                ? await previewMail(db, raw, source, pipeline)
                : await ingestMail(db, raw, source, pipeline);
            } catch (error) {
              if (!options.dryRun)
                await recordIngestFailure(db, raw, source, error, at);
            }
          }
          count(summary, outcome);
          options.onMessage?.(meta.uid, outcome);
          if (!options.dryRun) {
            await settleOnServer(client, config, meta.uid, outcome);
            await writeCursor(
              db,
              receivingAddress,
              folder,
              uidValidity,
              meta.uid,
            );
          }
          options.onProgress?.(summary.fetched, uids.length);
        }
      }
      if (uids.length === 0 && changed && !options.dryRun)
        await writeCursor(db, receivingAddress, folder, uidValidity, 0);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

function count(summary: IngestSummary, outcome: IngestOutcome | null): void {
  const bump = (map: Record<string, number>, key: string) => {
    map[key] = (map[key] ?? 0) + 1;
  };
  switch (outcome?.kind) {
    case undefined:
      summary.failed += 1;
      break;
    case "created":
      summary.created += 1;
      break;
    case "replied":
      summary.replied += 1;
      break;
    case "duplicate":
      summary.duplicates += 1;
      break;
    case "ignored":
      bump(summary.ignored, outcome.reason);
      break;
    case "bounce":
      summary.bounces += 1;
      break;
    case "held":
      bump(summary.held, outcome.reason);
      break;
    case "refused":
      if (outcome.reason === "banned") bump(summary.ignored, "banned");
      else summary.failed += 1;
      break;
  }
}

/** After the commit: move to the processed or held folder, or flag the message where it is. */
async function settleOnServer(
  client: ImapFlow,
  config: ImapConfig,
  uid: number,
  outcome: IngestOutcome | null,
): Promise<void> {
  const target =
    outcome?.kind === "held" ? config.heldFolder : config.processedFolder;
  // A failed message stays where it is, unflagged, so people see it too.
  if (outcome === null) return;
  try {
    if (target) {
      await ensureFolder(client, target);
      await client.messageMove(String(uid), target, { uid: true });
    } else {
      await client.messageFlagsAdd(String(uid), [INGESTED_FLAG], {
        uid: true,
      });
    }
  } catch {
    // Already moved by a racing run, or the server refuses keywords: the ledger has the outcome.
  }
}

const knownFolders = new WeakMap<ImapFlow, Set<string>>();
async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const known = knownFolders.get(client) ?? new Set<string>();
  knownFolders.set(client, known);
  if (known.has(path)) return;
  const list = await client.list();
  if (!list.some((f) => f.path === path)) {
    await client.mailboxCreate(path).catch(() => undefined);
  }
  known.add(path);
}

async function readCursor(
  db: Db,
  receivingAddress: string,
  folder: string,
): Promise<{ uidValidity: number; lastUid: number } | null> {
  const [row] = await db
    .select()
    .from(imapCursors)
    .where(
      and(
        eq(imapCursors.receivingAddress, receivingAddress),
        eq(imapCursors.folder, folder),
      ),
    );
  return row ?? null;
}

async function writeCursor(
  db: Db,
  receivingAddress: string,
  folder: string,
  uidValidity: number,
  lastUid: number,
): Promise<void> {
  await db
    .insert(imapCursors)
    .values({ receivingAddress, folder, uidValidity, lastUid })
    .onConflictDoUpdate({
      target: [imapCursors.receivingAddress, imapCursors.folder],
      // Never backwards within one UIDVALIDITY, whichever of two racing runs writes last.
      set: {
        uidValidity,
        lastUid: sql`case when ${imapCursors.uidValidity} = ${uidValidity}
          then greatest(${imapCursors.lastUid}, ${lastUid}) else ${lastUid} end`,
        updatedAt: new Date(),
      },
    });
}
