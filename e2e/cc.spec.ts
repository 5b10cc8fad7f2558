import { expect, test } from "@playwright/test";
import {
  authFile,
  deliverToSupportMailbox,
  E2E_IMAP,
  openTicketAs,
  runMailJob,
  waitForMail,
} from "./support";

// CC (issue 16): an agent copies the customer's colleague on a ticket, the colleague gets the reply
// and answers it by mail, and the answer lands in the thread.

test("a CC'd address gets the reply and its mail answer lands in the thread", async ({
  browser,
  request,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const stamp = Date.now();
  const boss = `it-lead-${stamp}@example.com`;
  const { number } = await openTicketAs(
    browser,
    "alice",
    `Backup schedule ${stamp}`,
    "Can the nightly backup run at 02:00 instead?",
  );
  const sam = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await sam.goto(`/staff/tickets/${number}`);

  // A mistake first, then the colleague's address.
  await sam.getByLabel("Copy an address on replies").fill("not an address");
  await sam.getByRole("button", { name: "Add", exact: true }).click();
  await expect(sam.getByText("Enter a valid email address.")).toBeVisible();
  await sam.getByLabel("Copy an address on replies").fill(boss);
  await sam.getByRole("button", { name: "Add", exact: true }).click();
  await expect(sam.getByText(`${boss} is copied on replies.`)).toBeVisible();
  await expect(sam.getByRole("list", { name: "Copied" })).toContainText(boss);

  await sam
    .getByLabel("Message to the customer")
    .fill("Done: the backup now runs at 02:00.");
  await sam.getByRole("button", { name: "Send reply" }).click();
  await expect(
    sam.getByRole("status").filter({ hasText: "Reply sent to the customer." }),
  ).toBeVisible();

  const copy = await waitForMail(
    (m) =>
      (m.to && "text" in m.to ? m.to.text : "").includes(boss) &&
      m.text?.includes("the backup now runs at 02:00") === true,
  );
  expect(copy.text).toContain("You are copied on ticket");

  await deliverToSupportMailbox([
    `From: IT Lead <${boss}>`,
    `To: ${E2E_IMAP.user}`,
    `Subject: Re: ${copy.subject}`,
    `Message-ID: <e2e-cc-${stamp}@example.com>`,
    `In-Reply-To: ${copy.messageId}`,
    `References: ${copy.messageId}`,
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Approved from our side, thanks.",
  ]);
  await runMailJob(request);
  await sam.reload();
  await expect(sam.getByRole("list", { name: "Thread" })).toContainText(
    "Approved from our side, thanks.",
  );

  // No longer copied: asked first, then said.
  sam.once("dialog", (dialog) => void dialog.accept());
  await sam
    .getByRole("list", { name: "Copied" })
    .getByRole("button", { name: "Remove" })
    .click();
  await expect(sam.getByText(`${boss} is no longer copied.`)).toBeVisible();
  await expect(sam.getByText("Nobody is copied.")).toBeVisible();
});
