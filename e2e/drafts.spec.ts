import { expect, test } from "@playwright/test";
import { authFile, openTicketAs, USERS } from "./support";

// Drafts (issue 16): a reply being written survives a look at the other tab and a reload, a
// colleague sees that it is being written, and sending it discards it.

test("a draft survives a tab switch and a reload, shows a colleague who is writing, and goes when sent", async ({
  browser,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const { number } = await openTicketAs(
    browser,
    "alice",
    `Draft journey ${Date.now()}`,
    "FTP login fails since Monday.",
  );

  const sam = await (
    await browser.newContext({ storageState: authFile("sam") })
  ).newPage();
  await sam.goto(`/staff/tickets/${number}`);
  const reply = sam.getByLabel("Message to the customer");
  const words =
    "Hi Alice, please check that passive mode is on in your FTP client.";
  await reply.fill(words);
  await expect(sam.getByTestId("reply-draft-status")).toHaveText("Draft saved");

  await sam.getByRole("tab", { name: "Internal note" }).click();
  await sam
    .getByLabel("Note for agents (the customer never sees it)")
    .fill("Firewall logs show passive ports blocked?");
  await sam.getByRole("tab", { name: "Reply to customer" }).click();
  await expect(reply).toHaveValue(words);

  await expect(sam.getByTestId("note-draft-status")).toHaveText("Draft saved");
  await sam.reload();
  await expect(sam.getByLabel("Message to the customer")).toHaveValue(words);
  await sam.getByRole("tab", { name: "Internal note" }).click();
  await expect(
    sam.getByLabel("Note for agents (the customer never sees it)"),
  ).toHaveValue("Firewall logs show passive ports blocked?");
  await sam.getByRole("tab", { name: "Reply to customer" }).click();

  // Ada opens the ticket: she sees that Sam is writing the reply.
  const ada = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();
  await ada.goto(`/staff/tickets/${number}`);
  await expect(
    ada.getByText(`${USERS.sam.name} is writing a reply.`),
  ).toBeVisible({ timeout: 15_000 });
  // Her own boxes hold none of Sam's words.
  await expect(ada.getByLabel("Message to the customer")).toHaveValue("");

  await sam.getByRole("button", { name: "Send reply" }).click();
  await expect(
    sam.getByRole("status").filter({ hasText: "Reply sent to the customer." }),
  ).toBeVisible();
  await expect(sam.getByLabel("Message to the customer")).toHaveValue("");
  await sam.reload();
  await expect(sam.getByLabel("Message to the customer")).toHaveValue("");
  // The note's draft is still there: only the box that was sent is discarded.
  await sam.getByRole("tab", { name: "Internal note" }).click();
  await expect(
    sam.getByLabel("Note for agents (the customer never sees it)"),
  ).toHaveValue("Firewall logs show passive ports blocked?");
});
