import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Db } from "@/db/types";
import type { RenderedMail } from "@/lib/mail/templates/layout";
import { enqueueMails } from "@/lib/mail/outbox";

/** Queues `mail` to every active administrator: the people who can fix Mailcow's side. */
export async function mailAdmins(
  db: Db,
  mail: RenderedMail,
  now: Date,
): Promise<void> {
  const admins = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)));
  await enqueueMails(
    db,
    admins.map((a) => ({ kind: "mailbox_alert", to: a.email, ...mail })),
    now,
  );
}
