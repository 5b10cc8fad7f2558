import { expect, test } from "@playwright/test";
import { authFile } from "./support";

// The customer's new-ticket form keeps every field after an error, selects included (issue 16):
// React resets a form after its action, which used to drop the help topic and the related order.

test.use({ storageState: authFile("alice") });

test("a refused attachment and a missing message lose neither the topic nor the order", async ({
  page,
}) => {
  await page.goto("/tickets/new");
  const topic = page.getByLabel("What do you need help with?");
  const order = page.getByLabel("Related order (optional)");
  await topic.selectOption({ label: "Billing and Orders" });
  const orderValue = await order.locator("option").nth(1).getAttribute("value");
  await order.selectOption(orderValue!);
  await page.getByLabel("Subject").fill("Invoice question");

  // First error: no message.
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(
    page.getByText("Please correct the highlighted fields."),
  ).toBeVisible();
  await expect(topic).toHaveValue(/\d+/);
  await expect(topic.locator("option:checked")).toHaveText(
    "Billing and Orders",
  );
  await expect(order).toHaveValue(orderValue!);
  await expect(page.getByLabel("Subject")).toHaveValue("Invoice question");

  // Second error: a file type the desk refuses.
  await page.getByLabel("Message").fill("Why was I charged twice?");
  await page.getByLabel("Attachments (optional)").setInputFiles({
    name: "setup.exe",
    mimeType: "application/x-msdownload",
    buffer: Buffer.from("MZ"),
  });
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(page.locator("#attachments-error")).toBeVisible();
  await expect(topic.locator("option:checked")).toHaveText(
    "Billing and Orders",
  );
  await expect(order).toHaveValue(orderValue!);
  await expect(page.getByLabel("Message")).toHaveValue(
    "Why was I charged twice?",
  );

  // Without the file, the ticket is filed with its order.
  await page.getByLabel("Attachments (optional)").setInputFiles([]);
  await page.getByRole("button", { name: "Open ticket" }).click();
  await expect(
    page.getByRole("heading", { name: "Invoice question" }),
  ).toBeVisible();
  // The ticket is linked to the chosen order.
  await expect(
    page.locator(`a[href="/orders/${orderValue}"]`).first(),
  ).toBeVisible();
});
