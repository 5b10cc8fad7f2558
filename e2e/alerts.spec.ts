import { expect, test } from "@playwright/test";
import { authFile, receivedMail, USERS, waitForMail } from "./support";

// Nobody left unalerted (issue 16): a customer's follow-up on a ticket nobody owns alerts the
// department's agents, except one who turned that alert off on /staff/account.

const KIND =
  "A customer writes on an unassigned ticket in one of my departments";

test("a customer follow-up on an unassigned ticket alerts the department, as each agent chose", async ({
  browser,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await admin.goto("/staff");
  await admin
    .getByRole("navigation", { name: "Staff" })
    .getByRole("link", { name: "My account" })
    .click();
  await expect(
    admin.getByRole("heading", { name: "My account" }),
  ).toBeVisible();
  await admin.getByLabel(KIND).uncheck();
  await admin.getByRole("button", { name: "Save alert choices" }).click();
  await expect(admin.getByText("Your alert choices are saved.")).toBeVisible();
  await admin.reload();
  await expect(admin.getByLabel(KIND)).not.toBeChecked();

  try {
    const customer = await (
      await browser.newContext({ storageState: authFile("alice") })
    ).newPage();
    const subject = `Follow-up alert ${Date.now()}`;
    await customer.goto("/tickets/new");
    await customer
      .getByLabel("What do you need help with?")
      .selectOption({ label: "General Inquiry" });
    await customer.getByLabel("Subject").fill(subject);
    await customer.getByLabel("Message").fill("Do you offer IPv6?");
    await customer.getByRole("button", { name: "Open ticket" }).click();
    await expect(
      customer.getByRole("heading", { name: subject }),
    ).toBeVisible();
    const number = /\/tickets\/(\d{6})/.exec(customer.url())![1]!;

    // Nobody has taken it yet; Alice follows up.
    await customer.getByLabel("Your reply").fill("And is it free of charge?");
    await customer.getByRole("button", { name: /Send reply/ }).click();
    await expect(customer.getByText("And is it free of charge?")).toBeVisible();

    const isAlert =
      (to: string) => (m: Parameters<Parameters<typeof waitForMail>[0]>[0]) =>
        m.subject?.includes(`Customer replied: ${subject}`) === true &&
        (m.to && "text" in m.to ? m.to.text : "").includes(to);
    const samAlert = await waitForMail(isAlert(USERS.sam.email));
    expect(samAlert.text).toContain("which nobody is assigned to yet");
    expect(samAlert.text).toContain("And is it free of charge?");
    await waitForMail(isAlert("kim@portico.test"));
    // Ada turned this alert off.
    expect((await receivedMail()).filter(isAlert(USERS.admin.email))).toEqual(
      [],
    );

    // Sam opens the ticket from his alert's link.
    const sam = await (
      await browser.newContext({ storageState: authFile("sam") })
    ).newPage();
    const link = /https?:\/\/\S+\/staff\/tickets\/\d{6}/.exec(
      samAlert.text ?? "",
    )![0];
    await sam.goto(new URL(link).pathname);
    await expect(sam.getByRole("heading", { name: subject })).toBeVisible();
    expect(link).toContain(number);
  } finally {
    await admin.getByLabel(KIND).check();
    await admin.getByRole("button", { name: "Save alert choices" }).click();
    await expect(
      admin.getByText("Your alert choices are saved."),
    ).toBeVisible();
  }
});
