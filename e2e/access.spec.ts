import { expect, test, type Browser } from "@playwright/test";
import {
  authFile,
  DEMO_PASSWORD,
  expectForbiddenPage,
  expectNotFoundPage,
  signIn,
  USERS,
} from "./support";

// Who may open what: the staff desk, admin settings, and customers' tickets.

test.describe("a customer", () => {
  test.use({ storageState: authFile("alice") });

  test("gets the 403 page at /staff", async ({ page }) => {
    const response = await page.goto("/staff");
    expect(response?.status()).toBe(403);
    await expectForbiddenPage(page);
    await expect(page.getByRole("heading", { name: "Queue" })).toHaveCount(0);
  });
});

test.describe("an agent", () => {
  test.use({ storageState: authFile("sam") });

  test("gets into the staff desk and sees the queue", async ({ page }) => {
    await page.goto("/staff");
    await expect(page.getByRole("heading", { name: "Queue" })).toBeVisible();
    await expect(
      page.getByRole("complementary").getByText(USERS.sam.name),
    ).toBeVisible();
    // Admin-only sections are not offered to agents.
    await expect(
      page
        .getByRole("navigation", { name: "Staff" })
        .getByRole("link", { name: "Settings" }),
    ).toHaveCount(0);
  });

  test("gets the staff desk's own 403 page at /staff/settings", async ({
    page,
  }) => {
    const response = await page.goto("/staff/settings");
    expect(response?.status()).toBe(403);
    await expect(
      page.getByRole("heading", {
        name: "Only administrators can open this page",
      }),
    ).toBeVisible();
    // Still inside the desk, with the way back to work.
    await expect(page.getByRole("navigation", { name: "Staff" })).toBeVisible();
    await page.getByRole("link", { name: "Back to the queue" }).click();
    await expect(page.getByRole("heading", { name: "Queue" })).toBeVisible();
    await page.goto("/staff/settings/ban-list");
    await expect(
      page.getByRole("heading", {
        name: "Only administrators can open this page",
      }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "Settings" })).toHaveCount(
      0,
    );
  });
});

test.describe("an admin", () => {
  test.use({ storageState: authFile("admin") });

  test("reaches /staff/settings from the staff menu", async ({ page }) => {
    await page.goto("/staff");
    await page
      .getByRole("navigation", { name: "Staff" })
      .getByRole("link", { name: "Settings" })
      .click(); // the link agents don't get
    await expect(page).toHaveURL("/staff/settings");
    await expect(
      page.getByRole("heading", { name: "Settings", level: 1 }),
    ).toBeVisible();
    await expect(
      page.getByRole("heading", { name: "Departments" }),
    ).toBeVisible();
  });
});

test.describe("tickets", () => {
  test("a signed-out visitor signs in and lands back on the ticket they opened", async ({
    page,
    browser,
  }) => {
    const [number] = await ticketNumbersOf(browser, "alice");
    const ticketPath = `/tickets/${number}`;

    await page.goto(ticketPath);
    await expect(page).toHaveURL(
      `/sign-in?callbackUrl=${encodeURIComponent(ticketPath)}`,
    );
    await expect(
      page.getByRole("heading", { name: "Sign in to Portico" }),
    ).toBeVisible();

    await signIn(page, USERS.alice.email, DEMO_PASSWORD);
    await expect(page).toHaveURL(ticketPath);
    await expect(
      page.getByRole("main").getByText(`Ticket #${number}`),
    ).toBeVisible();
  });

  test.describe("another customer", () => {
    test.use({ storageState: authFile("bob") });

    test("gets the 404 page for someone else's ticket and for a made-up number", async ({
      page,
      browser,
    }) => {
      const alices = await ticketNumbersOf(browser, "alice");
      for (const number of alices) {
        const response = await page.goto(`/tickets/${number}`);
        expect(response?.status(), `/tickets/${number}`).toBe(404);
        await expectNotFoundPage(page);
        await expect(
          page.getByRole("main").getByText(`Ticket #${number}`),
        ).toHaveCount(0);
      }

      // Ticket numbers are drawn from 100000–999999, so this one exists for nobody.
      const response = await page.goto("/tickets/000000");
      expect(response?.status()).toBe(404);
      await expectNotFoundPage(page);
    });
  });
});

/** The numbers of a seeded customer's tickets, read from their own /tickets list. */
async function ticketNumbersOf(
  browser: Browser,
  who: "alice" | "bob",
): Promise<string[]> {
  const context = await browser.newContext({ storageState: authFile(who) });
  try {
    const page = await context.newPage();
    await page.goto("/tickets");
    await expect(
      page.getByRole("heading", { name: "Your tickets" }),
    ).toBeVisible();
    const hrefs = await page
      .getByRole("main")
      .getByRole("link")
      .evaluateAll((els) => els.map((el) => el.getAttribute("href") ?? ""));
    const numbers = hrefs.flatMap(
      (href) => /^\/tickets\/(\d{6})$/.exec(href)?.[1] ?? [],
    );
    expect(numbers.length, `${who}'s seeded tickets`).toBeGreaterThan(0);
    return numbers;
  } finally {
    await context.close();
  }
}
