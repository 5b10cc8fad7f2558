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
