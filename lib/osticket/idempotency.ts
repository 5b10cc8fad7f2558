import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import { apiIdempotencyKeys } from "@/db/schema";
import type { Db } from "@/db/types";
import { osTicketFailure, type OsTicketResult } from "@/lib/osticket/errors";

// An optional Idempotency-Key header (Portico's addition to the osTicket API): a repeat within 24
// hours gets the first answer again and creates nothing. The key is claimed before the work starts,
// so two identical calls racing each other cannot both create a ticket.

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
// A claim this old without an answer belongs to a crashed call and may be taken over.
const ABANDONED_MS = 5 * 60_000;

export type StoredAnswer = { status: number; body: string };

export type Claim =
  { kind: "claimed" } | { kind: "replay"; answer: StoredAnswer };

const PRINTABLE = /^[\x21-\x7e]{1,255}$/;

export function requestHash(
  method: string,
  path: string,
  body: Uint8Array,
): string {
  return createHash("sha256")
    .update(`${method} ${path}\n`)
    .update(body)
    .digest("hex");
}

/** Claims `key` for this request, or returns the stored answer of an earlier identical one. */
export async function claimIdempotencyKey(
  db: Db,
  apiKeyId: number,
  key: string,
  hash: string,
  now = new Date(),
): Promise<OsTicketResult<Claim>> {
  if (!PRINTABLE.test(key))
    return osTicketFailure({ kind: "idempotency_key_invalid" });
  const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const abandoned = new Date(now.getTime() - ABANDONED_MS);
  const match = and(
    eq(apiIdempotencyKeys.apiKeyId, apiKeyId),
    eq(apiIdempotencyKeys.key, key),
  );
  for (let attempt = 0; attempt < 3; attempt++) {
    const [claimed] = await db
      .insert(apiIdempotencyKeys)
      .values({ apiKeyId, key, requestHash: hash, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: apiIdempotencyKeys.key });
    if (claimed) return { ok: true, value: { kind: "claimed" } };

    const [row] = await db.select().from(apiIdempotencyKeys).where(match);
    if (!row) continue; // released between the two statements: try again
    const stale =
      row.createdAt < expired ||
      (row.status === null && row.createdAt < abandoned);
    if (stale) {
      // Only one caller wins the take-over: the delete is conditional on what was read.
      await db
        .delete(apiIdempotencyKeys)
        .where(and(match, eq(apiIdempotencyKeys.createdAt, row.createdAt)));
      continue;
    }
    if (row.requestHash !== hash)
      return osTicketFailure({ kind: "idempotency_mismatch" });
    if (row.status === null || row.body === null)
      return osTicketFailure({ kind: "idempotency_in_progress" });
    return {
      ok: true,
      value: { kind: "replay", answer: { status: row.status, body: row.body } },
    };
  }
  return osTicketFailure({ kind: "idempotency_in_progress" });
}

/** Stores the answer for replays. */
export async function completeIdempotencyKey(
  db: Db,
  apiKeyId: number,
  key: string,
  answer: StoredAnswer,
): Promise<void> {
  await db
    .update(apiIdempotencyKeys)
    .set({ status: answer.status, body: answer.body })
    .where(
      and(
        eq(apiIdempotencyKeys.apiKeyId, apiKeyId),
        eq(apiIdempotencyKeys.key, key),
      ),
    );
}

/** Frees the key after a call that failed unexpectedly, so the caller may retry it. */
export async function releaseIdempotencyKey(
  db: Db,
  apiKeyId: number,
  key: string,
): Promise<void> {
  await db
    .delete(apiIdempotencyKeys)
    .where(
      and(
        eq(apiIdempotencyKeys.apiKeyId, apiKeyId),
        eq(apiIdempotencyKeys.key, key),
        isNull(apiIdempotencyKeys.status),
      ),
    );
}

/** Drops answers older than 24 hours; the scheduled job calls it. */
export async function pruneIdempotencyKeys(
  db: Db,
  now = new Date(),
): Promise<void> {
  await db
    .delete(apiIdempotencyKeys)
    .where(
      lt(
        apiIdempotencyKeys.createdAt,
        new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
      ),
    );
}
