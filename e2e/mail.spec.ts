import { expect, test } from "@playwright/test";
import {
  authFile,
  deliverToSupportMailbox,
  E2E_IMAP,
  runMailJob,
  USERS,
  waitForMail,
} from "./support";

// Mail into tickets: an agent answers a customer's ticket; the customer answers the mail from their
// mail client (quoting it, as clients do); the reply lands in the support mailbox; the scheduled
// route reads it; the thread shows what the customer wrote, without the quoted history.

test("a customer's reply by mail arrives in the ticket without the quoted text", async ({
  browser,
  request,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const subject = `VPN drops every hour ${Date.now()}`;
  const customer = await (
    await browser.newContext({ storageState: authFile("alice") })
  ).newPage();
  await customer.goto("/tickets/new");
  await customer
    .getByLabel("What do you need help with?")
    .selectOption({ label: "Report a Problem" });
  await customer.getByLabel("Subject").fill(subject);
  await customer
    .getByLabel("Message")
    .fill("The VPN disconnects every hour on the hour.");
  await customer.getByRole("button", { name: "Open ticket" }).click();
  await expect(customer.getByRole("heading", { name: subject })).toBeVisible();
  const number = /\/tickets\/(\d{6})/.exec(customer.url())?.[1];
  expect(number).toMatch(/^\d{6}$/);

  const agent = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await agent.goto(`/staff/tickets/${number}`);
  await agent
    .getByLabel("Message to the customer")
    .fill("Please update the VPN client to 5.2 and tell us if it still drops.");
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(
    agent
      .getByRole("status")
      .filter({ hasText: "Reply sent to the customer." }),
  ).toBeVisible();

  // The agent's reply reaches the customer's mail client…
  const tag = `[TICKET-${number}]`;
  const replyMail = await waitForMail(
    (m) =>
      m.subject?.includes(tag) === true &&
      m.text?.includes("VPN client") === true,
  );

  // …and the customer answers it, quoting it below their words, into the support mailbox.
  await deliverToSupportMailbox([
    `From: ${USERS.alice.name} <${USERS.alice.email}>`,
    `To: ${E2E_IMAP.user}`,
    `Subject: Re: ${replyMail.subject}`,
    `Message-ID: <e2e-answer-${Date.now()}@example.com>`,
    `In-Reply-To: ${replyMail.messageId}`,
    `References: ${replyMail.messageId}`,
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Updated to 5.2 and it has held for three hours now. Thank you!",
    "",
    `On ${new Date().toDateString()}, ${USERS.sam.name} <support@portico.test> wrote:`,
    "> Please update the VPN client to 5.2 and tell us if it still drops.",
  ]);

  // The scheduled route runs (as cron would call it) and reports the reply.
  const summary = await runMailJob(request);
  expect(summary.inbound).toMatchObject({ replied: 1, failed: 0 });

  await customer.reload();
  const conversation = customer.getByRole("list", { name: "Conversation" });
  await expect(conversation).toContainText(
    "Updated to 5.2 and it has held for three hours now.",
  );
  await expect(conversation).not.toContainText("wrote:", {
    useInnerText: true,
  });
  // The agent's words appear once: their own reply, not again as a quote.
  await expect(
    conversation
      .getByText("Please update the VPN client to 5.2", { exact: false })
      .filter({ visible: true }),
  ).toHaveCount(1);

  await agent.reload();
  const thread = agent.getByRole("list", { name: "Thread" });
  await expect(thread).toContainText("Updated to 5.2");
  await expect(thread).not.toContainText("wrote:", { useInnerText: true });
  // The whole mail, quote included, is one click away.
  await thread.getByText("Show the full message").last().click();
  await expect(thread).toContainText("wrote:", { useInnerText: true });

  // The mail ledger shows the message and what became of it.
  await agent.goto(`/staff/mail?q=${encodeURIComponent("Re: ")}`);
  await expect(
    agent
      .getByRole("main")
      .getByRole("link", { name: `#${number}` })
      .first(),
  ).toBeVisible();
});
