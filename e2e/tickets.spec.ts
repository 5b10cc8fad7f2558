import { expect, test } from "@playwright/test";
import { authFile, receivedMail, USERS } from "./support";

// The acceptance journey: a customer opens a ticket with an attachment; an agent sees it
// arrive in the queue without reloading, answers with a canned reply and adds an internal note; the
// customer sees the reply but not the note; the reply mail reaches SMTP, tagged and threaded.

test("a ticket from the portal is answered in /staff and the reply reaches the customer", async ({
  browser,
}) => {
  const subject = `Backup restore needed ${Date.now()}`;
  const agentContext = await browser.newContext({
    storageState: authFile("sam"),
  });
  const customerContext = await browser.newContext({
    storageState: authFile("alice"),
  });
  const agent = await agentContext.newPage();
  const customer = await customerContext.newPage();

  // The agent is already looking at the queue before the ticket exists.
  await agent.goto("/staff");
  await expect(
    agent.getByRole("heading", { name: "Queue", level: 1 }),
  ).toBeVisible();
  await expect(agent.getByRole("link", { name: subject })).toHaveCount(0);

  await customer.goto("/tickets/new");
  await customer
    .getByLabel("What do you need help with?")
    .selectOption({ label: "Report a Problem" });
  await customer.getByLabel("Subject").fill(subject);
  await customer
    .getByLabel("Message")
    .fill(
      "Please restore yesterday's backup of /var/www. The error log is attached.",
    );
  await customer.getByLabel("Attachments (optional)").setInputFiles({
    name: "error-log.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("PHP Fatal error: out of memory\n"),
  });
  await customer.getByRole("button", { name: "Open ticket" }).click();
  await expect(customer.getByRole("heading", { name: subject })).toBeVisible();
  const number = /\/tickets\/(\d{6})/.exec(customer.url())?.[1];
  expect(number).toMatch(/^\d{6}$/);
  const attachment = customer.getByRole("link", { name: /error-log\.txt/ });
  await expect(attachment).toBeVisible();
  const download = await customer.request.get(
    (await attachment.getAttribute("href"))!,
  );
  expect(download.headers()["content-disposition"]).toContain(
    'attachment; filename="error-log.txt"',
  );
  expect(download.headers()["x-content-type-options"]).toBe("nosniff");
  expect(await download.text()).toBe("PHP Fatal error: out of memory\n");

  // Another customer gets the same 404 for the ticket and its file as for things that don't exist.
  const bobContext = await browser.newContext({
    storageState: authFile("bob"),
  });
  const bob = await bobContext.newPage();
  expect(
    (await bob.request.get((await attachment.getAttribute("href"))!)).status(),
  ).toBe(404);
  expect((await bob.goto(`/tickets/${number}`))?.status()).toBe(404);
  await bobContext.close();

  // No reload: the queue polls and the new ticket appears by itself.
  await expect(agent.getByRole("link", { name: subject })).toBeVisible({
    timeout: 15_000,
  });
  await agent.getByRole("link", { name: subject }).click();
  await expect(agent.getByRole("heading", { name: subject })).toBeVisible();
  await expect(
    agent.getByRole("link", { name: /error-log\.txt/ }),
  ).toBeVisible();
  // The properties panel speaks words, not stored values ("open", "low").
  await expect(
    agent.getByLabel("Status", { exact: true }).locator("option"),
  ).toHaveText(["Open", "Pending", "Resolved", "Closed"]);
  await expect(
    agent.getByLabel("Priority", { exact: true }).locator("option"),
  ).toHaveText(["Low", "Normal", "High", "Emergency"]);

  await agent
    .getByLabel("Canned reply")
    .selectOption({ label: "Thanks, looking into it" });
  const reply = agent.getByLabel("Message to the customer");
  await expect(reply).toHaveValue(
    new RegExp(
      `Hello ${USERS.alice.name},[\\s\\S]*ticket #${number}[\\s\\S]*${USERS.sam.name}`,
    ),
  );
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(
    agent
      .getByRole("status")
      .filter({ hasText: "Reply sent to the customer." }),
  ).toBeVisible();

  await agent.getByRole("tab", { name: "Internal note" }).click();
  await agent
    .getByLabel("Note for agents (the customer never sees it)")
    .fill("Restore job queued on backup-02; check disk quota first.");
  await agent.getByRole("button", { name: "Add note" }).click();
  await expect(
    agent.getByRole("status").filter({ hasText: "Internal note added." }),
  ).toBeVisible();
  const thread = agent.getByRole("list", { name: "Thread" });
  await expect(thread).toContainText("Restore job queued on backup-02");
  await expect(thread).toContainText(`${USERS.sam.name} took the ticket`);

  await customer.reload();
  const conversation = customer.getByRole("list", { name: "Conversation" });
  await expect(conversation).toContainText(`Hello ${USERS.alice.name},`);
  await expect(conversation).toContainText(USERS.sam.name);
  await expect(conversation).not.toContainText("backup-02");
  await expect(customer.getByText("Awaiting your reply")).toBeVisible();

  // The reply mail is in the SMTP sink, tagged and threaded on the acknowledgement.
  const tag = `[TICKET-${number}]`;
  await expect
    .poll(
      async () =>
        (await receivedMail()).filter(
          (m) =>
            m.subject?.includes(tag) && m.text?.includes("looking into it"),
        ).length,
      { timeout: 15_000 },
    )
    .toBe(1);
  const mails = (await receivedMail()).filter((m) => m.subject?.includes(tag));
  const replyMail = mails.find((m) => m.text?.includes("looking into it"))!;
  const ack = mails.find((m) => m.text?.includes("opened ticket"))!;
  expect(
    replyMail.to && "text" in replyMail.to ? replyMail.to.text : "",
  ).toContain(USERS.alice.email);
  expect(replyMail.subject).toBe(`${tag} ${subject}`);
  expect(replyMail.inReplyTo).toBeTruthy();
  expect(replyMail.messageId).not.toBe(ack.messageId);
  const references = Array.isArray(replyMail.references)
    ? replyMail.references
    : [replyMail.references];
  expect(references).toContain(ack.messageId);
  expect(mails.some((m) => m.text?.includes("backup-02"))).toBe(false);

  await agentContext.close();
  await customerContext.close();
});
