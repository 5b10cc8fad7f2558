import "server-only";
import { desc, eq, lt } from "drizzle-orm";
import { apiCalls, apiKeys, tickets } from "@/db/schema";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";

export type ApiCallRecord = {
  apiKeyId: number | null;
  keyPrefix: string | null;
  ip: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  ticketId: string | null;
  error: string | null;
  replayed: boolean;
  at: Date;
};

type Batch = { db: Db; rows: (typeof apiCalls.$inferInsert)[] };
let collecting: Batch | null = null;
let lastWrite: Promise<void> = Promise.resolve();

/**
 * Writes one call to the log; resolves once it is written. Calls that end while a write is under way
 * share the next insert (a group commit): under load the log costs a statement per batch, not one
 * per call. A logging failure is reported, never turned into the caller's error.
 */
export function recordApiCall(db: Db, call: ApiCallRecord): Promise<void> {
  if (collecting?.db !== db) {
    const batch: Batch = { db, rows: [] };
    collecting = batch;
    lastWrite = lastWrite.then(async () => {
      if (collecting === batch) collecting = null;
      await writeCalls(batch);
    });
  }
  collecting.rows.push({
    apiKeyId: call.apiKeyId,
    keyPrefix: call.keyPrefix,
    ip: call.ip,
    method: call.method,
    path: call.path.slice(0, 500),
    status: call.status,
    durationMs: Math.round(call.durationMs),
    ticketId: call.ticketId,
    error: call.error?.slice(0, 500) ?? null,
    replayed: call.replayed,
    createdAt: call.at,
  });
  return lastWrite;
}

async function writeCalls({ db, rows }: Batch): Promise<void> {
  try {
    await db.insert(apiCalls).values(rows);
  } catch (error) {
    log.error("api.call_log_failed", {
      error: String(error),
      calls: rows.length,
    });
  }
}

export type ApiCallRow = {
  id: number;
  at: Date;
  keyPrefix: string | null;
  apiKeyId: number | null;
  ip: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  ticketNumber: string | null;
  error: string | null;
  replayed: boolean;
};

/** The newest calls, optionally for one key. */
export async function listApiCalls(
  db: Db,
  options: { apiKeyId?: number; limit?: number } = {},
): Promise<ApiCallRow[]> {
  return db
    .select({
      id: apiCalls.id,
      at: apiCalls.createdAt,
      keyPrefix: apiCalls.keyPrefix,
      apiKeyId: apiKeys.id,
      ip: apiCalls.ip,
      method: apiCalls.method,
      path: apiCalls.path,
      status: apiCalls.status,
      durationMs: apiCalls.durationMs,
      ticketNumber: tickets.number,
      error: apiCalls.error,
      replayed: apiCalls.replayed,
    })
    .from(apiCalls)
    .leftJoin(apiKeys, eq(apiKeys.id, apiCalls.apiKeyId))
    .leftJoin(tickets, eq(tickets.id, apiCalls.ticketId))
    .where(
      options.apiKeyId === undefined
        ? undefined
        : eq(apiCalls.apiKeyId, options.apiKeyId),
    )
    .orderBy(desc(apiCalls.createdAt), desc(apiCalls.id))
    .limit(options.limit ?? 100);
}

/** How long the call log keeps a call: long enough to trace an integration's history. */
export const API_CALL_RETENTION_DAYS = 90;

/** Drops calls older than the retention; the scheduled job calls it. */
export async function pruneApiCalls(db: Db, now = new Date()): Promise<void> {
  await db
    .delete(apiCalls)
    .where(
      lt(
        apiCalls.createdAt,
        new Date(now.getTime() - API_CALL_RETENTION_DAYS * 86_400_000),
      ),
    );
}
