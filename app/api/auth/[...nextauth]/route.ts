import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth's own endpoints (session, csrf, signout, credentials callback). Options are built per
// request because they read the environment lazily.
function handler(
  req: Request,
  ctx: { params: Promise<{ nextauth: string[] }> },
) {
  return NextAuth(req as never, ctx as never, authOptions());
}

export { handler as GET, handler as POST };
