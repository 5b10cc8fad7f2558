import { expect, test } from "@playwright/test";
import { authFile, receivedMail, USERS } from "./support";

// An agent opens a ticket for a caller (issue 16): a new contact told by mail, and an existing
// customer not told, who still finds the ticket in their portal.

test("an agent opens tickets by phone for a new contact and for an existing customer", async ({
  browser,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const agentContext = await browser.newContext({
    storageState: authFile("sam"),
  });
  const agent = await agentContext.newPage();
  const caller = `caller-${Date.now()}@example.com`;
  const subject = `Phone: DNS not resolving ${Date.now()}`;

  await agent.goto("/staff");
  await agent.getByRole("link", { name: "New ticket" }).click();
  await expect(
    agent.getByRole("heading", { name: "New ticket", level: 1 }),
  ).toBeVisible();

  // A mistake first: the form keeps every choice.
  await agent.getByLabel("Email address").fill("not-an-address");
  await agent
    .getByLabel("How they reached you")
    .selectOption({ label: "Phone" });
  await agent.getByLabel("Department").selectOption({ label: "Maintenance" });
  await agent.getByLabel("Subject").fill(subject);
  await agent.getByRole("button", { name: "Open ticket" }).click();
  await expect(agent.getByText("Enter a valid email address.")).toBeVisible();
  await expect(
    agent.getByLabel("Department").locator("option:checked"),
  ).toHaveText("Maintenance");

  await agent.getByLabel("Email address").fill(caller);
  await agent.getByLabel("Name (for a new contact)").fill("Carla Caller");
  await agent
    .getByLabel("The customer's request")
    .fill("Since 9:00 example.org does not resolve from the office.");
  await agent.getByLabel("Assign to me").uncheck();
  await agent.getByRole("button", { name: "Open ticket" }).click();

  await expect(agent.getByRole("heading", { name: subject })).toBeVisible();
  await expect(agent).toHaveURL(/\/staff\/tickets\/\d{6}$/);
  await expect(
    agent.getByText(
      /opened the ticket for the customer \(by phone\); the customer was told by mail/,
    ),
  ).toBeVisible();
  await expect(agent.getByText("Carla Caller").first()).toBeVisible();
  const number = /(\d{6})$/.exec(agent.url())![1]!;

  // The caller gets the acknowledgement with the ticket number.
  await expect
    .poll(
      async () =>
        (await receivedMail()).filter(
          (m) =>
            m.subject?.includes(number) &&
            (m.to && "text" in m.to ? m.to.text : "").includes(caller),
        ).length,
      { timeout: 15_000 },
    )
    .toBe(1);

  // Bob phones; he is not to be mailed, and Sam takes the ticket.
  const quiet = `Phone: invoice copy ${Date.now()}`;
  await agent.goto("/staff/tickets/new");
  await agent.getByLabel("Email address").fill(USERS.bob.email.toUpperCase());
  await agent.getByLabel("Subject").fill(quiet);
  await agent
    .getByLabel("The customer's request")
    .fill("Please resend invoice 2026-0001.");
  await agent.getByLabel("Tell the customer by mail").uncheck();
  await agent.getByRole("button", { name: "Open ticket" }).click();
  await expect(agent.getByRole("heading", { name: quiet })).toBeVisible();
  await expect(agent.getByText(/the customer was not notified/)).toBeVisible();
  await expect(agent.getByText(/took the ticket/)).toBeVisible();
  const quietNumber = /(\d{6})$/.exec(agent.url())![1]!;

  const bobContext = await browser.newContext({
    storageState: authFile("bob"),
  });
  const bob = await bobContext.newPage();
  await bob.goto("/tickets");
  await expect(bob.getByRole("link", { name: quiet })).toBeVisible();
  expect(
    (await receivedMail()).filter((m) => m.subject?.includes(quietNumber)),
  ).toEqual([]);
});
