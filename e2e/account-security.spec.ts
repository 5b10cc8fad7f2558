import { randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  accountMenu,
  appCode,
  authFile,
  newVisitor,
  signIn,
  signUp,
  turnOnAuthenticator,
  waitForMail,
} from "./support";

// Issue 17: what a customer does with their own account, and how a visitor reaches support.

function linkIn(text: string | undefined): string {
  const url = /https?:\/\/\S+\/verify-email\/[\w-]+/.exec(text ?? "")?.[0];
  if (!url) throw new Error("no address link in the mail");
  return new URL(url).pathname;
}

const mailTo = (address: string, subject: string) =>
  waitForMail(
    (m) =>
      m.subject === subject &&
      JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()),
  );

test("a customer moves their account to a new address through the link sent there", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const visitor = newVisitor("Mira Mover");
  await signUp(page, visitor);
  await expect(accountMenu(page, visitor.name)).toBeVisible();
  // Until the address is confirmed the portal says so.
  await expect(page.getByText("Confirm your email address.")).toBeVisible();

  const newAddress = visitor.email.replace("@", ".new@");
  await page.goto("/account");
  await page.getByLabel("New email address").fill(newAddress);
  await page.getByLabel("Current password").first().fill(visitor.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    `We sent a link to ${newAddress}`,
  );
  // Nothing has changed yet.
  await expect(
    page.getByText(`You sign in and get mail at ${visitor.email}.`),
  ).toBeVisible();
  await mailTo(
    visitor.email,
    "A change of your Portico sign-in address was requested",
  );

  const link = await mailTo(
    newAddress,
    "Confirm your new Portico sign-in address",
  );
  await page.goto(linkIn(link.text));
  await expect(page.getByText(newAddress)).toBeVisible();
  await page.getByRole("button", { name: "Use this address" }).click();

  await expect(page).toHaveURL("/account?notice=email-changed");
  await expect(
    page.getByRole("main").getByRole("status").first(),
  ).toContainText("Your email address is changed");
  await expect(
    page.getByText(`You sign in and get mail at ${newAddress}.`),
  ).toBeVisible();
  // The new address is proven by the link: the banner is gone.
  await expect(page.getByText("Confirm your email address.")).toHaveCount(0);
  await mailTo(visitor.email, "Your Portico sign-in address changed");

  // Signing in now takes the new address.
  await accountMenu(page, visitor.name).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto("/sign-in");
  await signIn(page, newAddress, visitor.password);
  await expect(accountMenu(page, visitor.name)).toBeVisible();
});

test("a customer turns on an authenticator app, then signs in with a code and with a recovery code", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const visitor = newVisitor("Tara Totp");
  await signUp(page, visitor);
  await expect(accountMenu(page, visitor.name)).toBeVisible();
  await page.goto("/account/security");
  await expect(
    page.getByRole("img", { name: /QR code to scan/ }),
  ).toBeVisible();
  const { secret, codes } = await turnOnAuthenticator(page, visitor.password);
  await expect(page.getByText("10 of 10 recovery codes left.")).toBeVisible();

  const signOutAndIn = async () => {
    await accountMenu(page, visitor.name).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto("/sign-in");
    await signIn(page, visitor.email, visitor.password);
    await expect(
      page.getByRole("heading", { name: "One more step" }),
    ).toBeVisible();
  };

  await signOutAndIn();
  // A wrong code is refused on the field; the next time step's code (the set-up used this one) works.
  await page.getByLabel("Code from your authenticator app").fill("000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(
    page.getByLabel("Code from your authenticator app"),
  ).toHaveAttribute("aria-invalid", "true");
  await page
    .getByLabel("Code from your authenticator app")
    .fill(appCode(secret, 1));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(accountMenu(page, visitor.name)).toBeVisible();

  await signOutAndIn();
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(codes[0]!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(accountMenu(page, visitor.name)).toBeVisible();
  await page.goto("/account/security");
  await expect(page.getByText("9 of 10 recovery codes left.")).toBeVisible();
  await mailTo(
    visitor.email,
    "Portico security: A recovery code was used to sign in; 9 of them are left",
  );
});

test("a customer confirms a phone number with the code an admin reads in the SMS outbox", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const visitor = newVisitor("Pat Phone");
  await signUp(page, visitor);
  await expect(accountMenu(page, visitor.name)).toBeVisible();
  const national = `7400 ${randomInt(100000, 999999)}`;
  const e164 = `+44${national.replace(" ", "")}`;

  await page.goto("/account/security");
  await page.getByLabel("Mobile number").fill(`+44 ${national}`);
  await page.getByRole("button", { name: "Text me a code" }).click();
  await expect(
    page.getByRole("main").getByRole("status").first(),
  ).toContainText("We texted a code to");

  // No SMS provider in this run: the text waits in the outbox, where an administrator reads it.
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await admin.goto("/staff/outbox");
  const row = admin
    .getByRole("region", { name: "Text messages" })
    .getByRole("row")
    .filter({ hasText: e164 })
    .first();
  const code = /\b(\d{6})\b/.exec(await row.innerText())![1]!;
  await admin.context().close();

  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Confirm number" }).click();
  await expect(
    page
      .getByRole("region", { name: "Phone number" })
      .getByText("Confirmed", { exact: true }),
  ).toBeVisible();
});

test("a visitor writes through the contact page and an agent sees the ticket", async ({
  page,
  browser,
}) => {
  const subject = `Can you move my shop ${Date.now()}`;
  const email = `contact-${randomInt(1e9)}@example.com`;
  await page.goto("/");
  await page.getByRole("link", { name: "Get support" }).click();
  await expect(page).toHaveURL("/contact");
  // The support address is in the footer of every public page.
  await expect(
    page.getByRole("contentinfo").getByRole("link", { name: /@/ }),
  ).toBeVisible();

  await page.getByLabel("Your name").fill("Vic Visitor");
  await page.getByLabel("Your email address").fill(email);
  await page.getByLabel("Subject").fill(subject);
  await page
    .getByLabel("Message")
    .fill("I run a small web shop and would like to move it to you.");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    `Thank you. Your message reached our support team; we answer by mail at ${email}.`,
  );

  const sam = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await sam.goto(`/staff?view=all&q=${encodeURIComponent(subject)}`);
  await sam.getByRole("link", { name: subject }).click();
  await expect(sam.getByRole("heading", { name: subject })).toBeVisible();
  await expect(sam.getByText("Vic Visitor").first()).toBeVisible();
  await sam.context().close();
});
