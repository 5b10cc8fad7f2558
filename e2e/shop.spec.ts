import { expect, test } from "@playwright/test";
import { authFile, mailboxNameOf, newVisitor } from "./support";

// The shop's acceptance journey: a visitor fills a cart, signs up at checkout, pays on the (fake)
// Stripe checkout page and lands on the order, paid because the signed webhook arrived; they ask
// about the order in a ticket, an agent sees the order beside the ticket, and an admin refunds
// part of it, which the customer's order page then shows.

test("a visitor buys two services by card, asks about the order, and an admin refunds part of it", async ({
  browser,
}) => {
  // The longest journey of the suite (three people, a payment, a ticket and a refund): 18 s on a
  // quiet machine, so the default 30 s left no room on a busy one.
  test.setTimeout(90_000);
  const visitor = newVisitor("Paula Payer");
  const customerContext = await browser.newContext();
  const page = await customerContext.newPage();

  for (const slug of ["website-migration", "it-support-hour"]) {
    await page.goto(`/products/${slug}`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await expect(page.getByText("Added to your cart.")).toBeVisible();
  }
  await page.getByRole("link", { name: /^Cart/ }).click();
  await expect(
    page.getByRole("link", { name: "Website Migration" }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: "IT Support Hour" }),
  ).toBeVisible();
  await expect(page.getByText("€184.00")).toBeVisible();

  // Checking out needs an account: signing up brings the cart along and comes back to it.
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up\?callbackUrl=%2Fcart/);
  await page.getByLabel("Full name").fill(visitor.name);
  await page.getByLabel("Email address").fill(visitor.email);
  await page.getByLabel("Mailbox name").fill(mailboxNameOf(visitor));
  await page.getByLabel("Password", { exact: true }).fill(visitor.password);
  await page.getByRole("button", { name: "Create account" }).click();
  // Every sign-up passes "Check your inbox" (new address or taken), then goes on to the cart.
  await expect(
    page.getByRole("heading", { name: "Check your inbox" }),
  ).toBeVisible();
  await page.getByRole("link", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(
    page.getByRole("link", { name: "Website Migration" }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: "IT Support Hour" }),
  ).toBeVisible();

  await page.getByRole("button", { name: "Check out and pay" }).click();
  // Stripe's hosted page (the fake's): the order's lines and total, and its buttons.
  await expect(page).toHaveURL(/\/checkout\/cs_test_/);
  await expect(page.getByText("Website Migration").first()).toBeVisible();
  await page.getByRole("button", { name: "Pay", exact: true }).click();

  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?paid=1$/);
  const orderUrl = page.url().replace(/\?.*$/, "");
  const orderId = /\/orders\/([0-9a-f-]{36})/.exec(orderUrl)![1]!;
  const heading = page.getByRole("heading", { level: 1, name: /^Order PO-/ });
  await expect(heading).toBeVisible();
  const orderNumber = (await heading.textContent())!.replace("Order ", "");
  await expect(page.getByText("Paid", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("Payment received. Thank you")).toBeVisible();
  await expect(page.getByText(/Invoice \d{4}-\d{4}/)).toBeVisible();
  // The cart was emptied by the payment.
  await expect(page.getByRole("link", { name: /^Cart$/ })).toBeVisible();

  // The printable invoice.
  await page.getByRole("link", { name: "Invoice" }).click();
  await expect(
    page.getByRole("heading", { name: /^Invoice \d{4}-\d{4}$/ }),
  ).toBeVisible();
  await expect(
    page.getByRole("main").getByText(visitor.email).first(),
  ).toBeVisible();
  await page.goBack();

  // A question about the order becomes a ticket linked to it.
  await page.getByRole("link", { name: "Get help with this order" }).click();
  await expect(page.getByLabel("Related order (optional)")).toHaveValue(
    orderId,
  );
  await page
    .getByLabel("What do you need help with?")
    .selectOption({ label: "Billing and Orders" });
  const subject = `When does my migration start? ${Date.now()}`;
  await page.getByLabel("Subject").fill(subject);
  await page
    .getByLabel("Message")
    .fill("I just paid for the migration and an hour of support.");
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(page.getByRole("heading", { name: subject })).toBeVisible();
  const ticketNumber = /\/tickets\/(\d{6})/.exec(page.url())![1]!;

  // The agent sees the order beside the ticket.
  const agentContext = await browser.newContext({
    storageState: authFile("sam"),
  });
  const agent = await agentContext.newPage();
  await agent.goto(`/staff/tickets/${ticketNumber}`);
  await expect(agent.getByRole("link", { name: orderNumber })).toBeVisible();

  // An admin refunds part of it.
  const adminContext = await browser.newContext({
    storageState: authFile("admin"),
  });
  const admin = await adminContext.newPage();
  await admin.goto(`/staff/orders/${orderId}`);
  await expect(admin.getByText("Refundable: €184.00")).toBeVisible();
  await admin.getByLabel("Amount (EUR)").fill("20.00");
  admin.once("dialog", (dialog) => void dialog.accept());
  await admin.getByRole("button", { name: "Refund" }).click();
  await expect
    .poll(async () => {
      await admin.reload();
      return admin.getByText("Partially refunded").first().isVisible();
    })
    .toBe(true);

  await page.goto(orderUrl);
  await expect(page.getByText("Partially refunded").first()).toBeVisible();
  await expect(page.getByText("− €20.00")).toBeVisible();

  await Promise.all([
    customerContext.close(),
    agentContext.close(),
    adminContext.close(),
  ]);
});

test("without paying, the customer comes back to the cart with everything kept", async ({
  browser,
}) => {
  const context = await browser.newContext({
    storageState: authFile("bob"),
  });
  const page = await context.newPage();
  await page.goto("/products/it-support-hour");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByText("Added to your cart.")).toBeVisible();
  await page.goto("/cart");
  await page.getByRole("button", { name: "Check out and pay" }).click();
  await expect(page).toHaveURL(/\/checkout\/cs_test_/);
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(page).toHaveURL(/\/cart\?cancelled=1$/);
  await expect(
    page.getByText("Payment cancelled. Everything is still in your cart."),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: "IT Support Hour" }),
  ).toBeVisible();
  await context.close();
});
