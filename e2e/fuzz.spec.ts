import { expect, test, type APIResponse } from "@playwright/test";
import { authFile } from "./support";

// Hostile and random input against the running production server: the osTicket API, the public
// forms and the public pages' parameters. Nothing may answer 500 except the osTicket API's own
// validation answers ("Unable to create new ticket …"), and the server must be healthy afterwards.
// The generator is seeded, so a failure names a case that can be replayed.

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\r\n\r\nX-Injected: 1",
  "\ud800",
  "\udfff lone",
  "‮evil‭",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "' OR 1=1 --",
  "%00%0d%0a",
  "../../etc/passwd",
  "🙂".repeat(500),
  "ا".repeat(300),
  "x".repeat(70_000),
  "{{customer.name}}",
  "${process.env}",
  "null",
  "[]",
  "{}",
  "NaN",
  "-1",
  "1e309",
  "\\\\host\\share",
];

function value(next: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  switch (Math.floor(next() * 8)) {
    case 0:
      return pick(HOSTILE);
    case 1:
      return Math.floor(next() * 2 ** 40) - 2 ** 39;
    case 2:
      return next() < 0.5;
    case 3:
      return null;
    case 4:
      return [pick(HOSTILE), pick(HOSTILE)];
    case 5:
      return { nested: pick(HOSTILE) };
    case 6:
      return String.fromCharCode(
        ...Array.from({ length: 1 + Math.floor(next() * 40) }, () =>
          Math.floor(next() * 0xffff),
        ),
      );
    default:
      return `word ${Math.floor(next() * 1000)}`;
  }
}

/** Lone surrogates replaced: they cannot be percent-encoded (the raw escapes are tried apart). */
function wellFormed(s: string): string {
  return s.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    "\ufffd",
  );
}

const FIELDS = [
  "name",
  "email",
  "subject",
  "message",
  "phone",
  "notes",
  "topicId",
  "priority",
  "source",
  "duedate",
  "ip",
  "alert",
  "autorespond",
  "attachments",
];

function ticketBody(next: () => number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: "Fuzz Caller",
    email: `fuzz-${Math.floor(next() * 1e9)}@example.com`,
    subject: "Fuzzed ticket",
    message: "Fuzzed message",
  };
  const changes = 1 + Math.floor(next() * 4);
  for (let i = 0; i < changes; i++)
    body[FIELDS[Math.floor(next() * FIELDS.length)]!] = value(next);
  return body;
}

async function expectNoServerError(
  response: APIResponse,
  what: string,
  osTicketValidation = false,
) {
  if (response.status() < 500) return;
  const text = await response.text();
  expect(
    osTicketValidation &&
      response.status() === 500 &&
      text.startsWith("Unable to create new ticket"),
    `${what} answered ${response.status()}: ${text.slice(0, 300)}`,
  ).toBe(true);
}

