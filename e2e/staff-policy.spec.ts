import { expect, test } from "@playwright/test";
import {
  authFile,
  DEMO_PASSWORD,
  signIn,
  turnOnAuthenticator,
  USERS,
} from "./support";

// Issue 17: an admin requires two-step sign-in for the desk, and an agent without it is taken to set
// it up. It changes how every agent signs in, so it runs on its own, after the other journeys.

test.use({ storageState: authFile("admin") });

test("an admin requires two-step sign-in and an agent is taken to set it up", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // Requiring it asks the admin to use it first.
  await page.goto("/staff/settings/security");
  await page
    .getByLabel("Require two-step sign-in for every agent and administrator")
    .check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "for yourself first",
  );

  await page.goto("/staff/account/security");
  const admin = await turnOnAuthenticator(page, DEMO_PASSWORD);
  try {
    await page.goto("/staff/settings/security");
    await page
      .getByLabel("Require two-step sign-in for every agent and administrator")
      .check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("main").getByRole("status")).toContainText(
      "now required",
    );

    // Kim has no second factor: signing in leads to its set-up, and the desk stays closed until then.
    // A context of its own, signed out (test.use would otherwise hand it the admin's session).
    const kim = await (
      await browser.newContext({ storageState: { cookies: [], origins: [] } })
    ).newPage();
    await kim.goto("/sign-in");
    await signIn(kim, USERS.kim.email, DEMO_PASSWORD);
    await expect(kim).toHaveURL("/staff/account/security?required=1");
    await expect(kim.getByRole("main").getByRole("alert")).toContainText(
      "require two-step sign-in",
    );
    await kim.goto("/staff/tickets/new");
    await expect(kim).toHaveURL("/staff/account/security?required=1");
    await turnOnAuthenticator(kim, DEMO_PASSWORD);
    await kim.goto("/staff");
    await expect(kim).toHaveURL(/\/staff(\?|$)/);
    await expect(kim.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await kim.context().close();

    // The admin resets Kim's second factor (Kim is mailed), so the next run starts as this one did.
    await page.goto("/staff/settings/security");
    page.once("dialog", (d) => void d.accept());
    await page
      .getByRole("row")
      .filter({ hasText: USERS.kim.email })
      .getByRole("button", { name: "Reset two-step sign-in" })
      .click();
    await expect(
      page.getByRole("row").filter({ hasText: USERS.kim.email }),
    ).toContainText("Off");
  } finally {
    // Leave the desk as the other journeys expect it: optional, and the admin without an app.
    await page.goto("/staff/settings/security");
    await page
      .getByLabel("Require two-step sign-in for every agent and administrator")
      .uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("main").getByRole("status")).toContainText(
      "now optional",
    );
    await page.goto("/staff/account/security");
    await page.getByLabel("Your password").last().fill(DEMO_PASSWORD);
    await page
      .getByLabel("A code from your app, or a recovery code")
      .fill(admin.codes[0]!);
    await page
      .getByRole("button", { name: "Turn off two-step sign-in" })
      .click();
    await expect(
      page.getByRole("button", { name: "Turn on two-step sign-in" }),
    ).toBeVisible();
  }
});
