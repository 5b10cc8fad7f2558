import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { authenticate } from "@/lib/auth/authenticate";
import { openSessionRow } from "@/lib/auth/sessions";
import { clientAddressOf } from "@/lib/auth/client-address";
import { signInInput } from "@/lib/auth/schemas";
import { authSecret, env } from "@/lib/env";
import type { UserRole } from "@/db/schema";

export const SESSION_MAX_AGE = 30 * 24 * 3600;

/** The session cookie, shared by next-auth and our own sign-in actions so both agree on it. */
export function sessionCookie() {
  const secure = env().appUrl.startsWith("https://");
  return {
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    pages: { signIn: "/sign-in" },
    cookies: { sessionToken: sessionCookie() },
    providers: [
      // The portal's forms sign in through server actions; this provider gives next-auth's own
      // endpoint the same checks (and the same throttling) for clients that use it.
      CredentialsProvider({
        credentials: {
          email: { type: "email" },
          password: { type: "password" },
        },
        async authorize(raw, req) {
          const input = signInInput.safeParse(raw);
          if (!input.success) return null;
          const headers = new Headers();
          for (const [name, value] of Object.entries(req.headers ?? {}))
            if (typeof value === "string") headers.set(name, value);
          const result = await authenticate(await getDb(), {
            ...input.data,
            client: clientAddressOf(headers),
          });
          if (!result.ok) throw new Error(result.error.message);
          // This endpoint has no second step to offer: such accounts use the sign-in page.
          if (result.value.twoFactor)
            throw new Error("This account signs in with a second step.");
          const { id, email, name, role, sessionVersion } = result.value;
          const sessionId = await openSessionRow(await getDb(), id, {
            userAgent: headers.get("user-agent"),
            ip: clientAddressOf(headers),
          });
          return { id, email, name, role, sessionVersion, sessionId };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.role = user.role;
          token.sv = user.sessionVersion;
          token.sid = user.sessionId;
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.sub ?? "",
          email: token.email ?? "",
          name: token.name ?? "",
          role: token.role,
          sv: token.sv,
          sid: token.sid,
        };
        return session;
      },
    },
  };
}

declare module "next-auth" {
  interface User {
    role: UserRole;
    sessionVersion: number;
    sessionId: string;
  }
  interface Session {
    user: {
      id: string;
      email: string;
      name: string;
      role: UserRole;
      sv: number;
      /** The session's row (user_sessions); absent on cookies from before rows existed. */
      sid?: string;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role: UserRole;
    sv: number;
    sid?: string;
  }
}
