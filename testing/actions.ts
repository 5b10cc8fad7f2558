import type { Session } from "next-auth";
import type { User } from "@/db/schema";

// For tests that call server actions directly, with next-auth's getServerSession mocked.

/** The next-auth session a signed-in `user` would have. */
export const sessionOf = (
  u: Pick<User, "id" | "email" | "name" | "role" | "sessionVersion">,
): Session => ({
  expires: new Date(Date.now() + 3600_000).toISOString(),
  user: {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    sv: u.sessionVersion,
  },
});

/** The digest of what an action threw (Next's redirect, 403, …), or a sentence if it returned. */
export async function thrownDigest(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return String((error as { digest?: unknown }).digest);
  }
  return "(the action returned instead of refusing)";
}
