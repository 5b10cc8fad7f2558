import { expect, test } from "@playwright/test";
import { authFile, openTicketAs, shopifyControl } from "./support";

// Shopify (issue 15): an order placed in the store reaches the customer's orders by webhook and
// shows beside their ticket; a store that refuses the token leaves a notice, not a broken page.

test("a Shopify order from the store's webhook shows on the customer's orders and beside their ticket", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const placed = await shopifyControl("webhooks", {
    email: "Alice@Example.com",
    total: "49.00",
  });
  expect(placed.delivered).toBe(200);
  const name = String(placed.name);

  const alice = await (
    await browser.newContext({ storageState: authFile("alice") })
  ).newPage();
  await alice.goto("/orders");
  const row = alice.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Shopify store");
  await expect(row).toContainText("€49.00");
  await row.getByRole("link", { name }).click();
  await expect(
    alice.getByRole("heading", { name: `Order ${name}` }),
  ).toBeVisible();
  await expect(
    alice.getByRole("heading", { name: "In the Shopify store" }),
  ).toBeVisible();

  const { number } = await openTicketAs(
    browser,
    "alice",
    `Where is my Shopify order ${name}?`,
    "It has not arrived yet.",
  );
  const sam = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await sam.goto(`/staff/tickets/${number}`);
  const store = sam.getByRole("region", { name: "Shopify orders" });
  await expect(store).toContainText(name);
  await expect(store).toContainText("€49.00");
  // The subject names the order: one click links it to the ticket.
  await sam.getByRole("button", { name: `Link order ${name}` }).click();
  await expect(sam.getByRole("list", { name: "Thread" })).toContainText(
    `linked order ${name} to the ticket`,
  );
});

test("with the store refusing the token, the workspace says so and everything else works", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const { number } = await openTicketAs(
    browser,
    "bob",
    `Store question ${Date.now()}`,
    "Do you ship to Norway?",
  );
  await shopifyControl("token-refused", { refused: true });
  try {
    const sam = await (
      await browser.newContext({ storageState: authFile("sam") })
    ).newPage();
    await sam.goto(`/staff/tickets/${number}`);
    const store = sam.getByRole("region", { name: "Shopify orders" });
    await expect(store).toContainText(
      "Shopify orders cannot be shown right now",
    );
    await expect(store).toContainText("refused the portal's access token");
    // The rest of the workspace answers as usual.
    await sam.getByLabel("Message to the customer").fill("Yes, we do.");
    await sam.getByRole("button", { name: "Send reply" }).click();
    await expect(
      sam
        .getByRole("status")
        .filter({ hasText: "Reply sent to the customer." }),
    ).toBeVisible();
  } finally {
    await shopifyControl("token-refused", { refused: false });
  }
});

test("an admin sees the store's state and imports its orders and products from settings", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await admin.goto("/staff/settings/shopify");
  await expect(admin.getByText("Portico Demo Store")).toBeVisible();
  await expect(admin.getByText("2026-07")).toBeVisible();
  // The demo app lacks read_all_orders: said in words.
  await expect(
    admin.getByText(/only the last 60 days of orders/),
  ).toBeVisible();

  await admin.getByRole("button", { name: "Import orders" }).click();
  await expect(
    admin.getByText(/Last import finished .* brought in/).first(),
  ).toBeVisible({
    timeout: 30_000,
  });
  await admin.getByRole("button", { name: "Import products" }).click();
  await expect(admin.getByText(/Last import finished/)).toHaveCount(2, {
    timeout: 30_000,
  });
  await admin.goto("/products");
  await expect(admin.getByText("Managed hosting")).toBeVisible();
});
