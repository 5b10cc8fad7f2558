import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { authFile } from "./support";

// Every staff page (issue 16): WCAG 2.1 AA as axe-core checks it, and a 390 px phone.

test.use({ storageState: authFile("admin") });

/** Every page of the staff desk, with a real ticket and customer from the demo data. */
async function staffPages(page: Page): Promise<string[]> {
  await page.goto("/staff?view=all");
  const ticket = await page
    .locator("a[href^='/staff/tickets/']")
    .filter({ hasNotText: "New ticket" })
    .first()
    .getAttribute("href");
  await page.goto("/staff/customers");
  const customer = await page
    .locator("a[href^='/staff/customers/']")
    .first()
    .getAttribute("href");
  return [
    "/staff",
    "/staff?view=all&q=invoice",
    ticket!,
    "/staff/tickets/new",
    "/staff/dashboard",
    "/staff/customers",
    customer!,
    "/staff/orders",
    "/staff/mail",
    "/staff/outbox",
    "/staff/account",
    "/staff/settings",
    "/staff/settings/departments",
    "/staff/settings/help-topics",
    "/staff/settings/sla-plans",
    "/staff/settings/canned-replies",
    "/staff/settings/agents",
    "/staff/settings/api-keys",
    "/staff/settings/ban-list",
    "/staff/settings/products",
    "/staff/settings/mailcow",
    "/staff/settings/shopify",
    "/staff/settings/security",
    "/staff/account/security",
  ];
}

// The queue and the workspace poll, so the network never idles: wait for the page's heading.
const shown = (page: Page) =>
  page.getByRole("heading", { level: 1 }).first().waitFor();

test("staff pages have no serious or critical accessibility violations", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  for (const url of await staffPages(page)) {
    await page.goto(url);
    await shown(page);
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    for (const v of violations)
      if (v.impact === "serious" || v.impact === "critical")
        problems.push(
          `${url}: ${v.id} (${v.impact}) on ${v.nodes
            .slice(0, 5)
            .map((n) => n.target.join(" "))
            .join(
              " | ",
            )}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ""}`,
        );
  }
  expect(problems, problems.join("\n")).toEqual([]);
});

test("the ticket workspace's sidebar keeps every word whole", async ({
  page,
}) => {
  // A customer with services, whose sidebar holds the most: orders, services, tags, CC.
  await page.goto("/staff/customers?q=carol");
  await page.getByRole("link", { name: "Carol Nguyen" }).click();
  await page.getByRole("link", { name: /VPS backup restore worked/ }).click();
  await shown(page);
  const services = page
    .getByRole("heading", { name: "Services", exact: true })
    .locator("xpath=following-sibling::*[1]");
  await expect(services.getByText("Managed VPS")).toBeVisible();
  const checked = [
    services,
    page.getByRole("button", { name: "Add tag" }),
    page.getByRole("button", { name: "Add", exact: true }),
  ];
  for (const element of checked)
    expect(await brokenWords(element), await element.innerText()).toEqual([]);
});

/** The words inside `element` that the browser laid out over more than one line. */
function brokenWords(element: ReturnType<Page["locator"]>) {
  return element.evaluate((root) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      for (const word of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set(
          [...range.getClientRects()].map((r) => Math.round(r.top)),
        );
        if (lines.size > 1) broken.push(word[0]);
      }
    }
    return broken;
  });
}

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("no staff page is wider than the screen", async ({ page }) => {
    test.setTimeout(120_000);
    for (const url of await staffPages(page)) {
      await page.goto(url);
      await shown(page);
      const width = await page.evaluate(
        () => document.documentElement.scrollWidth,
      );
      expect(width, url).toBeLessThanOrEqual(390);
    }
  });
});
