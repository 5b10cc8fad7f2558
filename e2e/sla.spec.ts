import { expect, test, type Browser } from "@playwright/test";
import { authFile } from "./support";

// The SLA that means it (issue 16): an admin gives a plan office hours and sees them in the list;
// a ticket waiting on the customer shows its clock paused.

test("an admin sets a plan's business hours and holidays, with mistakes shown on their fields", async ({
  browser,
}) => {
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  const name = `Office hours ${Date.now()}`;
  await admin.goto("/staff/settings/sla-plans");
  await admin.getByLabel("Name").fill(name);
  await admin.getByLabel("Grace period (hours)").fill("8");
  await admin.getByRole("button", { name: "Create SLA plan" }).click();
  await admin.getByRole("link", { name }).click();
  await expect(admin.getByRole("heading", { name })).toBeVisible();

  await admin.getByLabel("Business hours only").check();
  await admin.getByLabel("Time zone").fill("Europe/Berlin");
  // Weekdays come prefilled 09:00–17:00; a Saturday night shift across midnight is refused.
  await admin.getByLabel("Sat interval 1 start").fill("22:00");
  await admin.getByLabel("Sat interval 1 end").fill("02:00");
  await admin.getByRole("button", { name: "Save working hours" }).click();
  await expect(
    admin.getByText(/split a night shift at midnight/).last(),
  ).toBeVisible();
  await expect(admin.getByLabel("Sat interval 1 end")).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(admin.getByLabel("Sat interval 1 start")).toHaveValue("22:00");

  await admin.getByLabel("Sat interval 1 start").fill("");
  await admin.getByLabel("Sat interval 1 end").fill("");
  await admin.getByRole("button", { name: "Save working hours" }).click();
  await expect(admin.getByText("Working hours saved.")).toBeVisible();

  await admin.getByLabel("Day", { exact: true }).fill("2026-12-25");
  await admin.getByLabel("Name (optional)").fill("Christmas Day");
  await admin.getByRole("button", { name: "Add holiday" }).click();
  await expect(admin.getByText("Holiday 2026-12-25 added.")).toBeVisible();
  await expect(admin.getByText("· Christmas Day")).toBeVisible();

  await admin.goto("/staff/settings/sla-plans");
  await expect(admin.getByRole("row").filter({ hasText: name })).toContainText(
    "Mon–Fri 09:00–17:00 Europe/Berlin",
  );
});

async function openTicketAsAlice(browser: Browser, subject: string) {
  const context = await browser.newContext({ storageState: authFile("alice") });
  const page = await context.newPage();
  await page.goto("/tickets/new");
  await page
    .getByLabel("What do you need help with?")
    .selectOption({ label: "Report a Problem" });
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message").fill("The control panel shows error 503.");
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(page.getByRole("heading", { name: subject })).toBeVisible();
  const number = /\/tickets\/(\d{6})/.exec(page.url())![1]!;
  await context.close();
  return number;
}

test("a ticket set to pending shows its SLA clock paused in the workspace", async ({
  browser,
}) => {
  const number = await openTicketAsAlice(browser, `Paused clock ${Date.now()}`);
  const sam = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await sam.goto(`/staff/tickets/${number}`);
  const properties = sam.getByRole("form", { name: "Ticket properties" });
  await expect(sam.getByText(/^in \d/).first()).toBeVisible();
  await properties.getByLabel("Status").selectOption({ label: "Pending" });
  await properties.getByRole("button", { name: "Save changes" }).click();
  await expect(properties.getByText("Saved.")).toBeVisible();
  await sam.reload();
  await expect(sam.getByText("Paused — waiting on customer")).toBeVisible();
});
