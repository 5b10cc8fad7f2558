import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, auditLog } from "@/db/schema";
import { apiKeyCreateInput } from "@/lib/osticket/api-key-schemas";
import {
  authenticateApiKey,
  createApiKey,
  revokeApiKey,
  setApiKeyActive,
} from "@/lib/osticket/api-keys";
import { createTestDb, type TestDb } from "@/testing/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const system = { kind: "system" } as const;
async function newKey(over: Record<string, string> = {}) {
  const r = await createApiKey(
    t.db,
    system,
    apiKeyCreateInput.parse({
      ipAddress: "203.0.113.7",
      isActive: "on",
      canCreateTickets: "on",
      ...over,
    }),
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const kind = (r: Awaited<ReturnType<typeof authenticateApiKey>>) =>
  r.ok ? "ok" : r.error.kind;

describe("API keys", () => {
  it("are 32 upper-case hex characters, stored only as a digest, shown once", async () => {
    const { key, apiKey } = await newKey({ notes: "monitoring" });
    expect(key).toMatch(/^[0-9A-F]{32}$/);
    const [row] = await t.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, apiKey.id));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row?.prefix).toBe(key.slice(0, 8));
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(apiKey.id)));
    expect(audit.map((a) => a.action)).toContain("api_key.created");
  });

  it("answer like osTicket for each way a key can fail", async () => {
    const { key } = await newKey();
    const { key: noCreate } = await newKey({ canCreateTickets: "false" });
    const { key: disabled } = await newKey({ isActive: "false" });
    const check = (k: string | null, ip = "203.0.113.7") =>
      authenticateApiKey(t.db, k, ip, "create_tickets");
    expect(kind(await check(key))).toBe("ok");
    expect(kind(await check(key.toLowerCase()))).toBe("ok"); // case-insensitive, as osTicket's collation
    expect(kind(await check(null))).toBe("api_key_required");
    expect(kind(await check(""))).toBe("api_key_required");
    expect(kind(await check("58978C385F8C030C1146BD27985BA6F4"))).toBe(
      "api_key_required",
    );
    expect(kind(await check(key, "198.51.100.1"))).toBe("api_key_required"); // another IP: no message of its own
    expect(kind(await check(disabled))).toBe("api_key_inactive");
    expect(kind(await check(noCreate))).toBe("api_key_not_authorized");
  });

  it("match IPv4 peers seen as IPv4-mapped IPv6, and IPv6 in any spelling", async () => {
    const { key } = await newKey();
    expect(
      kind(
        await authenticateApiKey(
          t.db,
          key,
          "::ffff:203.0.113.7",
          "create_tickets",
        ),
      ),
    ).toBe("ok");
    const { key: v6 } = await newKey({ ipAddress: "2001:db8::1" });
    expect(
      kind(
        await authenticateApiKey(
          t.db,
          v6,
          "2001:0db8:0000:0000:0000:0000:0000:0001",
          "create_tickets",
        ),
      ),
    ).toBe("ok");
  });

  it("record the last use, and stop working when deactivated or revoked", async () => {
    const { key, apiKey } = await newKey();
    const now = new Date("2026-04-01T12:00:00Z");
    await authenticateApiKey(t.db, key, "203.0.113.7", "create_tickets", now);
    const [used] = await t.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, apiKey.id));
    expect(used).toMatchObject({ lastUsedAt: now, lastUsedIp: "203.0.113.7" });

    await setApiKeyActive(t.db, system, apiKey.id, false);
    expect(
      kind(
        await authenticateApiKey(t.db, key, "203.0.113.7", "create_tickets"),
      ),
    ).toBe("api_key_inactive");
    await setApiKeyActive(t.db, system, apiKey.id, true);
    await revokeApiKey(t.db, system, apiKey.id);
    expect(
      kind(
        await authenticateApiKey(t.db, key, "203.0.113.7", "create_tickets"),
      ),
    ).toBe("api_key_required");
  });

  it("refuse addresses that are not one IPv4 or IPv6 address", () => {
    for (const ipAddress of ["10.0.0.0/8", "*", "example.com", "1.2.3", ""]) {
      expect(apiKeyCreateInput.safeParse({ ipAddress }).success).toBe(false);
    }
  });
});
