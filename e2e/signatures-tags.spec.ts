import { expect, test } from "@playwright/test";
import { authFile, openTicketAs, waitForMail } from "./support";

// Signatures and tags (issue 16): an agent keeps a signature, changes it for one reply, and the
// customer's mail carries it; a tag added in the workspace filters the queue.

test("an agent signs a reply as edited, and a tag finds the ticket in the queue", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const stamp = Date.now();
  const subject = `Invoice copy ${stamp}`;
  const { number } = await openTicketAs(
    browser,
    "alice",
    subject,
    "Could you send me a copy of last month's invoice?",
  );
  const sam = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();

  // His own signature, saved once in My account.
  await sam.goto("/staff/account");
  await sam.getByLabel("Your signature").fill("{{agent.name}}\nBilling desk");
  await sam.getByRole("button", { name: "Save signature" }).click();
  await expect(sam.getByText("Your signature is saved.")).toBeVisible();

  await sam.goto(`/staff/tickets/${number}`);
  await expect(sam.getByLabel("Signature", { exact: true })).toHaveValue(
    "mine",
  );
  const signature = sam.getByLabel("Signature for this reply");
  await expect(signature).toHaveValue("Sam Rivera\nBilling desk");
  // The department's is offered too; then back to his own, edited for this reply.
  await sam.getByLabel("Signature", { exact: true }).selectOption("department");
  await expect(signature).toHaveValue("Sam Rivera\nPortico Maintenance");
  await sam.getByLabel("Signature", { exact: true }).selectOption("mine");
  await signature.fill("Sam Rivera\nBilling desk (back on Monday)");
  await sam
    .getByLabel("Message to the customer")
    .fill("Attached is the copy you asked for.");
  await sam.getByRole("button", { name: "Send reply" }).click();
  await expect(
    sam.getByRole("status").filter({ hasText: "Reply sent to the customer." }),
  ).toBeVisible();
  await expect(sam.getByRole("list", { name: "Thread" })).toContainText(
    "Billing desk (back on Monday)",
  );
  const mail = await waitForMail(
    (m) =>
      m.text?.includes("Attached is the copy you asked for.") === true &&
      m.subject?.includes(number) === true,
  );
  expect(mail.text).toContain(
    "Attached is the copy you asked for.\n\nSam Rivera\nBilling desk (back on Monday)",
  );

  // A tag, with a mistake first.
  await sam.getByLabel("Add a tag").fill("refund, urgent");
  await sam.getByRole("button", { name: "Add tag" }).click();
  await expect(
    sam.getByText("Add one tag at a time, without commas."),
  ).toBeVisible();
  const tag = `invoice-${stamp}`;
  await sam.getByLabel("Add a tag").fill(` Invoice-${stamp} `);
  await sam.getByRole("button", { name: "Add tag" }).click();
  await expect(sam.getByRole("list", { name: "Tags" })).toContainText(tag);

  // The tag's link opens the queue filtered by it: this ticket only.
  await sam
    .getByRole("list", { name: "Tags" })
    .getByRole("link", { name: tag })
    .click();
  await expect(sam).toHaveURL(/tag=invoice-/);
  await expect(sam.getByLabel("Tag")).toHaveValue(tag);
  const rows = sam.getByRole("row").filter({ hasText: `#${number}` });
  await expect(rows).toHaveCount(1);
  await expect(sam.getByRole("link", { name: subject })).toBeVisible();
  await expect(sam.locator("tbody tr")).toHaveCount(1);

  // Removed, the filter finds nothing.
  await sam.goto(`/staff/tickets/${number}`);
  await sam.getByRole("button", { name: `Remove the tag ${tag}` }).click();
  await expect(sam.getByText("No tags.")).toBeVisible();
  await sam.goto(`/staff?view=all&tag=${tag}`);
  await expect(sam.getByRole("link", { name: subject })).toHaveCount(0);

  // Leave Sam without a signature for the other journeys.
  await sam.goto("/staff/account");
  await sam.getByLabel("Your signature").fill("");
  await sam.getByRole("button", { name: "Save signature" }).click();
  await expect(sam.getByText(/Your signature is removed/)).toBeVisible();
});
