import { expect, test } from "@playwright/test";
import {
  authFile,
  deliverToSupportMailbox,
  E2E_IMAP,
  openTicketAs,
  runMailJob,
  USERS,
  waitForMail,
} from "./support";

// Merging (issue 16): two tickets about one problem become one, and the customer's mail answer to
// the merged ticket lands on the ticket it joined.

test("a merge followed by a mail reply to the merged ticket lands on the target", async ({
  browser,
  request,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const stamp = Date.now();
  const target = await openTicketAs(
    browser,
    "alice",
    `Webmail slow ${stamp}`,
    "Webmail takes a minute to open.",
  );
  const source = await openTicketAs(
    browser,
    "alice",
    `Webmail timeouts ${stamp}`,
    "Webmail times out when I attach files.",
  );

  const agent = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await agent.goto(`/staff/tickets/${source.number}`);
  await agent
    .getByLabel("Message to the customer")
    .fill("Which browser do you use for webmail?");
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(
    agent
      .getByRole("status")
      .filter({ hasText: "Reply sent to the customer." }),
  ).toBeVisible();

  // Sam merges the second ticket into the first.
  await agent.getByLabel("Merge this ticket into").selectOption({
    label: `#${target.number} · Webmail slow ${stamp} (Open)`,
  });
  agent.once("dialog", (dialog) => void dialog.accept());
  await agent.getByRole("button", { name: "Merge" }).click();
  await expect(agent).toHaveURL(new RegExp(`/staff/tickets/${target.number}$`));
  const thread = agent.getByRole("list", { name: "Thread" });
  await expect(thread).toContainText("Webmail times out when I attach files.");
  await expect(thread).toContainText("Which browser do you use for webmail?");
  await expect(thread).toContainText(
    `merged #${source.number} into this ticket (2 messages moved here)`,
  );

  // The merged ticket says where its conversation went, to agents and to Alice.
  await agent.goto(`/staff/tickets/${source.number}`);
  await expect(
    agent.getByText(`This ticket was merged into #${target.number}`),
  ).toBeVisible();
  await expect(agent.getByLabel("Message to the customer")).toHaveCount(0);
  await source.page.reload();
  await expect(
    source.page.getByText(/We joined this request with your ticket/),
  ).toBeVisible();
  await expect(source.page.getByRole("button", { name: /reply/i })).toHaveCount(
    0,
  );

  // Alice answers the mail she got from the merged ticket.
  const tag = `[TICKET-${source.number}]`;
  const mail = await waitForMail(
    (m) =>
      m.subject?.includes(tag) === true &&
      m.text?.includes("Which browser") === true,
  );
  await deliverToSupportMailbox([
    `From: ${USERS.alice.name} <${USERS.alice.email}>`,
    `To: ${E2E_IMAP.user}`,
    `Subject: Re: ${mail.subject}`,
    `Message-ID: <e2e-merge-${stamp}@example.com>`,
    `In-Reply-To: ${mail.messageId}`,
    `References: ${mail.messageId}`,
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Firefox 133 on Windows 11.",
  ]);
  await runMailJob(request);

  await agent.goto(`/staff/tickets/${target.number}`);
  await expect(agent.getByRole("list", { name: "Thread" })).toContainText(
    "Firefox 133 on Windows 11.",
  );
  await agent.goto(`/staff/tickets/${source.number}`);
  await expect(agent.getByRole("list", { name: "Thread" })).not.toContainText(
    "Firefox 133",
  );
});
