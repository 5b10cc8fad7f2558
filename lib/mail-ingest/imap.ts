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
import { parseMail, type ParsedMail } from "@/lib/mail-ingest/parse";
import { ticketReferenceInSubject } from "@/lib/mail-ingest/subject-reference";
import { findThread } from "@/lib/mail-ingest/thread";

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
// Messages ingested at once (the app's pool holds 10 connections); related ones still go one after
// another (inDependencyOrder).
const CONCURRENCY = 8;
// Largest total of message sizes downloaded in one FETCH.
const FETCH_CHUNK_BYTES = 32 * 1024 * 1024;

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

      let firstUnsettled = Number.MAX_SAFE_INTEGER;
      for (let i = 0; i < uids.length; i += batchSize) {
        // Sizes first, so an oversized message is never downloaded; commands can't run inside a
        // fetch, so the batch's metadata is read whole before the messages.
        const wanted = uids.slice(i, i + batchSize);
        // Fewer may come back: a racing run may have moved some away meanwhile.
        const batch = (
          await client.fetchAll(
            wanted.join(","),
            { uid: true, size: true, envelope: true },
            { uid: true },
          )
        ).sort((a, b) => a.uid - b.uid);
        const maxBytes = options.pipeline.maxBytes;
        const oversized = batch.filter(
          (m) => maxBytes && (m.size ?? 0) > maxBytes,
        );
        const sources = await fetchSources(
          client,
          batch.filter((m) => !oversized.includes(m)),
        );

        const pipelineAt = (at: Date) => ({
          ...options.pipeline,
          systemAddresses: system,
          recordRefusals: true,
          now: at,
        });
        const ingestOne = async (
          uid: number,
          raw: Uint8Array,
          mail: ParsedMail,
        ) => {
          const source = { receivingAddress, folder, uidValidity, uid };
          // Each message its own time, so messages of one ticket keep their arrival order.
          const at = now();
          const pipeline = pipelineAt(at);
          try {
            return options.dryRun
              ? await previewMail(db, raw, source, pipeline, mail)
              : await ingestMail(db, raw, source, pipeline, mail);
          } catch (error) {
            if (!options.dryRun)
              await recordIngestFailure(db, raw, source, error, at);
            return null;
          }
        };

        const outcomes = new Map<number, IngestOutcome | null>();
        for (const meta of oversized) {
          const source = {
            receivingAddress,
            folder,
            uidValidity,
            uid: meta.uid,
          };
          outcomes.set(
            meta.uid,
            options.dryRun
              ? { kind: "held", reason: "too_large" }
              : await holdOversized(db, meta, source, pipelineAt(now())),
          );
        }
        await inDependencyOrder(
          [...sources.entries()],
          options.dryRun ? 1 : CONCURRENCY,
          // Mail for a ticket that already exists queues behind other mail for that ticket.
          async (mail) =>
            mail.from
              ? ((
                  await findThread(db, {
                    inReplyTo: mail.inReplyTo,
                    references: mail.references,
                    subject: mail.subject,
                    fromAddress: mail.from.address,
                  })
                )?.ticket.id ?? null)
              : null,
          async (uid, raw, mail) => {
            const outcome = await ingestOne(uid, raw, mail);
            outcomes.set(uid, outcome);
            count(summary, outcome);
            summary.fetched += 1;
            options.onMessage?.(uid, outcome);
            options.onProgress?.(summary.fetched, uids.length);
          },
        );
        for (const meta of oversized) {
          const outcome = outcomes.get(meta.uid) ?? null;
          count(summary, outcome);
          summary.fetched += 1;
          options.onMessage?.(meta.uid, outcome);
        }

        if (!options.dryRun) {
          // Every message of the batch is committed: settle them on the server, then move on, but
          // not past a message that did not move: the next run finds it (as seen) and moves it.
          const unsettled = await settleOnServer(client, config, outcomes);
          if (unsettled.length)
            firstUnsettled = Math.min(firstUnsettled, ...unsettled);
          await writeCursor(
            db,
            receivingAddress,
            folder,
            uidValidity,
            Math.min(wanted.at(-1)!, firstUnsettled - 1),
          );
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

/** After the commits: move to the processed or held folder, or flag the messages where they are. */
async function settleOnServer(
  client: ImapFlow,
  config: ImapConfig,
  outcomes: Map<number, IngestOutcome | null>,
): Promise<number[]> {
  const groups = new Map<string, number[]>();
  for (const [uid, outcome] of outcomes) {
    // A failed message stays where it is, unflagged, so people see it too.
    if (outcome === null) continue;
    const target =
      (outcome.kind === "held" ? config.heldFolder : config.processedFolder) ??
      "";
    groups.set(target, [...(groups.get(target) ?? []), uid]);
  }
  const unsettled: number[] = [];
  for (const [target, uids] of groups) {
    if (!target) {
      // Flagging is a nicety for people reading the folder; a refusal changes nothing.
      await client
        .messageFlagsAdd(uids.join(","), [INGESTED_FLAG], { uid: true })
        .catch(() => false);
      continue;
    }
    await ensureFolder(client, target);
    // The server's COPYUID map says which messages really moved. A racing session that moved
    // some first can make the server move none of the set (or answer false), so the rest are
    // tried one by one, and whatever still did not move is left for the next run.
    const moved = async (range: string): Promise<Set<number>> => {
      const result = await client
        .messageMove(range, target, { uid: true })
        .catch(() => false as const);
      return new Set(result ? (result.uidMap?.keys() ?? []) : []);
    };
    const first = await moved(uids.join(","));
    for (const uid of uids) {
      if (first.has(uid)) continue;
      if (!(await moved(String(uid))).has(uid)) unsettled.push(uid);
    }
  }
  return unsettled;
}

/** The batch's sources, in chunks of bounded size so a batch of large mails never sits in memory at once. */
async function fetchSources(
  client: ImapFlow,
  metas: Array<{ uid: number; size?: number }>,
): Promise<Map<number, Uint8Array>> {
  const sources = new Map<number, Uint8Array>();
  let chunk: number[] = [];
  let bytes = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    for (const m of await client.fetchAll(
      chunk.join(","),
      { uid: true, source: true },
      { uid: true },
    ))
      if (m.source) sources.set(m.uid, new Uint8Array(m.source));
    chunk = [];
    bytes = 0;
  };
  for (const meta of metas) {
    if (bytes > 0 && bytes + (meta.size ?? 0) > FETCH_CHUNK_BYTES)
      await flush();
    chunk.push(meta.uid);
    bytes += meta.size ?? 0;
  }
  await flush();
  return sources;
}

/**
 * Runs `work` for each message, up to `concurrency` at once, but never before the earlier messages
 * it may depend on: the same sender (a new customer, their rate limit), a Message-ID it answers, the
 * same ticket number in the subject, or the same existing ticket. So a reply never overtakes the mail that opens its ticket.
 */
async function inDependencyOrder(
  messages: Array<[number, Uint8Array]>,
  concurrency: number,
  ticketOf: (mail: ParsedMail) => Promise<string | null>,
  work: (uid: number, raw: Uint8Array, mail: ParsedMail) => Promise<void>,
): Promise<void> {
  const parsed = await Promise.all(
    messages.map(async ([uid, raw]) => {
      const mail = await parseMail(raw);
      return { uid, raw, mail, ticket: await ticketOf(mail) };
    }),
  );
  const done = new Map<number, Promise<void>>();
  const keysOf = (mail: ParsedMail, ticket: string | null) => {
    const keys = [
      ...(ticket ? [`tkt:${ticket}`] : []),
      `from:${mail.from?.address.toLowerCase() ?? ""}`,
      ...mail.inReplyTo.map((id) => `id:${id}`),
      ...mail.references.map((id) => `id:${id}`),
    ];
    const number = ticketReferenceInSubject(mail.subject);
    if (number) keys.push(`ticket:${number}`);
    return keys;
  };
  const lastByKey = new Map<string, number>();
  let running = 0;
  const waiting: Array<() => void> = [];
  const slot = async () => {
    while (running >= concurrency)
      await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
  };
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  for (const { uid, raw, mail, ticket } of parsed) {
    const keys = keysOf(mail, ticket);
    const after = [
      ...new Set(
        keys.flatMap((k) => {
          const earlier = lastByKey.get(k);
          return earlier === undefined ? [] : [done.get(earlier)!];
        }),
      ),
    ];
    // Later messages that answer this one wait for it too.
    for (const k of [
      ...keys,
      ...(mail.messageId ? [`id:${mail.messageId}`] : []),
    ])
      lastByKey.set(k, uid);
    done.set(
      uid,
      (async () => {
        await Promise.all(after);
        await slot();
        try {
          await work(uid, raw, mail);
        } finally {
          release();
        }
      })(),
    );
  }
  await Promise.all(done.values());
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
