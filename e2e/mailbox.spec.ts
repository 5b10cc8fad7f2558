import {
  expect,
  test,
  type APIRequestContext,
  type Page,
} from "@playwright/test";
import {
  authFile,
  E2E_CRON_SECRET,
  E2E_MAILCOW,
  mailboxNameOf,
  newVisitor,
  signUp,
} from "./support";

// Issue 6: every customer gets a Mailcow mailbox. The fake Mailcow (e2e/mailcow.ts) stands in for
// the company's Mailcow; its control port lets a journey take it down and read what it holds.

const control = `http://127.0.0.1:${E2E_MAILCOW.controlPort}`;
const addressOf = (visitor: { email: string }) =>
  `${mailboxNameOf(visitor)}@${E2E_MAILCOW.domain}`;

async function mailcowHasPassword(
  request: APIRequestContext,
  address: string,
  password: string,
): Promise<boolean> {
  const res = await request.post(`${control}/check-password`, {
    data: { address, password },
  });
  return ((await res.json()) as { ok: boolean }).ok;
}

async function changeMailboxPassword(
  page: Page,
  password: string,
  portalPassword: string,
) {
  // React resets the form when an action settles: fill it only once the last submit has.
  const submit = page.getByRole("button", { name: "Change mailbox password" });
  await expect(submit).toBeEnabled();
  await page.getByLabel("New mailbox password", { exact: true }).fill(password);
  await page.getByLabel("New mailbox password, again").fill(password);
  await page.getByLabel("Your portal password").fill(portalPassword);
  await submit.click();
}

test.afterEach(async ({ request }) => {
  // Whatever a journey did, the next one finds Mailcow up.
  await request.post(`${control}/up`);
});

test("a new customer signs up, finds their mailbox active and changes its password", async ({
  page,
  request,
}) => {
  const visitor = newVisitor("Mona Mailbox");
  const address = addressOf(visitor);
  await signUp(page, visitor);

  await expect(page).toHaveURL("/tickets?welcome=1");
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    `Your mailbox ${address} is ready, with the password you just chose.`,
  );

  await page
    .getByRole("main")
    .getByRole("link", { name: "Your mailbox" })
    .click();
  await expect(page).toHaveURL("/mailbox");
  const main = page.getByRole("main");
  await expect(main).toContainText(address);
  await expect(main.getByText("Active", { exact: true }).first()).toBeVisible();
  // Usage as Mailcow reports it, in bytes: nothing used of the 1 GiB default.
  await expect(main.getByRole("progressbar")).toHaveAttribute(
    "aria-valuenow",
    "0",
  );
  await expect(main).toContainText("of 1 GiB");
  await expect(
    main.getByRole("link", { name: "Open webmail" }),
  ).toHaveAttribute("href", "https://webmail.portico.test/SOGo/");
  await expect(main).toContainText("imap.portico.test");
  await expect(main).toContainText("993 · SSL/TLS");
  await expect(main).toContainText("587 · STARTTLS");
  await expect(
    main.getByRole("button", { name: "Copy IMAP server" }),
  ).toBeVisible();

  // The Thunderbird file names the mailbox and the servers; it holds no password.
  const autoconfig = await page.request.get("/mailbox/config/thunderbird");
  expect(autoconfig.status()).toBe(200);
  const xml = await autoconfig.text();
  expect(xml).toContain("<hostname>imap.portico.test</hostname>");
  expect(xml).toContain(`<username>${address}</username>`);
  expect(xml).not.toContain(visitor.password);
  const profile = await page.request.get("/mailbox/config/apple");
  expect(profile.headers()["content-disposition"]).toContain(
    `${address}.mobileconfig`,
  );

  // The signup password opened the mailbox; now the customer picks a separate one.
  expect(await mailcowHasPassword(request, address, visitor.password)).toBe(
    true,
  );
  await changeMailboxPassword(page, "short", visitor.password);
  const newPassword = page.getByLabel("New mailbox password", { exact: true });
  await expect(newPassword).toHaveAttribute("aria-invalid", "true");
  await expect(newPassword).toHaveAccessibleDescription(
    "Use at least 12 characters.",
  );
  await changeMailboxPassword(page, "Granite-Orchard-77", "not my password");
  await expect(
    page.getByLabel("Your portal password"),
  ).toHaveAccessibleDescription("That is not your portal password.");
  await changeMailboxPassword(page, "Granite-Orchard-77", visitor.password);
  await expect(
    main.getByText(`The password of ${address} is changed.`),
  ).toBeVisible();
  expect(await mailcowHasPassword(request, address, "Granite-Orchard-77")).toBe(
    true,
  );
});