test("random and hostile input never makes the server answer 500 or fall over", async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await admin.goto("/staff/settings/api-keys");
  await admin.getByLabel("Caller's IP address").fill("127.0.0.1");
  await admin.getByLabel("Notes").fill("Fuzzing (e2e)");
  await admin.getByRole("button", { name: "Create API key" }).click();
  const key = await admin.getByLabel("New API key").inputValue();
  await admin.context().close();

  const api = await playwright.request.newContext({ baseURL });
  const next = rng(20261204);

  // The osTicket API: JSON with fields of the wrong type, hostile strings, huge fields; broken
  // JSON; XML with hostile content; raw mail made of noise.
  for (let i = 0; i < 150; i++) {
    const body = ticketBody(next);
    const r = await api.post("/api/tickets.json", {
      headers: { "X-API-Key": key },
      data: JSON.stringify(body),
    });
    await expectNoServerError(
      r,
      `tickets.json #${i} ${JSON.stringify(body).slice(0, 200)}`,
      true,
    );
  }
  for (const raw of [
    "{",
    "[]",
    "null",
    '{"name":',
    "\u0000",
    '{"a":'.repeat(5000),
    "x".repeat(100_000),
  ]) {
    const r = await api.post("/api/tickets.json", {
      headers: { "X-API-Key": key },
      data: raw,
    });
    await expectNoServerError(r, `tickets.json raw ${raw.slice(0, 40)}`, true);
  }
  for (let i = 0; i < 30; i++) {
    const text = String(value(next)).replace(/[<&]/g, "");
    const xml = `<?xml version="1.0"?><ticket><name>${text}</name><email>x${i}@example.com</email><subject>${text}</subject><message><![CDATA[${text}]]></message></ticket>`;
    const r = await api.post("/api/tickets.xml", {
      headers: { "X-API-Key": key },
      data: xml,
    });
    await expectNoServerError(r, `tickets.xml #${i}`, true);
  }
  for (const xml of [
    '<!DOCTYPE x [<!ENTITY a "b">]><ticket/>',
    "<ticket><name>",
    "<ticket>" + "<a>".repeat(2000),
  ]) {
    const r = await api.post("/api/tickets.xml", {
      headers: { "X-API-Key": key },
      data: xml,
    });
    await expectNoServerError(r, `tickets.xml ${xml.slice(0, 40)}`, true);
  }
  for (let i = 0; i < 20; i++) {
    const noise = String(value(next));
    const mail = `From: ${noise.slice(0, 80)} <m${i}@example.com>\r\nSubject: ${noise.slice(0, 200)}\r\nContent-Type: ${noise.slice(0, 60)}\r\n\r\n${noise}`;
    const r = await api.post("/api/tickets.email", {
      headers: { "X-API-Key": key },
      data: mail,
    });
    await expectNoServerError(r, `tickets.email #${i}`, true);
  }

  // Public pages' parameters: search, category, slugs, callback paths.
  for (let i = 0; i < 40; i++) {
    const v = encodeURIComponent(
      wellFormed(String(value(next)).slice(0, 2000)),
    );
    for (const path of [
      `/products?q=${v}`,
      `/products?category=${v}&page=${v}`,
      `/products/${v}`,
      `/sign-in?callbackUrl=${v}`,
      `/sign-up?callbackUrl=${v}`,
      `/checkout/success?session_id=${v}`,
      `/reset-password/${v}`,
    ]) {
      const r = await api.get(path, { maxRedirects: 0 });
      await expectNoServerError(r, `GET ${path.slice(0, 120)}`);
    }
  }

  // Percent-escapes that decode to no valid UTF-8, which a URL can carry though no string holds them.
  for (const bad of ["%ED%A0%80", "%E0%A4%A", "%ZZ", "%C0%AF", "%FF%FE"]) {
    for (const path of [
      `/products?q=${bad}`,
      `/products/${bad}`,
      `/sign-in?callbackUrl=${bad}`,
      `/reset-password/${bad}`,
    ]) {
      const r = await api.get(path, { maxRedirects: 0 });
      await expectNoServerError(r, `GET ${path}`);
    }
  }

  // The public forms, as a browser fills them (few sign-ins: the address would be throttled).
  const page = await (await browser.newContext()).newPage();
  const failures: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
  });
  for (let i = 0; i < 4; i++) {
    await page.goto("/sign-in");
    await page
      .getByLabel("Email address")
      .fill(String(value(next)).slice(0, 5000));
    await page.getByLabel("Password").fill(String(value(next)).slice(0, 5000));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").first()).toBeVisible();
  }
  for (let i = 0; i < 4; i++) {
    await page.goto("/sign-up");
    await page.getByLabel("Full name").fill(String(value(next)).slice(0, 5000));
    await page.getByLabel("Email address").fill(`not an email ${i}`);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert").first()).toBeVisible();
  }
  for (let i = 0; i < 4; i++) {
    await page.goto("/reset-password");
    await page
      .getByLabel("Email address")
      .fill(String(value(next)).slice(0, 5000));
    await page.getByRole("button", { name: "Send reset link" }).click();
    // Either the field's own error or the neutral "if an account exists…" notice.
    await expect(
      page
        .getByLabel("Email address")
        .and(page.locator("[aria-invalid=true]"))
        .or(page.getByRole("main").getByRole("status")),
    ).toBeVisible();
  }
  // A product (not a service), so its quantity can be changed in the cart.
  for (let i = 0; i < 4; i++) {
    await page.goto("/products/ssl-certificate");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByText("Added to your cart.")).toBeVisible();
    await page.goto("/cart");
    await page
      .getByLabel(/^Quantity of/)
      .first()
      .fill(String(Math.floor(next() * 1e6) - 5e5));
    await page
      .getByRole("button", { name: "Update" })
      .first()
      .click()
      .catch(() => {});
  }
  expect(failures).toEqual([]);

  const health = await api.get("/api/health");
  expect(health.status()).toBe(200);
  await api.dispose();
});
