import { expect, test } from "@playwright/test";
import { authFile, USERS } from "./support";

// A settings round trip: what an admin configures is what agents get at work.

test("a canned reply an admin creates is offered, filled in, on an agent's ticket", async ({
  browser,
}) => {
  const title = `Outage update ${Date.now()}`;
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await admin.goto("/staff/settings/canned-replies");
  await admin.getByLabel("Title").fill(title);
  await admin
    .getByLabel("Reply")
    .fill(
      "Hi {{customer.name}}, the outage behind #{{ticket.number}} is over.",
    );
  await admin.getByRole("button", { name: "Create canned reply" }).click();
  await expect(admin.getByRole("link", { name: title })).toBeVisible();

  // A typo in a variable is refused with the variable named, and the text typed is kept.
  await admin.getByLabel("Title").fill(`${title} (typo)`);
  await admin.getByLabel("Reply").fill("Hi {{customer.nmae}}");
  await admin.getByRole("button", { name: "Create canned reply" }).click();
  await expect(admin.getByText(/customer\.nmae/).first()).toBeVisible();
  await expect(admin.getByLabel("Reply")).toHaveValue("Hi {{customer.nmae}}");

  const agent = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await agent.goto("/staff?view=all&q=Second+domain");
  await agent
    .getByRole("link", { name: "Second domain not resolving" })
    .click();
  await expect(
    agent.getByRole("heading", { name: "Second domain not resolving" }),
  ).toBeVisible();
  const number = /\/staff\/tickets\/(\d{6})/.exec(agent.url())?.[1];
  expect(number).toMatch(/^\d{6}$/);
  await agent.getByLabel("Canned reply").selectOption({ label: title });
  await expect(agent.getByLabel("Message to the customer")).toHaveValue(
    `Hi ${USERS.alice.name}, the outage behind #${number} is over.`,
  );
});

test("removing a banned address asks first and then says what happened", async ({
  browser,
}) => {
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  const address = `spammer-${Date.now()}@example.com`;
  await admin.goto("/staff/settings/ban-list");
  await admin.getByLabel("Email address").fill(address);
  await admin.getByLabel("Notes").fill("Sends invoices that aren't ours");
  await admin.getByRole("button", { name: "Ban address" }).click();
  await expect(admin.getByText(`${address} is now banned.`)).toBeVisible();
  const row = admin.getByRole("row").filter({ hasText: address });

  // Cancelled: nothing changes.
  admin.once("dialog", (dialog) => {
    expect(dialog.message()).toContain(`Remove ${address} from the ban list?`);
    void dialog.dismiss();
  });
  await row.getByRole("button", { name: "Remove" }).click();
  await expect(row).toBeVisible();

  admin.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Remove" }).click();
  await expect(
    admin.getByRole("status").getByText(`${address} is no longer banned.`),
  ).toBeVisible();
  await expect(row).toHaveCount(0);
  await expect(admin.getByText(`${address} is now banned.`)).toHaveCount(0);
});