test("Mailcow is down at signup: the account works, the customer is told, and the scheduled run creates the mailbox", async ({
  page,
  request,
}) => {
  await request.post(`${control}/down`);
  const visitor = newVisitor("Dora Downtime");
  const address = addressOf(visitor);
  await signUp(page, visitor);

  await expect(page).toHaveURL("/tickets?welcome=1");
  await expect(page.getByRole("main").getByRole("status")).toContainText(
    `The mail server could not create your mailbox ${address} just now. It is created as soon as the mail server takes it`,
  );
  await page.goto("/mailbox");
  const main = page.getByRole("main");
  await expect(main).toContainText("Being set up");
  await expect(main).toContainText(
    "We could not reach the mail server to create your mailbox. Nothing is lost",
  );

  // Mailcow is back; the scheduled route (as cron calls it) creates the mailbox once it is due.
  await request.post(`${control}/up`);
  await expect
    .poll(
      async () => {
        const run = await request.post("/api/cron/mail", {
          headers: { Authorization: `Bearer ${E2E_CRON_SECRET}` },
        });
        const summary = (await run.json()) as {
          mailboxes?: { active?: number };
        };
        return summary.mailboxes?.active ?? 0;
      },
      { timeout: 15_000, intervals: [1_000] },
    )
    .toBe(1);

  // The open page notices by itself (it refreshes while the mailbox is pending).
  await expect(main.getByText("Active", { exact: true }).first()).toBeVisible({
    timeout: 10_000,
  });
  await expect(main).toContainText(
    "Your mailbox was created with a temporary password.",
  );
  await expect(
    main.getByRole("heading", { name: "Set your mailbox password" }),
  ).toBeVisible();
  const record = (await (
    await request.get(`${control}/mailbox?address=${address}`)
  ).json()) as { attributes: Record<string, string> };
  expect(record.attributes.force_pw_update).toBe("1");

  await changeMailboxPassword(page, "Granite-Orchard-77", visitor.password);
  await expect(
    main.getByText(`The password of ${address} is changed.`),
  ).toBeVisible();
  expect(await mailcowHasPassword(request, address, "Granite-Orchard-77")).toBe(
    true,
  );
  await page.reload();
  await expect(main).not.toContainText("temporary password");
  await expect(
    main.getByRole("heading", { name: "Change mailbox password" }),
  ).toBeVisible();
});

test("an admin suspends a customer's mailbox after confirming, and re-activates it", async ({
  page,
  browser,
  request,
}) => {
  const visitor = newVisitor("Sven Suspended");
  const address = addressOf(visitor);
  await signUp(page, visitor);
  await expect(page).toHaveURL("/tickets?welcome=1");

  const staff = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await staff.goto(`/staff/customers?q=${encodeURIComponent(visitor.email)}`);
  await staff.getByRole("link", { name: visitor.name }).click();
  const card = staff.getByRole("main");
  await expect(card).toContainText(address);

  // Suspending asks first; cancelling changes nothing.
  await card.getByRole("button", { name: "Suspend…" }).click();
  await expect(card).toContainText(`Suspend ${address}?`);
  await card.getByRole("button", { name: "Cancel" }).click();
  await card.getByRole("button", { name: "Suspend…" }).click();
  await card.getByRole("button", { name: "Yes, suspend" }).click();
  await expect(
    card.getByText("Suspended", { exact: true }).first(),
  ).toBeVisible();
  const record = async () =>
    (await (
      await request.get(`${control}/mailbox?address=${address}`)
    ).json()) as {
      active: number;
    };
  expect((await record()).active).toBe(0);

  await page.goto("/mailbox");
  await expect(page.getByRole("main")).toContainText(
    "Your mailbox is suspended",
  );

  await card.getByRole("button", { name: "Re-activate" }).click();
  await expect(card.getByText("Active", { exact: true }).first()).toBeVisible();
  expect((await record()).active).toBe(1);
  await page.reload();
  await expect(page.getByRole("main")).not.toContainText("suspended");
});

test("a name the company already uses as an alias: signup offers another, or the customer picks one on the mailbox page", async ({
  page,
  request,
}) => {
  const visitor = newVisitor("Ali Alias");
  const taken = addressOf(visitor);
  const name = mailboxNameOf(visitor);
  // The company already uses this address as an alias; Mailcow's alias list says so.
  await request.post(`${control}/alias`, { data: { address: taken } });
  await signUp(page, visitor);

  const main = page.getByRole("main");
  const offered = page.locator("#mailboxName-error", {
    hasText: `"${name}" is already taken. How about "${name}2"?`,
  });
  const refused = main
    .getByRole("status")
    .filter({ hasText: `Your mailbox ${taken} could not be created` });
  await expect(offered.or(refused)).toBeVisible();
  // The name check has a short time budget; on a slow machine the create itself refuses the name.
  const checkedAtSignup = await offered.isVisible();
  const chosen = checkedAtSignup ? `${name}2` : `${name}.mail`;
  if (checkedAtSignup) {
    await page.getByLabel("Mailbox name").fill(chosen);
    await page.getByLabel("Password", { exact: true }).fill(visitor.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("link", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/tickets/);
    await page.goto("/mailbox");
  } else {
    await page.goto("/mailbox");
    await expect(main).toContainText(
      `${taken} could not be created: This address is already in use as an alias. Choose another name.`,
    );
    await page.getByLabel("Mailbox name").fill(chosen);
    await page
      .getByLabel("Mailbox password", { exact: true })
      .fill("Granite-Orchard-77");
    await page.getByLabel("Mailbox password, again").fill("Granite-Orchard-77");
    await page.getByRole("button", { name: "Create mailbox" }).click();
  }

  const address = `${chosen}@${E2E_MAILCOW.domain}`;
  await expect(main).toContainText(address);
  await expect(main.getByText("Active", { exact: true }).first()).toBeVisible();
  if (!checkedAtSignup)
    expect(
      await mailcowHasPassword(request, address, "Granite-Orchard-77"),
    ).toBe(true);
});
