import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { initialFormState } from "@/lib/forms";

// Every server action and route handler, called with no session, must refuse. Entry points are
// discovered, so a new one is covered the day it is added; the few public ones are listed here.

// Should a check be missing, the entry point must reach a throw-away database, not .data/.
process.env.PGLITE_DIR = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), "portico-anon-")),
  "db",
);
delete process.env.DATABASE_URL;

vi.mock("next-auth", async (original) => ({
  ...(await original<object>()),
  getServerSession: async () => null,
}));
vi.mock("next/server", async (original) => ({
  ...(await original<object>()),
  connection: async () => {},
  after: () => {},
}));

const PUBLIC_ACTIONS = new Set([
  "app/(auth)/actions.ts#signUpAction",
  "app/(auth)/actions.ts#signInAction",
  "app/(auth)/actions.ts#signOutAction",
  "app/(auth)/actions.ts#requestPasswordResetAction",
  "app/(auth)/actions.ts#resetPasswordAction",
  // Authenticates by the single-use token mailed to the address.
  "app/(auth)/actions.ts#spendEmailLinkAction",
  // Authenticates by the sign-in challenge its cookie names, opened by a checked password.
  "app/(auth)/actions.ts#secondStepAction",
  "app/(auth)/actions.ts#resendSignInCodeAction",
  // How people without an account reach support; limited per address and client.
  "app/(shop)/contact/actions.ts#sendContactMessageAction",
  // Authenticates by the one-time token the server prints while no administrator exists.
  "app/setup/actions.ts#setupAction",
  // A signed-out visitor's cart lives behind a cookie; checkout itself needs a customer.
  "app/(shop)/cart/actions.ts#addToCartAction",
  "app/(shop)/cart/actions.ts#setCartQuantityAction",
  "app/(shop)/cart/actions.ts#removeFromCartAction",
]);
const PUBLIC_ROUTES = new Set([
  "app/api/health/route.ts",
  "app/api/auth/[...nextauth]/route.ts",
  // Product images, as public as the catalogue they illustrate.
  "app/(shop)/products/images/[id]/route.ts",
]);

// osTicket's API answers any method but POST with 400 `URL not supported` before looking at the key.
const OSTICKET_ROUTES = new Set([
  "app/api/tickets.json/route.ts",
  "app/api/tickets.xml/route.ts",
  "app/api/tickets.email/route.ts",
  "app/api/[...path]/route.ts",
]);

const actionModules = import.meta.glob<Record<string, unknown>>(
  "./**/actions.ts",
);
const routeModules = import.meta.glob<Record<string, unknown>>("./**/route.ts");
const rel = (p: string) => `app/${p.replace(/^\.\//, "")}`;

/** What a refusal looks like: Next's redirect to sign-in, or a 401/403/404 answer. */
async function refusal(run: () => unknown): Promise<string> {
  try {
    const result = await run();
    if (result instanceof Response)
      return result.status >= 400
        ? `status ${result.status}`
        : `allowed (${result.status})`;
    return `allowed (${JSON.stringify(result)})`;
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_REDIRECT") && digest.includes("/sign-in"))
      return "redirect to sign-in";
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK")) return "http error";
    throw error;
  }
}

describe("anonymous callers", () => {
  it("finds the entry points", () => {
    expect(Object.keys(actionModules).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(routeModules).length).toBeGreaterThanOrEqual(5);
  });

  for (const [file, load] of Object.entries(actionModules)) {
    it(`are refused by every action in ${rel(file)}`, async () => {
      const mod = await load();
      for (const [name, fn] of Object.entries(mod)) {
        if (
          typeof fn !== "function" ||
          PUBLIC_ACTIONS.has(`${rel(file)}#${name}`)
        )
          continue;
        const form = new FormData();
        form.set("number", "123456");
        const args = fn.length >= 2 ? [initialFormState, form] : [form];
        expect(
          `${name}: ${await refusal(() => (fn as (...a: unknown[]) => unknown)(...args))}`,
        ).toMatch(/: (redirect to sign-in|http error|status 40[134])$/);
      }
    });
  }

  for (const [file, load] of Object.entries(routeModules)) {
    if (PUBLIC_ROUTES.has(rel(file))) continue;
    it(`are refused by ${rel(file)}`, async () => {
      const mod = await load();
      const ctx = {
        params: Promise.resolve({
          number: "123456",
          id: "00000000-0000-0000-0000-000000000000",
          path: ["http.php", "tickets.json"],
        }),
      };
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const handler = mod[method] as
          ((req: Request, c: typeof ctx) => unknown) | undefined;
        if (!handler) continue;
        const req = new Request(`http://portal.test/${rel(file)}`, {
          method,
          body: method === "GET" ? undefined : "{}",
        });
        expect(`${method}: ${await refusal(() => handler(req, ctx))}`).toMatch(
          OSTICKET_ROUTES.has(rel(file)) && method !== "POST"
            ? /: status 400$/
            : /: (redirect to sign-in|http error|status 40[134])$/,
        );
      }
    });
  }
});
