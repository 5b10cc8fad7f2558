import { expect, test } from "@playwright/test";
import {
  deliverToSupportMailbox,
  E2E_FIRST_RUN,
  runMailJob,
  signIn,
} from "./support";

// A company installs Portico for real: a server on an empty database without demo data prints a
// setup token; /setup takes it and makes the first administrator, who signs in, issues an API key
// for their monitoring, and sees the first API ticket and the first mailed ticket in the queue.

const ADMIN = {
  name: "Olga Ops",
  email: "olga@acme.example",
  password: "granite orchard velvet 7",
};

function setupToken(): string {
  const token = process.env.PORTICO_SETUP_TOKEN;
  if (!token)
    throw new Error(
      "PORTICO_SETUP_TOKEN is not set: run through e2e/playwright.config.ts, whose first-run server prints it",
    );
  return token;
}

test("a new install is set up in the browser and takes tickets by API and by mail", async ({
  page,
  browser,
  request,
  playwright,
  baseURL,
}) => {
  const health = async () =>
    (await (await request.get("/api/health")).json()) as { setup?: string };
  expect(await health()).toMatchObject({ status: "ok", setup: "required" });

  // Without the printed token nothing happens.
  await page.goto("/setup");
  await expect(
    page.getByRole("heading", { name: "Set up Portico" }),
  ).toBeVisible();
  const fill = async (token: string) => {
    await page.getByLabel("Setup token").fill(token);
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email address").fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Repeat the password").fill(ADMIN.password);
  };
  await fill("0123456789abcdef0123456789abcdef");
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByText("This setup token is not valid.")).toBeVisible();
  expect(await health()).toMatchObject({ setup: "required" });

  // With it, the administrator exists and is signed in to the staff desk.
  await fill(setupToken());
  await page.getByLabel("Company name (optional)").fill("Acme Hosting");
  await page
    .getByLabel("Support address (optional)")
    .fill(`${E2E_FIRST_RUN.imapFolder.toLowerCase()}@acme.example`);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(
    page.getByRole("heading", { name: "Queue", level: 1 }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/staff$/);
  expect(await health()).toMatchObject({ status: "ok", setup: "complete" });

  // /setup is closed for good, token or not.
  const late = await browser.newPage();
  await late.goto(`${baseURL}/setup`);
  await expect(
    late.getByRole("heading", { name: "Portico is set up" }),
  ).toBeVisible();
  await expect(late.getByLabel("Setup token")).toHaveCount(0);

  // The password works on the ordinary sign-in page.
  await late.goto(`${baseURL}/sign-in`);
  await signIn(late, ADMIN.email, ADMIN.password);
  await expect(late).toHaveURL(/\/staff$/);
  await late.close();

  // Settings > API keys: a key for the monitoring host (here, this machine).
  await page.goto("/staff/settings/api-keys");
  await page.getByLabel("Caller's IP address").fill("127.0.0.1");
  await page.getByLabel("Notes").fill("Monitoring");
  await page.getByRole("button", { name: "Create API key" }).click();
  const key = await page.getByLabel("New API key").inputValue();
  expect(key).toMatch(/^[0-9A-F]{32}$/);

  const apiSubject = `Disk almost full on web-03 ${Date.now()}`;
  const api = await playwright.request.newContext({ baseURL });
  const created = await api.post("/api/tickets.json", {
    headers: { "X-API-Key": key },
    data: JSON.stringify({
      name: "Nagios Monitor",
      email: "nagios@acme.example",
      subject: apiSubject,
      message: "/dev/sda1 is 97% full",
    }),
  });
  expect(await created.text()).toMatch(/^[0-9]{6}$/);
  expect(created.status()).toBe(201);
  await api.dispose();

  // A customer writes to the support mailbox; the scheduled job turns the mail into a ticket.
  const mailSubject = `Cannot reach my webmail ${Date.now()}`;
  await deliverToSupportMailbox(
    [
      'From: "Carla Customer" <carla@example.net>',
      `To: ${E2E_FIRST_RUN.imapFolder.toLowerCase()}@acme.example`,
      `Subject: ${mailSubject}`,
      `Message-ID: <first-run-${Date.now()}@example.net>`,
      `Date: ${new Date().toUTCString()}`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The webmail login page times out since this morning.",
    ],
    E2E_FIRST_RUN.imapFolder,
  );
  expect(await runMailJob(request)).toMatchObject({
    inbound: { created: 1, failed: 0 },
  });

  await page.goto("/staff");
  await expect(page.getByRole("link", { name: apiSubject })).toBeVisible();
  await expect(page.getByRole("link", { name: mailSubject })).toBeVisible();
  await page.getByRole("link", { name: mailSubject }).click();
  await expect(page.getByRole("main")).toContainText(
    "The webmail login page times out since this morning.",
  );
  await expect(page.getByRole("main")).toContainText("Carla Customer");
});
