import { expect, test, type Page } from "@playwright/test";
import {
  accountMenu,
  authFile,
  newVisitor,
  receivedMail,
  mailboxNameOf,
  signIn,
  signUp,
  USERS,
  waitForMail,
} from "./support";

// Account journeys of a visitor: sign up, sign out, sign in, and getting back in with a reset link.
// Each test signs up its own visitor, so none depends on another's leftovers.

test("a new visitor signs up and lands signed in", async ({ page }) => {
  const visitor = newVisitor("Erin Example");
  await signUp(page, visitor);

  await expect(page).toHaveURL("/tickets?welcome=1");
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    "Welcome to Portico, Erin Example!",
  );
  await expect(accountMenu(page, visitor.name)).toBeVisible();
  await expect(
    page.getByRole("heading", { name: "Your tickets" }),
  ).toBeVisible();

  // The session is real: the customer area opens on a fresh visit, not the sign-in form.
  await page.goto("/tickets");
  await expect(page).toHaveURL("/tickets");
  await expect(
    page.getByRole("heading", { name: "Your tickets" }),
  ).toBeVisible();
  await expect(page.getByText("No tickets yet")).toBeVisible();
});

test("signing up with a taken address reveals nothing; its owner is mailed instead", async ({
  page,
}) => {
  const visitor = newVisitor();
  await signUp(page, visitor);
  await expect(accountMenu(page, visitor.name)).toBeVisible();
  await page.context().clearCookies(); // a second person on the same machine, signed out

  await page.goto("/sign-up");
  await page.getByLabel("Full name").fill("Second Try");
  await page.getByLabel("Email address").fill(visitor.email);
  await page.getByLabel("Mailbox name").fill(`${mailboxNameOf(visitor)}2`);
  await page.getByLabel("Password", { exact: true }).fill(visitor.password);
  await page.getByRole("button", { name: "Create account" }).click();

  // The same page as for a new address, and no session.
  await expect(
    page.getByRole("heading", { name: "Check your inbox" }),
  ).toBeVisible();
  await expect(page.getByText(/already exists/i)).toHaveCount(0);
  await page.getByRole("link", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  const note = await waitForMail(
    (m) =>
      m.subject === "You already have a Portico account" &&
      m.text?.includes("tried to create a Portico account") === true &&
      JSON.stringify(m.to).includes(visitor.email),
  );
  expect(note.text).toContain("/reset-password");
});

test("a weak password is refused on the password field", async ({ page }) => {
  const visitor = { ...newVisitor(), password: "short" };
  await signUp(page, visitor);

  await expect(page).toHaveURL("/sign-up");
  const password = page.getByLabel("Password", { exact: true });
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toHaveAccessibleDescription(/at least 10 characters/i);
  await expect(page.getByLabel("Full name")).toHaveValue(visitor.name);
});

test("signing out from the account menu ends the session", async ({ page }) => {
  const visitor = newVisitor();
  await signUp(page, visitor);

  await accountMenu(page, visitor.name).click();
  await page.getByRole("button", { name: "Sign out" }).click();

  await expect(
    page.getByRole("banner").getByRole("link", { name: "Sign in" }),
  ).toBeVisible();
  await expect(accountMenu(page, visitor.name)).toHaveCount(0);
  // Tickets now ask for sign-in again.
  await page.goto("/tickets");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ftickets$/);
});

test("a wrong password is refused with an error", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, USERS.carol.email, "not-carols-password");

  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "The email or password is not right.",
  );
  await expect(page).toHaveURL("/sign-in");
  await expect(page.getByLabel("Email address")).toHaveValue(USERS.carol.email);
  await expect(
    page.getByRole("banner").getByRole("link", { name: "Sign in" }),
  ).toBeVisible();
});

test("a password reset link from the mail sets a new password once", async ({
  page,
  browser,
}) => {
  const visitor = newVisitor("Riley Reset");
  await signUp(page, visitor);
  await expect(accountMenu(page, visitor.name)).toBeVisible();
  await page.context().clearCookies(); // they forgot the password and are signed out

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  // Client-side navigation: typing before the new page is in would fill the old form.
  await expect(
    page.getByRole("heading", { name: "Reset your password" }),
  ).toBeVisible();
  await page.getByLabel("Email address").fill(visitor.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    "If an account exists for that address, a link to reset the password is on its way.",
  );

  // The link reaches only the recipient: the admin's outbox shows the mail with it hidden.
  const admin = await browser.newContext({ storageState: authFile("admin") });
  await expectLinkHiddenInOutbox(await admin.newPage(), visitor.email);
  await admin.close();
  const resetUrl = await readResetLink(page, visitor.email);

  await page.goto(resetUrl);
  await page
    .getByLabel("New password", { exact: true })
    .fill("a brand new secret phrase");
  await page
    .getByLabel("Repeat the new password")
    .fill("a brand new secret phrase");
  await page.getByRole("button", { name: "Set new password" }).click();

  await expect(page).toHaveURL("/tickets?password-reset=1");
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    "Your password was changed and you are signed in.",
  );
  await expect(accountMenu(page, visitor.name)).toBeVisible();

  // The link works once.
  await page.goto(resetUrl);
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "This reset link is invalid, was already used, or has expired.",
  );
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);

  // And the new password is the one that signs in now.
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await signIn(page, visitor.email, "a brand new secret phrase");
  await expect(accountMenu(page, visitor.name)).toBeVisible();
});

/** Opens the newest reset mail to `to` in /staff/outbox and returns the link from its text part. */
async function expectLinkHiddenInOutbox(adminPage: Page, to: string) {
  await adminPage.goto("/staff/outbox");
  const row = adminPage.getByRole("row").filter({ hasText: to });
  await row
    .getByRole("link", { name: "Reset your Portico password" })
    .first()
    .click();
  await expect(
    adminPage.getByRole("heading", { name: "Reset your Portico password" }),
  ).toBeVisible();
  await expect(
    adminPage
      .getByText(/reset-password\/\[hidden: sent to the recipient only\]/)
      .first(),
  ).toBeVisible();
}

/** The reset link as delivered to the recipient (the SMTP sink). */
async function readResetLink(page: Page, to: string): Promise<string> {
  let url = "";
  await expect
    .poll(async () => {
      const mails = await receivedMail();
      const mail = mails.findLast(
        (m) =>
          m.subject === "Reset your Portico password" &&
          JSON.stringify(m.to).includes(to),
      );
      url =
        /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/.exec(
          mail?.text ?? "",
        )?.[0] ?? "";
      return url;
    })
    .not.toBe("");
  // The link must lead back to this site (NEXTAUTH_URL), not to some default host.
  expect(
    url.startsWith(`${new URL(page.url()).origin}/reset-password/`),
    url,
  ).toBe(true);
  return url;
}
