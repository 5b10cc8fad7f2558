import { expect, test, type Browser, type Page } from "@playwright/test";
import { authFile, openTicketAs, USERS } from "./support";

// Two agents with one ticket open (issue 16): a save made on a stale view changes only what that
// agent changed, and a property both changed is refused with who changed it, the agent's choice
// kept for a second, deliberate save.

async function workspace(
  browser: Browser,
  who: "sam" | "admin",
  number: string,
) {
  const context = await browser.newContext({ storageState: authFile(who) });
  const page = await context.newPage();
  await page.goto(`/staff/tickets/${number}`);
  return page;
}

const properties = (page: Page) =>
  page.getByRole("form", { name: "Ticket properties" });

test("Kim's stale save shows the conflict and loses nothing of Sam's", async ({
  browser,
}) => {
  // A journey through several browsers and the mail loop: more than the default 30 s on CI.
  test.setTimeout(90_000);
  const { number } = await openTicketAs(
    browser,
    "alice",
    `Two agents ${Date.now()}`,
    "The control panel shows error 503.",
  );
  const sam = await workspace(browser, "sam", number);
  const ada = await workspace(browser, "admin", number);

  // Sam takes the ticket and lowers its priority; Ada's page still shows it unassigned and high.
  await properties(sam)
    .getByLabel("Assignee")
    .selectOption({ label: USERS.sam.name });
  await properties(sam).getByLabel("Priority").selectOption({ label: "Low" });
  await properties(sam).getByRole("button", { name: "Save changes" }).click();
  await expect(properties(sam).getByText("Saved.")).toBeVisible();

  // Ada changes only the department: saved, and Sam's choices stand.
  await expect(properties(ada).getByLabel("Assignee")).toHaveValue("");
  await properties(ada)
    .getByLabel("Department")
    .selectOption({ label: "Sales" });
  await properties(ada).getByRole("button", { name: "Save changes" }).click();
  await expect(properties(ada).getByText("Saved.")).toBeVisible();
  await sam.reload();
  await expect(properties(sam).getByLabel("Assignee")).toHaveValue(
    await properties(sam)
      .getByRole("option", { name: USERS.sam.name })
      .getAttribute("value")
      .then((v) => v!),
  );
  await expect(properties(sam).getByLabel("Priority")).toHaveValue("low");
  await expect(properties(sam).getByLabel("Department")).toHaveValue(
    await properties(sam)
      .getByRole("option", { name: "Sales" })
      .getAttribute("value")
      .then((v) => v!),
  );

  // Both now want a different priority. Ada chooses first, Sam saves first.
  await ada.reload();
  await properties(ada)
    .getByLabel("Priority")
    .selectOption({ label: "Emergency" });
  await properties(sam).getByLabel("Priority").selectOption({ label: "High" });
  await properties(sam).getByRole("button", { name: "Save changes" }).click();
  await expect(properties(sam).getByText("Saved.")).toBeVisible();

  await properties(ada).getByRole("button", { name: "Save changes" }).click();
  await expect(
    properties(ada).getByText(
      /Someone changed this ticket while you were editing it/,
    ),
  ).toBeVisible();
  await expect(
    properties(ada).getByText(
      new RegExp(`${USERS.sam.name} changed this to High at \\d\\d:\\d\\d UTC`),
    ),
  ).toBeVisible();
  // Ada's choice is still selected, and nothing was overwritten yet.
  await expect(properties(ada).getByLabel("Priority")).toHaveValue("emergency");
  await sam.reload();
  await expect(properties(sam).getByLabel("Priority")).toHaveValue("high");

  // One click applies Ada's choice knowingly.
  await properties(ada).getByRole("button", { name: "Save changes" }).click();
  await expect(properties(ada).getByText("Saved.")).toBeVisible();
  await expect(
    ada.getByText(/Ada Admin changed the priority from High to Emergency/),
  ).toBeVisible();
  await sam.reload();
  await expect(properties(sam).getByLabel("Priority")).toHaveValue("emergency");
  await expect(properties(sam).getByLabel("Department")).not.toHaveValue("1");
});
