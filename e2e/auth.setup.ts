import { expect, test as setup } from "@playwright/test";
import {
  accountMenu,
  authFile,
  DEMO_PASSWORD,
  SIGNED_IN,
  signIn,
  USERS,
} from "./support";

// Signs each demo user in once through the real form and keeps the session cookie, so specs start
// signed in (test.use({ storageState: authFile("alice") })) without repeating the form.

for (const who of SIGNED_IN) {
  setup(`sign in as ${who}`, async ({ page }) => {
    const { email, name } = USERS[who];
    await page.goto("/sign-in");
    await signIn(page, email, DEMO_PASSWORD);
    // Customers land on their tickets, staff on the desk; both show the person's name.
    if (who === "sam" || who === "admin") {
      await expect(page).toHaveURL("/staff");
      await expect(
        page.getByRole("complementary").getByText(name),
      ).toBeVisible();
    } else {
      await expect(page).toHaveURL("/tickets");
      await expect(accountMenu(page, name)).toBeVisible();
    }
    await page.context().storageState({ path: authFile(who) });
  });
}
