import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { apiKeys, type ApiKey } from "@/db/schema";
import { preparedQuery } from "@/db/prepared";
import type { Db } from "@/db/types";
import { recordAudit, type AuditInput } from "@/lib/audit/record-audit";
import type { ApiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import { osTicketFailure, type OsTicketResult } from "@/lib/osticket/errors";
import {
  apiKeyDigest,
  apiKeyPrefix,
  generateApiKey,
  normalizeApiKey,
} from "@/lib/osticket/api-key-format";
import { ok, type Result } from "@/lib/result";
import { normalizeIp } from "@/lib/peer";

// API keys for the osTicket-compatible API. Only a SHA-256 digest is stored (keys are 128 random
// bits, so a slow hash adds nothing); the prefix lets admins tell keys apart.

const LAST_USED_RESOLUTION_MS = 5_000;

/** Creates a key and returns it in full: the only time anyone sees it. */
export async function createApiKey(
  db: Db,
  actor: AuditInput["actor"],
  input: ApiKeyCreateInput,
  now = new Date(),
): Promise<Result<{ key: string; apiKey: ApiKey }>> {
  const key = generateApiKey();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        prefix: apiKeyPrefix(key),
        keyHash: apiKeyDigest(key),
        ipAddress: normalizeIp(input.ipAddress),
        isActive: input.isActive,
        canCreateTickets: input.canCreateTickets,
        notes: input.notes,
        createdById: actor.kind === "user" ? actor.id : null,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "api_key.created",
      entityType: "api_key",
      entityId: String(row!.id),
      data: {
        prefix: row!.prefix,
        ipAddress: row!.ipAddress,
        isActive: row!.isActive,
        canCreateTickets: row!.canCreateTickets,
      },
      at: now,
    });
    return ok({ key, apiKey: row! });
  });
}

/**
 * Checks an X-API-Key from `ip` the way osTicket does (docs/api.md §2): an unknown key and a key bound
 * to another address get the same answer; a disabled key and a key without the permission each get
 * their own. A successful check records when and from where the key was last used.
 */
export async function authenticateApiKey(
  db: Db,
  presented: string | null,
  ip: string,
  need: "create_tickets",
  now = new Date(),
): Promise<OsTicketResult<ApiKey>> {
  const key = normalizeApiKey(presented);
  if (!key) return osTicketFailure({ kind: "api_key_required" });
  const address = normalizeIp(ip);
  const [found] = await keyByDigest(db).execute({
    digest: apiKeyDigest(key),
    ip: address,
  });
  if (!found || found.row.revokedAt || !found.sameIp)
    return osTicketFailure({ kind: "api_key_required" });
  const row = found.row;
  if (!row.isActive) return osTicketFailure({ kind: "api_key_inactive" });
  if (need === "create_tickets" && !row.canCreateTickets)
    return osTicketFailure({ kind: "api_key_not_authorized" });
  // At most one write per key every few seconds: under load, every call updating the same row
  // would queue the calls behind its lock.
  const stale =
    !row.lastUsedAt ||
    now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS ||
    row.lastUsedIp !== address;
  if (stale)
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now, lastUsedIp: address })
      .where(eq(apiKeys.id, row.id));
  return { ok: true, value: row };
}

const keyByDigest = preparedQuery((db) =>
  db
    .select({
      row: apiKeys,
      // inet equality, so equivalent spellings of one IPv6 address match.
      sameIp: sql<boolean>`${apiKeys.ipAddress} = ${sql.placeholder("ip")}::inet`,
    })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, sql.placeholder("digest")))
    .prepare("api_key_by_digest"),
);

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
}

/** Turns a key on or off (osTicket's "active"); revoked keys stay revoked. */
export async function setApiKeyActive(
  db: Db,
  actor: AuditInput["actor"],
  id: number,
  isActive: boolean,
  now = new Date(),
): Promise<Result<ApiKey | null>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ isActive })
      .where(eq(apiKeys.id, id))
      .returning();
    if (row) {
      await recordAudit(tx, {
        actor,
        action: isActive ? "api_key.activated" : "api_key.deactivated",
        entityType: "api_key",
        entityId: String(id),
        data: { prefix: row.prefix },
        at: now,
      });
    }
    return ok(row ?? null);
  });
}

/** Revokes a key for good; it then answers like a key that never existed. */
export async function revokeApiKey(
  db: Db,
  actor: AuditInput["actor"],
  id: number,
  now = new Date(),
): Promise<Result<ApiKey | null>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ isActive: false, revokedAt: now })
      .where(eq(apiKeys.id, id))
      .returning();
    if (row) {
      await recordAudit(tx, {
        actor,
        action: "api_key.revoked",
        entityType: "api_key",
        entityId: String(id),
        data: { prefix: row.prefix },
        at: now,
      });
    }
    return ok(row ?? null);
  });
}
