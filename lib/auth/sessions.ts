import "server-only";
import { and, desc, eq, isNull, lt, ne } from "drizzle-orm";
import { userSessions, users, type User } from "@/db/schema";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { fail, ok, type Result } from "@/lib/result";

// Each signed-in browser has a row, named by its session cookie: the security page lists them
// (device, address, last seen) and ends any of them. The cookie alone no longer proves a session;
// its row must still be open.

// Last seen is written at most this often, so reading a page is not a write every time.
const TOUCH_AFTER_MS = 5 * 60_000;
// Long enough for a browser's user-agent; anything longer is someone's padding.
const AGENT_MAX = 400;

export async function openSessionRow(
  db: Db,
  userId: string,
  client: { userAgent: string | null; ip: string | null },
  now = new Date(),
): Promise<string> {
  const [row] = await db
    .insert(userSessions)
    .values({
      userId,
      userAgent: client.userAgent?.slice(0, AGENT_MAX) ?? null,
      ip: client.ip,
      createdAt: now,
      lastSeenAt: now,
    })
    .returning({ id: userSessions.id });
  return row!.id;
}

/**
 * The account behind a session cookie, if the account is active, the cookie's session version is
 * current and its session row is still open. Null otherwise.
 */
export async function sessionAccount(
  db: Db,
  cookie: { userId: string; sessionId: string; sessionVersion: number },
  now = new Date(),
): Promise<User | null> {
  const [row] = await db
    .select({ user: users, lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, cookie.sessionId),
        eq(userSessions.userId, cookie.userId),
        isNull(userSessions.endedAt),
      ),
    );
  const user = row?.user;
  if (
    !user ||
    user.deactivatedAt ||
    user.sessionVersion !== cookie.sessionVersion
  )
    return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS)
    await db
      .update(userSessions)
      .set({ lastSeenAt: now })
      .where(
        and(
          eq(userSessions.id, cookie.sessionId),
          lt(userSessions.lastSeenAt, new Date(now.getTime() - TOUCH_AFTER_MS)),
        ),
      );
  return user;
}

export type SessionRow = {
  id: string;
  device: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** The account's open sessions, most recently seen first. */
export async function listSessions(
  db: Db,
  userId: string,
  currentId: string | null,
): Promise<SessionRow[]> {
  const rows = await db
    .select()
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt)))
    .orderBy(desc(userSessions.lastSeenAt))
    .limit(50);
  return rows.map((r) => ({
    id: r.id,
    device: describeDevice(r.userAgent),
    ip: r.ip,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    current: r.id === currentId,
  }));
}

/**
 * Ends one of the account's sessions, or every one but `keep`. Rows of other accounts are never
 * touched, whatever id is posted.
 */
export async function endSessions(
  db: Db,
  userId: string,
  which: { sessionId: string } | { allBut: string | null },
  now = new Date(),
): Promise<Result<{ ended: number }>> {
  const ended = await db
    .update(userSessions)
    .set({ endedAt: now })
    .where(
      and(
        eq(userSessions.userId, userId),
        isNull(userSessions.endedAt),
        "sessionId" in which
          ? eq(userSessions.id, which.sessionId)
          : which.allBut
            ? ne(userSessions.id, which.allBut)
            : undefined,
      ),
    )
    .returning({ id: userSessions.id });
  if ("sessionId" in which && ended.length === 0)
    return fail("not_found", "That session has already ended.");
  await recordAudit(db, {
    actor: { kind: "user", id: userId },
    action: "user.sessions_ended",
    entityType: "user",
    entityId: userId,
    data: { count: ended.length },
    at: now,
  });
  return ok({ ended: ended.length });
}

/** "Firefox on Windows": enough to recognise one's own devices, from the user-agent alone. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /OPR\//.test(userAgent)
      ? "Opera"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Chrom(e|ium)\//.test(userAgent)
          ? "Chrome"
          : /Safari\//.test(userAgent)
            ? "Safari"
            : null;
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad|iOS/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(userAgent)
          ? "macOS"
          : /CrOS/.test(userAgent)
            ? "ChromeOS"
            : /Linux/.test(userAgent)
              ? "Linux"
              : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Other device";
}

/** Closes every open row of the account, for whatever moved its session version on. */
export async function closeAllSessionRows(
  db: Db,
  userId: string,
  now: Date,
): Promise<void> {
  await db
    .update(userSessions)
    .set({ endedAt: now })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt)));
}
