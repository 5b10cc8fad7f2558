import { connect } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { authFile } from "./support";

// Portico's server at the edge, as a browser and other clients meet it: every page's
// Content-Security-Policy (Next's scripts run with the page's nonce, nothing injected does, and the
// charts and the live queue still work), form posts held to their size and to this site, and an
// oversized body answered even to a client that writes it whole before reading.

type Watched = Window & { __violations?: string[] };

/** Records the page's CSP violations from before its first script runs. */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as Watched;
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__violations!.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
}

// zod feature-tests `new Function` once and, refused, validates without it: that refusal is the
// policy doing its job, not a page breaking.
const violationsOf = async (page: Page) =>
  (await page.evaluate(() => (window as Watched).__violations ?? [])).filter(
    (v) => v !== "script-src eval",
  );

const nonceOf = (policy: string | undefined) =>
  /'nonce-([^']+)'/.exec(policy ?? "")?.[1];

test.describe("the Content-Security-Policy", () => {
  test("every page carries it, with a fresh nonce on each of Next's scripts", async ({
    request,
  }) => {
    const first = await request.get("/");
    const policy = first.headers()["content-security-policy"];
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("'strict-dynamic'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const nonce = nonceOf(policy);
    expect(nonce).toBeTruthy();

    const scripts = [...(await first.text()).matchAll(/<script\b[^>]*>/g)].map(
      ([tag]) => tag,
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const again = await request.get("/sign-in");
    expect(nonceOf(again.headers()["content-security-policy"])).not.toBe(nonce);
    // API answers are not pages.
    const health = await request.get("/api/health");
    expect(health.headers()["content-security-policy"]).toBeUndefined();
  });

  test("a script injected into a page's markup does not run, and the browser reports it", async ({
    page,
  }) => {
    await watchViolations(page);
    // Markup that got past the sanitiser into a server-rendered page: the answer is the server's own,
    // policy header included, with an inline <script> and an onerror handler added to the HTML.
    await page.route("/products", async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        "</body>",
        "<script>window.__ran = 'inline script';</script>" +
          '<img src="/missing-image.png" onerror="window.__ran = \'onerror\'"></body>',
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto("/products");
    await expect
      .poll(() => violationsOf(page))
      .toEqual(
        expect.arrayContaining([
          "script-src-elem inline",
          "script-src-attr inline",
        ]),
      );
    expect(
      await page.evaluate(() => (window as { __ran?: string }).__ran),
    ).toBeUndefined();
    // Next's own scripts, which carry the nonce, did run: a link navigates without a reload.
    await page.evaluate(
      () => ((window as { __sameDocument?: boolean }).__sameDocument = true),
    );
    await page.getByRole("link", { name: "Sign in" }).click();
    await expect(page).toHaveURL("/sign-in");
    expect(
      await page.evaluate(
        () => (window as { __sameDocument?: boolean }).__sameDocument,
      ),
    ).toBe(true);
  });

  test("the page for an unknown address runs its scripts too", async ({
    page,
  }) => {
    await watchViolations(page);
    const res = await page.goto("/no-such-page");
    expect(res?.status()).toBe(404);
    await expect(
      page.getByRole("heading", { name: "Page not found" }),
    ).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await violationsOf(page)).toEqual([]);
  });

  test.describe("an agent's pages", () => {
    test.use({ storageState: authFile("sam") });

    test("the live queue polls and the dashboard draws its charts, with nothing refused", async ({
      page,
    }) => {
      await watchViolations(page);
      // The queue refreshes itself from /api/staff/queue.
      const polled = page.waitForResponse(
        (res) => res.url().includes("/api/staff/queue") && res.ok(),
      );
      await page.goto("/staff");
      await expect(
        page.getByRole("heading", { name: "Queue", level: 1 }),
      ).toBeVisible();
      await polled;
      expect(await violationsOf(page)).toEqual([]);

      await page.goto("/staff/dashboard");
      const bars = page.locator(".recharts-bar-rectangle");
      await expect(bars.first()).toBeVisible();
      expect(await bars.count()).toBeGreaterThan(1);
      expect(await violationsOf(page)).toEqual([]);
    });
  });

  test.describe("a customer's pages", () => {
    test.use({ storageState: authFile("alice") });

    test("hydrate and work with nothing refused", async ({ page }) => {
      await watchViolations(page);
      for (const path of ["/tickets", "/mailbox", "/orders", "/products"]) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        expect(await violationsOf(page), path).toEqual([]);
      }
      // Client-side navigation only works when Next's scripts ran.
      await page.goto("/tickets");
      await page.getByRole("link", { name: "Open a ticket" }).first().click();
      await expect(page).toHaveURL("/tickets/new");
      expect(await violationsOf(page)).toEqual([]);
    });
  });
});

test.describe("form posts at the edge", () => {
  test.describe("signed in", () => {
    test.use({ storageState: authFile("alice") });

    test("a customer still attaches a 3 MB file, past the 1 MB every other form gets", async ({
      page,
    }) => {
      const subject = `Large log attached ${Date.now()}`;
      await page.goto("/tickets/new");
      await page
        .getByLabel("What do you need help with?")
        .selectOption({ label: "Report a Problem" });
      await page.getByLabel("Subject").fill(subject);
      await page.getByLabel("Message").fill("The full server log is attached.");
      await page.getByLabel("Attachments (optional)").setInputFiles({
        name: "server-log.txt",
        mimeType: "text/plain",
        buffer: Buffer.alloc(3 * 1024 * 1024, "log line\n"),
      });
      await page.getByRole("button", { name: "Open ticket" }).click();
      // Storing 3 MB in the embedded database takes a moment on a busy machine.
      await expect(page.getByRole("heading", { name: subject })).toBeVisible({
        timeout: 30_000,
      });
      await expect(
        page.getByRole("link", { name: /server-log\.txt/ }),
      ).toBeVisible();
    });
  });

  test("a server action posted from another site is refused, X-Forwarded-Host or not", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/sign-in");
    const posted = page.waitForRequest(
      (req) => req.method() === "POST" && !!req.headers()["next-action"],
    );
    await page.getByLabel("Email address").fill("nobody@example.com");
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const action = await posted;
    const { "content-length": _length, ...sent } = action.headers();
    const replay = (headers: Record<string, string>) =>
      page.request.post(action.url(), {
        headers: { ...sent, ...headers },
        data: action.postDataBuffer() ?? "",
        maxRedirects: 0,
      });

    expect((await replay({ origin: baseURL! })).status()).toBe(200);
    const forged = await replay({
      origin: "https://evil.example",
      "x-forwarded-host": "evil.example",
    });
    expect(forged.status()).toBe(403);
  });

  test("a 9 MB anonymous form post written whole before reading gets its 413, and the connection ends", async ({
    baseURL,
  }) => {
    const { hostname, port } = new URL(baseURL!);
    const size = 9 * 1024 * 1024;
    const answer = await new Promise<{ text: string; written: number }>(
      (resolve, reject) => {
        // Half-open like Python's sockets: the server's FIN does not stop the writing.
        const socket = connect({
          host: hostname,
          port: Number(port),
          allowHalfOpen: true,
        });
        let text = "";
        let written = 0;
        const timer = setTimeout(
          () => reject(new Error(`no answer; wrote ${written} bytes`)),
          15_000,
        );
        socket.on("data", (d) => (text += d.toString("latin1")));
        socket.on("error", reject);
        socket.on("end", () => {
          clearTimeout(timer);
          socket.destroy();
          resolve({ text, written });
        });
        socket.write(
          `POST /sign-in HTTP/1.1\r\nHost: ${hostname}:${port}\r\nNext-Action: 0123abcd\r\n` +
            `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${size}\r\n\r\n`,
        );
        const piece = Buffer.alloc(64 * 1024, "a");
        const pump = () => {
          while (written < size) {
            written += piece.byteLength;
            if (!socket.write(piece)) return void socket.once("drain", pump);
          }
        };
        pump();
      },
    );
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toContain("at most 1 MB");
  });
});
