import "server-only";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { users, type User } from "@/db/schema";
import type { Db } from "@/db/types";
import { isUuid } from "@/lib/ids";

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

export type StaffMember = Pick<
  User,
  "id" | "name" | "email" | "role" | "deactivatedAt" | "lastSignInAt"
> & {
  /** False until an invited agent follows their link and chooses a password. */
  hasPassword: boolean;
  departments: Array<{ id: number; name: string }>;
};

/** Agents and admins, active ones first, then by name. */
export async function listStaff(db: Db): Promise<StaffMember[]> {
  const rows = await db.query.users.findMany({
    where: inArray(users.role, ["agent", "admin"]),
    orderBy: [sql`${users.deactivatedAt} is not null`, asc(users.name)],
    with: {
      departments: {
        with: { department: { columns: { id: true, name: true } } },
      },
    },
  });
  return rows.map(toStaffMember);
}

/** An agent or admin by id; null for a customer, a malformed id or nobody. */
export async function getStaffMember(
  db: Db,
  id: string,
): Promise<StaffMember | null> {
  if (!isUuid(id)) return null;
  const row = await db.query.users.findFirst({
    where: eq(users.id, id),
    with: {
      departments: {
        with: { department: { columns: { id: true, name: true } } },
      },
    },
  });
  return row && row.role !== "customer" ? toStaffMember(row) : null;
}

function toStaffMember(
  row: User & {
    departments: Array<{ department: { id: number; name: string } }>;
  },
): StaffMember {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    deactivatedAt: row.deactivatedAt,
    lastSignInAt: row.lastSignInAt,
    hasPassword: row.passwordHash !== null,
    departments: row.departments
      .map((m) => m.department)
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
