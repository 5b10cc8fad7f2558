import "server-only";
import { eq, sql } from "drizzle-orm";
import { users, type User } from "@/db/schema";
import type { Db } from "@/db/types";

export async function getUserByEmail(
  db: Db,
  email: string,
): Promise<User | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return row ?? null;
}

export async function getUserById(db: Db, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}
