import "server-only";
import { getServerSession } from "next-auth";
import { encode } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { connection } from "next/server";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { SessionSubject } from "@/lib/auth/authenticate";
import { clientAddressOf } from "@/lib/auth/client-address";
import {
  authOptions,
  SESSION_MAX_AGE,
  sessionCookie,
} from "@/lib/auth/options";
import { safeCallbackPath } from "@/lib/auth/schemas";
import { openSessionRow, sessionAccount } from "@/lib/auth/sessions";
import { endAllSessions } from "@/lib/auth/sign-out";
import { STAFF_SECURITY_PAGE, staffTwoFactorRequired } from "@/lib/auth/policy";
import { CHALLENGE_MINUTES } from "@/lib/auth/two-factor";
import { isStaff, type Viewer } from "@/lib/auth/viewer";
import { authSecret } from "@/lib/env";
import { isUuid } from "@/lib/ids";
import type { User } from "@/db/schema";
import type { AppError } from "@/lib/result";
import { getUserById } from "@/lib/users/queries";

// The one place that knows how sessions are kept (next-auth v4 JWT cookies). Pages, actions and
// route handlers ask here who is signed in; moving to another auth library touches this folder only.

/**
 * The signed-in person, re-read from the database on every request so a deactivation, role change
 * or password reset takes effect at once. Null when signed out or the session is stale.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const user = await signedInUser();
  if (!user) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
  };
});

// The session cookie, decoded once per request (getViewer and the security page both ask).
const currentSession = cache(async () => {
  await connection(); // per-request by nature; also keeps `next build` from resolving the secret
  return getServerSession(authOptions());
});

// The signed-in account's row, read once per request.
const signedInUser = cache(async (): Promise<User | null> => {
  const session = await currentSession();
  if (!session?.user?.id) return null;
  const db = await getDb();
  if (session.user.sid)
    return sessionAccount(db, {
      userId: session.user.id,
      sessionId: session.user.sid,
      sessionVersion: session.user.sv,
    });
  // A cookie from before session rows: good until the session version moves on ("sign out
  // everywhere", a password change), which the security page offers.
  const user = await getUserById(db, session.user.id);
  if (!user || user.deactivatedAt || user.sessionVersion !== session.user.sv)
    return null;
  return user;
});

/** The id of this browser's session row, to mark it on the security page. */
export async function currentSessionId(): Promise<string | null> {
  const session = await currentSession();
  return session?.user?.sid ?? null;
}

/**
 * Signed-in person of any role; everyone else is sent to sign in and then to `returnTo`
 * (Next gives server components no way to read their own URL, so callers pass it).
 */
export async function requireUser(returnTo = "/"): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer)
    redirect(
      `/sign-in?callbackUrl=${encodeURIComponent(safeCallbackPath(returnTo))}`,
    );
  return viewer;
}

/** A customer. Agents have their own desk and are sent there. */
export async function requireCustomer(returnTo?: string): Promise<Viewer> {
  const viewer = await requireUser(returnTo);
  if (isStaff(viewer)) redirect("/staff");
  return viewer;
}

/**
 * An agent or admin; a signed-in customer gets 403. When the desk requires two-step sign-in, staff
 * without it are taken to set it up first (the security page itself stays open to them).
 */
export async function requireAgent(returnTo?: string): Promise<Viewer> {
  const viewer = await requireStaffMember(returnTo);
  const user = await signedInUser();
  if (
    !user?.twoFactor &&
    !returnTo?.startsWith(STAFF_SECURITY_PAGE) &&
    (await staffTwoFactorRequired(await getDb()))
  )
    redirect(`${STAFF_SECURITY_PAGE}?required=1`);
  return viewer;
}

/**
 * The staff desk's JSON routes: the agent or admin making the request, or why not (401, or 403 for a
 * customer and for staff the two-step rule sends to set-up first).
 */
export async function agentForApi(): Promise<
  { ok: true; viewer: Viewer } | { ok: false; error: AppError }
> {
  const viewer = await getViewer();
  if (!viewer)
    return {
      ok: false,
      error: { code: "unauthenticated", message: "Sign in first." },
    };
  if (!isStaff(viewer))
    return { ok: false, error: { code: "forbidden", message: "Agents only." } };
  const user = await signedInUser();
  if (!user?.twoFactor && (await staffTwoFactorRequired(await getDb())))
    return {
      ok: false,
      error: {
        code: "forbidden",
        message: "Set up two-step sign-in first: the desk requires it.",
      },
    };
  return { ok: true, viewer };
}

/**
 * An agent or admin, whatever the two-step rule: for the staff layout, which frames the set-up page
 * too (a layout cannot tell which page it frames, and each page applies the rule itself).
 */
export async function requireStaffMember(returnTo?: string): Promise<Viewer> {
  const viewer = await requireUser(returnTo);
  if (!isStaff(viewer)) forbidden();
  return viewer;
}

export async function requireAdmin(returnTo?: string): Promise<Viewer> {
  const viewer = await requireAgent(returnTo);
  if (viewer.role !== "admin") forbidden();
  return viewer;
}

/** Signs `subject` in by setting next-auth's session cookie, as its own sign-in endpoint would. */
export async function startSession(subject: SessionSubject): Promise<void> {
  const { name, options } = sessionCookie();
  const request = await headers();
  const sid = await openSessionRow(await getDb(), subject.id, {
    userAgent: request.get("user-agent"),
    ip: clientAddressOf(request),
  });
  const token = await encode({
    secret: authSecret(),
    maxAge: SESSION_MAX_AGE,
    token: {
      sub: subject.id,
      email: subject.email,
      name: subject.name,
      role: subject.role,
      sv: subject.sessionVersion,
      sid,
    },
  });
  (await cookies()).set(name, token, { ...options, maxAge: SESSION_MAX_AGE });
}

/** Signs out: every session of the signed-in person ends (see endAllSessions), and this cookie goes. */
export async function endSession(): Promise<void> {
  const viewer = await getViewer();
  if (viewer) await endAllSessions(await getDb(), viewer.id);
  (await cookies()).delete(sessionCookie().name);
}

/** The address of the client making this request, for the sign-in limits; null when unknown. */
export async function requestClientAddress(): Promise<string | null> {
  return clientAddressOf(await headers());
}

// The second step of signing in is carried by its challenge's id (random, unguessable) in a short-
// lived cookie of its own, so the session cookie is only ever set once both steps are done.
const CHALLENGE_COOKIE = "portico.sign-in-step";

export async function holdChallenge(id: string): Promise<void> {
  const { options } = sessionCookie();
  (await cookies()).set(CHALLENGE_COOKIE, id, {
    ...options,
    maxAge: CHALLENGE_MINUTES * 60,
  });
}

export async function heldChallenge(): Promise<string | null> {
  const id = (await cookies()).get(CHALLENGE_COOKIE)?.value;
  return id && isUuid(id) ? id : null;
}

export async function dropChallenge(): Promise<void> {
  (await cookies()).delete(CHALLENGE_COOKIE);
}
