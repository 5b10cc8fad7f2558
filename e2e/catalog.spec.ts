import { expect, test, type Page } from "@playwright/test";
import { authFile, expectNotFoundPage } from "./support";

// The public catalogue and the staff side that feeds it: a price change shows in the shop at once,
// search and categories find what they should, and no product name can widen the page.

test("an admin's price change shows in the shop at once, and archiving takes the product out", async ({
  browser,
  page,
}) => {
  const slug = `e2e-backup-${Date.now()}`;
  const name = `E2E Backup ${Date.now()}`;
  const admin = await (
    await browser.newContext({ storageState: authFile("admin") })
  ).newPage();

  await admin.goto("/staff/settings");
  await admin
    .getByRole("navigation", { name: "Settings" })
    .getByRole("link", { name: "Products" })
    .click();
  await expect(admin.getByRole("heading", { name: "Products" })).toBeVisible();
  await admin.getByRole("link", { name: "New product" }).click();
  await admin.getByLabel("Name", { exact: true }).fill(name);
  await admin.getByLabel("Address name", { exact: true }).fill(slug);
  await admin
    .getByLabel("Summary", { exact: true })
    .fill("Nightly copies of everything.");
  await admin
    .getByLabel("Description", { exact: true })
    .fill("First paragraph.\n\nSecond paragraph.");
  await admin
    .getByLabel("Kind", { exact: true })
    .selectOption({ label: "Service" });
  await admin.getByRole("button", { name: "Create product" }).click();
  await expect(admin.getByText("Product created.")).toBeVisible();

  // A monthly price (the form's default billing).
  await admin.getByLabel(/^Amount/).fill("9.90");
  await admin.getByRole("button", { name: "Add price" }).click();
  await expect(
    admin.locator("p", { hasText: /^€9\.90 \/ month$/ }),
  ).toBeVisible();

  // A visitor sees it (and the catalogue now holds this copy)…
  await page.goto(`/products/${slug}`);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(
    page.getByText("€9.90 / month", { exact: true }).first(),
  ).toBeVisible();

  // …the admin changes it…
  await admin.getByLabel("New amount for €9.90 / month").fill("12.50");
  await admin
    .getByRole("button", { name: "Change price €9.90 / month" })
    .click();
  // The price list's own lines (its buttons repeat each price for screen readers).
  await expect(
    admin.locator("p", { hasText: /^€12\.50 \/ month$/ }),
  ).toBeVisible();
  await expect(
    admin.locator("p", { hasText: /^€9\.90 \/ month$/ }),
  ).toHaveCount(0);

  // …and the very next visit shows the new price, never the old one.
  await page.goto(`/products/${slug}`);
  await expect(
    page.getByText("€12.50 / month", { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByText("€9.90")).toHaveCount(0);
  await page.goto(`/products?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole("link", { name })).toBeVisible();
  await expect(page.getByText("€12.50 / month", { exact: true })).toBeVisible();

  // Archiving (after the confirmation) takes it out of the shop straight away.
  admin.once("dialog", (dialog) => void dialog.accept());
  await admin.getByRole("button", { name: "Archive product" }).click();
  await expect(
    admin.getByRole("button", { name: "Restore product" }),
  ).toBeVisible();
  const gone = await page.goto(`/products/${slug}`);
  expect(gone?.status()).toBe(404);
  await expectNotFoundPage(page);
  await admin.context().close();
});

test("search and categories find the right products", async ({ page }) => {
  await page.goto("/products");
  const search = page.getByRole("search");
  await search.getByLabel("Search").fill("migration");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]q=migration/);
  await expect(
    page.getByRole("link", { name: "Website Migration" }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: "Starter Web Hosting" }),
  ).toHaveCount(0);

  // Several words, in any case, each anywhere in the product.
  await page.goto("/products?q=NIGHTLY+backups");
  await expect(
    page.getByRole("link", { name: "Daily Offsite Backup" }),
  ).toBeVisible();

  // Right-to-left names are found like any other.
  await page.goto(`/products?q=${encodeURIComponent("البريد")}`);
  await expect(
    page.getByRole("link", { name: "استضافة البريد الإلكتروني" }),
  ).toBeVisible();

  await page.goto("/products");
  const categories = page.getByRole("navigation", { name: "Categories" });
  await categories.getByRole("link", { name: /^Domains/ }).click();
  await expect(page).toHaveURL(/[?&]category=Domains/);
  await expect(
    page.getByRole("link", { name: "Domain Registration (.com)" }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: "Website Migration" }),
  ).toHaveCount(0);
  // The paused .eu registrations are listed, but say so.
  const eu = page.getByRole("listitem").filter({
    has: page.getByRole("link", { name: "Domain Registration (.eu)" }),
  });
  await expect(eu.getByText("Currently unavailable")).toBeVisible();

  await categories.getByRole("link", { name: /^Hosting/ }).click();
  await expect(
    page.getByRole("link", { name: "Starter Web Hosting" }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: "Domain Registration (.com)" }),
  ).toHaveCount(0);

  // Nonsense parameters are answered with an empty result, not an error.
  const odd = await page.goto(
    `/products?q=%00${"x".repeat(5000)}&category=%00nope&page=-3`,
  );
  expect(odd?.status()).toBe(200);
  await expect(page.getByText("Nothing matches")).toBeVisible();
});

test("a 62-letter product name never widens the page on a phone", async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const longName =
    "Rechtsschutzversicherungsgesellschaftenwebsitesicherheitspaket";
  const fits = (p: Page) =>
    p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  await page.goto("/products");
  await expect(page.getByRole("link", { name: longName })).toBeVisible();
  expect(await fits(page)).toBe(true);

  await page.goto("/products?category=Security");
  await expect(page.getByRole("link", { name: longName })).toBeVisible();
  expect(await fits(page)).toBe(true);

  await page.goto("/products/legal-website-security");
  await expect(page.getByRole("heading", { name: longName })).toBeVisible();
  expect(await fits(page)).toBe(true);

  await page.goto("/products/arabic-email-hosting");
  await expect(
    page.getByRole("heading", { name: "استضافة البريد الإلكتروني" }),
  ).toHaveAttribute("dir", "auto");
  expect(await fits(page)).toBe(true);
});
