import {
  expect,
  test,
  type Browser,
  type Locator,
  type Page,
} from "@playwright/test";
import { authFile, type SignedIn } from "./support";

// Whatever text a client may send (a 60-letter word, Arabic, emoji) leaves every page readable, at a
// desktop and at a phone width: nothing is wider than the window, the queue keeps its columns in
// view, and a long subject is cut short with the whole of it on hover. Uses the demo data's long names
// and subjects (db/seed.ts) and a ticket posted through the osTicket API.

const SEEDED = {
  name: "Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauamt",
  subject: "Error_550_5.7.1_Relaying_denied_for_buchhaltung@ddsg.example",
  rtlName: "نور الهدى العلي",
  rtlSubject: "لا أستطيع الدخول إلى بريدي الإلكتروني منذ الأمس",
  emojiName: "Zoë Fischer 🌻",
};
const QUEUE_COLUMNS = [
  "Ticket",
  "Customer",
  "Department",
  "Assignee",
  "Status",
  "Due",
  "Last activity",
];
const WIDTHS = [1280, 375] as const;

async function pageAt(browser: Browser, who: SignedIn, width: number) {
  const context = await browser.newContext({
    storageState: authFile(who),
    viewport: { width, height: 800 },
  });
  return context.newPage();
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(
    scrollWidth,
    `${new URL(page.url()).pathname} at ${innerWidth} px`,
  ).toBeLessThanOrEqual(innerWidth);
}

/** The element's text does not fit and is cut, and its title holds all of it. */
async function expectCutWithTitle(text: Locator, full: string): Promise<void> {
  await expect(text).toHaveAttribute("title", full);
  expect(
    await text.evaluate((el) => el.scrollWidth > el.clientWidth),
    `"${full}" is cut short`,
  ).toBe(true);
}

/** Where the box of `inner` sits inside the visible box of `outer` (both on screen). */
async function isInside(inner: Locator, outer: Locator): Promise<boolean> {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  return Boolean(
    a && b && a.x >= b.x - 0.5 && a.x + a.width <= b.x + b.width + 0.5,
  );
}

for (const width of WIDTHS) {
  test(`at ${width} px the staff pages stay inside the window, whatever the names and subjects`, async ({
    browser,
  }) => {
    const page = await pageAt(browser, "sam", width);
    await page.goto("/staff?view=all");
    const queue = page.getByRole("table");
    const longSubject = queue.getByRole("link", { name: SEEDED.subject });
    await expect(longSubject).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectCutWithTitle(longSubject.locator("[title]"), SEEDED.subject);
    await expect(queue.getByTitle(SEEDED.name)).toHaveCount(1);
    await expect(queue.getByText(SEEDED.rtlName)).toHaveCSS("direction", "rtl");

    // The table's card is what scrolls, never the page: at a desktop width every column is in view
    // at once; on a phone each one can be scrolled to inside the card.
    const card = page.locator("main div:has(> table)");
    for (const name of QUEUE_COLUMNS) {
      const header = queue.getByRole("columnheader", { name, exact: true });
      if (width >= 1280) {
        expect(await isInside(header, card), `${name} in view`).toBe(true);
      } else {
        await header.scrollIntoViewIfNeeded();
        expect(await isInside(header, card), `${name} reachable`).toBe(true);
      }
    }
    if (width >= 1280)
      expect(
        await card.evaluate((el) => el.scrollWidth <= el.clientWidth),
      ).toBe(true);

    // The ticket workspace shows the whole subject and the customer's name, wrapped.
    await page.goto("/staff?view=all");
    await longSubject.click();
    await expect(
      page.getByRole("heading", { level: 1, name: SEEDED.subject }),
    ).toBeVisible();
    await expect(
      page.getByRole("complementary").getByRole("link", { name: SEEDED.name }),
    ).toBeVisible();
    await expectNoSidewaysScroll(page);

    // A right-to-left subject reads right to left, in a page that stays left to right.
    await page.goto("/staff?view=all");
    await queue.getByRole("link", { name: SEEDED.rtlSubject }).click();
    const rtlHeading = page.getByRole("heading", {
      level: 1,
      name: SEEDED.rtlSubject,
    });
    await expect(rtlHeading).toHaveCSS("direction", "rtl");
    await expect(page.locator("html")).toHaveCSS("direction", "ltr");
    await expectNoSidewaysScroll(page);

    await page.goto("/staff/customers");
    const customers = page.getByRole("table");
    for (const name of [SEEDED.name, SEEDED.rtlName, SEEDED.emojiName])
      await expect(customers.getByRole("link", { name })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectCutWithTitle(customers.getByTitle(SEEDED.name), SEEDED.name);

    await customers.getByRole("link", { name: SEEDED.name }).click();
    await expect(
      page.getByRole("heading", { level: 1, name: SEEDED.name }),
    ).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.context().close();
  });
}

test("a 60-character subject posted through the API is cut in the lists, whole on hover and on its page", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const admin = await pageAt(browser, "admin", 1280);
  await admin.goto("/staff/settings/api-keys");
  await admin.getByLabel("Caller's IP address").fill("127.0.0.1");
  await admin.getByLabel("Notes").fill("Mail gateway (e2e long text)");
  await admin.getByRole("button", { name: "Create API key" }).click();
  const key = await admin.getByLabel("New API key").inputValue();

  // Sixty characters and not one space: what a gateway pastes from a bounce.
  const subject = `Bounce_550_5.1.1_mailbox_unavailable_${Date.now()}_`.padEnd(
    60,
    "x",
  );
  expect(subject).toMatch(/^\S{60}$/);
  const api = await playwright.request.newContext({ baseURL });
  const created = await api.post("/api/tickets.json", {
    headers: { "X-API-Key": key },
    data: {
      name: "Bob Keller",
      email: "bob@example.com",
      subject,
      message: "The invoice run bounced for every address on the list.",
    },
  });
  expect(created.status()).toBe(201);
  const number = await created.text();
  await api.dispose();

  const agent = await pageAt(browser, "sam", 1280);
  await agent.goto("/staff");
  const link = agent.getByRole("table").getByRole("link", { name: subject });
  await expect(link).toBeVisible();
  await expectCutWithTitle(link.locator("[title]"), subject);

  // The customer sees it in their list (wrapped over two lines at most, whole on hover) and whole
  // on its page.
  for (const width of WIDTHS) {
    const customer = await pageAt(browser, "bob", width);
    await customer.goto("/tickets");
    const row = customer.getByRole("link", { name: subject });
    await expect(row).toBeVisible();
    await expect(row.locator("[title]")).toHaveAttribute("title", subject);
    await expectNoSidewaysScroll(customer);

    await row.click();
    await expect(customer).toHaveURL(`/tickets/${number}`);
    await expect(
      customer.getByRole("heading", { level: 1, name: subject }),
    ).toBeVisible();
    await expectNoSidewaysScroll(customer);
    await customer.context().close();
  }

  // Its confirmation mail, in the admins' outbox, does not widen that page either.
  for (const width of WIDTHS) {
    await admin.setViewportSize({ width, height: 800 });
    await admin.goto("/staff/outbox");
    await expect(
      admin.getByRole("link", { name: new RegExp(subject) }).first(),
    ).toBeVisible();
    await expectNoSidewaysScroll(admin);
  }
});
