import { expect, test } from "@playwright/test";
import { accountMenu, authFile, newVisitor, signUp } from "./support";

// Search from any view (issue 16): an agent in "Mine" searches a new customer's email; the tabs
// count the matches in every view and the empty view links to where they are.

test("a search by a customer's email from a view without the ticket shows where it is", async ({
  browser,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const visitor = newVisitor("Quinn Searchable");
  const customer = await (await browser.newContext()).newPage();
  await signUp(customer, visitor);
  await expect(accountMenu(customer, visitor.name)).toBeVisible();
  const subject = `Where is my invoice ${Date.now()}`;
  await customer.goto("/tickets/new");
  await customer
    .getByLabel("What do you need help with?")
    .selectOption({ label: "Billing and Orders" });
  await customer.getByLabel("Subject").fill(subject);
  await customer.getByLabel("Message").fill("I paid but got no invoice.");
  await customer.getByRole("button", { name: "Open ticket" }).click();
  await expect(customer.getByRole("heading", { name: subject })).toBeVisible();

  const sam = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await sam.goto("/staff?view=mine");
  const query = visitor.email.split("@")[0]!.toUpperCase(); // part of the address, other case
  await sam.getByRole("searchbox").fill(query);
  await sam.getByRole("button", { name: "Apply" }).click();

  await expect(
    sam.getByText(`Searching every view for “${query}”`),
  ).toBeVisible();
  await expect(sam.getByText(/No tickets in this view match/)).toBeVisible();
  const views = sam.getByRole("navigation", { name: "Queue views" });
  await expect(views.getByRole("link", { name: "Open 1" })).toBeVisible();
  await expect(views.getByRole("link", { name: "Mine 0" })).toBeVisible();

  await sam.getByRole("link", { name: "Open (1)" }).click();
  await expect(views.getByRole("link", { name: "Open 1" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(sam.getByRole("link", { name: subject })).toBeVisible();
});
