import "server-only";
import { desc, eq } from "drizzle-orm";
import { outboundMail, type OutboundMail } from "@/db/schema";
import type { Db } from "@/db/types";
import { isUuid } from "@/lib/ids";

export async function listOutbox(
  db: Db,
  opts: { limit?: number; offset?: number } = {},
) {
  return db
    .select({
      id: outboundMail.id,
      kind: outboundMail.kind,
      toAddress: outboundMail.toAddress,
      subject: outboundMail.subject,
      status: outboundMail.status,
      attempts: outboundMail.attempts,
      lastError: outboundMail.lastError,
      createdAt: outboundMail.createdAt,
      sentAt: outboundMail.sentAt,
    })
    .from(outboundMail)
    .orderBy(desc(outboundMail.createdAt))
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0);
}

export async function getOutboundMail(
  db: Db,
  id: string,
): Promise<OutboundMail | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select()
    .from(outboundMail)
    .where(eq(outboundMail.id, id));
  return row ?? null;
}
