import { expect, test } from "@playwright/test";
import { authFile, USERS } from "./support";

// An agent finds orders on the staff desk: by status, by customer, and opens one to see what was
// bought and what happened to it. Read-only, on the seeded demo orders (db/seed.ts).

test.use({ storageState: authFile("sam") });

test("an agent filters the orders by status and opens a paid one", async ({
  page,
}) => {
  await page.goto("/staff");
  await page
    .getByRole("navigation", { name: "Staff" })
    .getByRole("link", { name: "Orders" })
    .click();
  await expect(
    page.getByRole("heading", { name: "Orders", exact: true }),
  ).toBeVisible();

  await page.getByLabel("Status").selectOption({ label: "Paid" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]status=paid(&|$)/);
  const results = page.getByRole("table");
  await expect(
    results.getByRole("link", { name: "PO-10001", exact: true }),
  ).toBeVisible();
  await expect(
    results.getByRole("link", { name: "PO-10003", exact: true }),
  ).toBeVisible();
  // Alice's Shopify order is fulfilled and Bob's bank transfer is unpaid: neither is listed.
  await expect(
    results.getByRole("link", { name: "#1001", exact: true }),
  ).toHaveCount(0);
  await expect(results.getByText("Fulfilled", { exact: true })).toHaveCount(0);

  await results.getByRole("link", { name: "PO-10003", exact: true }).click();
  await expect(
    page.getByRole("heading", { name: "Order PO-10003" }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: USERS.carol.name }),
  ).toHaveAttribute("href", /^\/staff\/customers\//);
  const items = page.getByRole("region", { name: "Items" });
  await expect(items.getByRole("cell", { name: "Managed VPS" })).toBeVisible();
  await expect(
    items.getByRole("cell", { name: "Daily Offsite Backup" }),
  ).toBeVisible();
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(
    timeline
      .getByRole("listitem")
      .or(timeline.getByText(/No changes recorded/))
      .first(),
  ).toBeVisible();
  // A paid order can be fulfilled by any agent; refunds are for administrators.
  await expect(
    page.getByRole("button", { name: "Mark fulfilled" }),
  ).toBeVisible();
  await expect(page.getByText(/Only administrators can refund/)).toBeVisible();
  await expect(page.getByLabel(/^Amount/)).toHaveCount(0);
});

test("an agent finds a customer's orders by their name", async ({ page }) => {
  await page.goto("/staff/orders");
  await page.getByLabel("Search").fill(USERS.alice.name);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]q=Alice\+Martin(&|$)/);
  const results = page.getByRole("table");
  await expect(
    results.getByRole("link", { name: "PO-10001", exact: true }),
  ).toBeVisible();
  await expect(
    results.getByRole("link", { name: "#1001", exact: true }),
  ).toBeVisible();
  await expect(
    results.getByRole("link", { name: "PO-10003", exact: true }),
  ).toHaveCount(0);
  await expect(
    results.getByRole("link", { name: "PO-10002", exact: true }),
  ).toHaveCount(0);
  await expect(
    results.getByRole("cell", { name: /Alice Martin/ }).first(),
  ).toBeVisible();

  // The search box keeps what was searched, and "Clear filters" shows every order again.
  await expect(page.getByLabel("Search")).toHaveValue(USERS.alice.name);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/staff\/orders$/);
  await expect(
    results.getByRole("link", { name: "PO-10003", exact: true }),
  ).toBeVisible();
});
