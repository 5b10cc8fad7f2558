import { eq } from "drizzle-orm";
import type * as NextAuth from "next-auth";
import type * as NextServer from "next/server";
import { renderToStaticMarkup } from "react-dom/server";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import { users } from "@/db/schema";
import { getViewer } from "@/lib/auth/session";
import { SIGN_IN_LIMITS } from "@/lib/auth/throttle";
import { PEER_HEADER } from "@/lib/peer";
import { thrownDigest } from "@/testing/actions";
import { buildUser } from "@/testing/builders";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import { form } from "@/testing/form-data";
import { signInAction, signOutAction } from "./actions";
import SignInPage from "./sign-in/page";

// The account doors as a browser uses them: the request's cookies and Portico's peer header are the
// only inputs besides the form, and next-auth reads the session from the same cookie it would.

const request = vi.hoisted(() => ({
  jar: new Map<string, string>(),
  peer: "198.51.100.7",
}));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) =>
      request.jar.has(name)
        ? { name, value: request.jar.get(name)! }
        : undefined,
    set: (name: string, value: string) => void request.jar.set(name, value),
    delete: (name: string) => void request.jar.delete(name),
  }),
  headers: async () => new Headers({ [PEER_HEADER]: request.peer }),
}));
vi.mock("next-auth", async (importOriginal) => {
  const original = await importOriginal<typeof NextAuth>();
  const { decode } = await import("next-auth/jwt");
  return {
    ...original,
    // What next-auth does for a JWT session: decode the cookie, nothing else.
    getServerSession: async () => {
      const token = request.jar.get("next-auth.session-token");
      const jwt = token
        ? await decode({ token, secret: process.env.NEXTAUTH_SECRET! })
        : null;
      return jwt
        ? { expires: "", user: { id: jwt.sub, sv: jwt.sv, role: jwt.role } }
        : null;
    },
  };
});
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
  after: () => {},
}));

const PASSWORD = "a long enough passphrase";
let restoreEnv: () => void;
let t: TestDb;

beforeAll(async () => {
  restoreEnv = setTestEnv({
    NEXTAUTH_SECRET: "test-secret-for-the-account-doors-0123456789",
    NEXTAUTH_URL: "http://portal.test",
  });
  t = await createTestDb({ asAppDatabase: true });
});

afterAll(async () => {
  restoreEnv();
  await t?.close();
});

beforeEach(() => {
  request.jar.clear();
  request.peer = "198.51.100.7";
});

const signIn = (fields: Record<string, string>) =>
  thrownDigest(signInAction({ ok: false }, form(fields)));

/** Where a redirect digest sends the browser. */
const location = (digest: string) => digest.split(";")[2];

describe("signing in", () => {
  it("follows a same-site callbackUrl, and refuses ones that would leave the site or break the header", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    const credentials = { email: user.email, password: PASSWORD };
    expect(
      location(
        await signIn({ ...credentials, callbackUrl: "/tickets/123456" }),
      ),
    ).toBe("/tickets/123456");
    for (const callbackUrl of [
      "/\t/evil.example",
      "/%09/evil.example",
      "//evil.example",
      "/\\evil.example",
      "/tickets\r\nSet-Cookie: a=b",
      "https://evil.example/",
    ]) {
      request.jar.clear();
      expect(location(await signIn({ ...credentials, callbackUrl }))).toBe(
        "/tickets",
      );
    }
  });

  it("lets the owner in from another address while a stranger's guesses lock only the stranger", async () => {
    const admin = await buildUser(t.db, {
      role: "admin",
      password: PASSWORD,
    });
    request.peer = "203.0.113.66";
    for (let i = 0; i <= SIGN_IN_LIMITS.accountFromClient.freeFailures; i++)
      await signInAction(
        { ok: false },
        form({ email: admin.email, password: `guess ${i}` }),
      );
    const stranger = await signInAction(
      { ok: false },
      form({ email: admin.email, password: PASSWORD }),
    );
    expect(stranger.message).toMatch(/^Too many failed attempts/);
    expect(request.jar.size).toBe(0);

    request.peer = "198.51.100.7";
    expect(
      location(await signIn({ email: admin.email, password: PASSWORD })),
    ).toBe("/staff");
    expect(request.jar.has("next-auth.session-token")).toBe(true);
  });

  it("sends a signed-in visitor of the sign-in page on only to a same-site path", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    await signIn({ email: user.email, password: PASSWORD });
    const page = (callbackUrl: string) =>
      thrownDigest(
        SignInPage({ searchParams: Promise.resolve({ callbackUrl }) }),
      );
    expect(location(await page("/tickets?status=open"))).toBe(
      "/tickets?status=open",
    );
    expect(location(await page("/\t/evil.example"))).toBe("/tickets");
    expect(location(await page("/x\r\nLocation: https://evil.example"))).toBe(
      "/tickets",
    );
  });
});

describe("signing out", () => {
  it("ends the session on the server, so a copied cookie no longer signs anyone in", async () => {
    const user = await buildUser(t.db, { password: PASSWORD });
    await signIn({ email: user.email, password: PASSWORD });
    const copied = request.jar.get("next-auth.session-token")!;
    expect((await getViewer())?.id).toBe(user.id);

    expect(location(await thrownDigest(signOutAction()))).toBe(
      "/sign-in?signed-out=1",
    );
    expect(request.jar.has("next-auth.session-token")).toBe(false);

    request.jar.set("next-auth.session-token", copied);
    expect(await getViewer()).toBeNull();
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.sessionVersion).toBe(user.sessionVersion + 1);

    // Signing in again works as before.
    request.jar.clear();
    await signIn({ email: user.email, password: PASSWORD });
    expect((await getViewer())?.id).toBe(user.id);
  });

  it("tells the person that every device is signed out", async () => {
    const page = await SignInPage({
      searchParams: Promise.resolve({ "signed-out": "1" }),
    });
    expect(renderToStaticMarkup(page)).toContain(
      "You are signed out on every device.",
    );
  });

  it("just clears the cookie of someone already signed out", async () => {
    expect(location(await thrownDigest(signOutAction()))).toBe(
      "/sign-in?signed-out=1",
    );
  });
});
