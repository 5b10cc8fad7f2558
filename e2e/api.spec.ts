import { expect, test } from "@playwright/test";
import { authFile } from "./support";

// An outside system files a ticket through the osTicket-compatible API: an admin issues a key for
// the caller's address, the call answers 201 with the bare number, the ticket appears in the queue
// an agent already has open, and the admin sees the call in the API log.

test("a ticket posted to /api/tickets.json appears in the staff queue", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await admin.goto("/staff/settings/api-keys");
  await admin.getByLabel("Caller's IP address").fill("127.0.0.1");
  await admin.getByLabel("Notes").fill("Monitoring (e2e)");
  await admin.getByRole("button", { name: "Create API key" }).click();
  const key = await admin.getByLabel("New API key").inputValue();
  expect(key).toMatch(/^[0-9A-F]{32}$/);

  const agent = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await agent.goto("/staff");
  await expect(
    agent.getByRole("heading", { name: "Queue", level: 1 }),
  ).toBeVisible();

  const subject = `Disk almost full on web-03 ${Date.now()}`;
  const api = await playwright.request.newContext({ baseURL });
  // A spoofed X-Forwarded-For does not get a key bound elsewhere past its IP check…
  const spoofed = await api.post("/api/tickets.json", {
    headers: { "X-API-Key": "0".repeat(32), "X-Forwarded-For": "127.0.0.1" },
    data: "{}",
  });
  expect(spoofed.status()).toBe(401);
  expect(await spoofed.text()).toBe("Valid API key required");

  // …and the real key from its own address creates the ticket. Content-Type is irrelevant.
  const created = await api.post("/api/tickets.json", {
    headers: { "X-API-Key": key, "Content-Type": "text/plain" },
    data: JSON.stringify({
      name: "Nagios Monitor",
      email: "nagios@example.com",
      subject,
      message: "/dev/sda1 is 97% full",
      priority: 3,
    }),
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["content-type"]).toBe("text/html; charset=UTF-8");
  expect(created.headers()["content-length"]).toBe("6");
  const number = await created.text();
  expect(number).toMatch(/^[0-9]{6}$/);
  await api.dispose();

  // No reload: the agent's queue polls and shows it.
  await expect(agent.getByRole("link", { name: subject })).toBeVisible({
    timeout: 15_000,
  });
  await agent.getByRole("link", { name: subject }).click();
  await expect(agent.getByRole("heading", { name: subject })).toBeVisible();
  expect(agent.url()).toContain(`/staff/tickets/${number}`);
  const main = agent.getByRole("main");
  await expect(main).toContainText("/dev/sda1 is 97% full");
  await expect(main).toContainText("Nagios Monitor");

  // The admin's API log shows both calls, the refused one and the ticket.
  await admin.reload();
  const log = admin.getByRole("region", { name: "Recent calls" });
  await expect(log.getByRole("link", { name: `#${number}` })).toBeVisible();
  await expect(log.getByText("Valid API key required")).toBeVisible();
});
