// Accounts in Chromium against the real server with the demo data (coop-permits demo): signing
// in and out through the single-page app, the error for a wrong password, and the cookie kept
// out of reach of scripts.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { hydrated } from "./support";

const PASSWORD = "demo maple ferry 2026";

async function signIn(page: import("@playwright/test").Page, email: string, password: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a student signs in, stays signed in across a reload, and signs out", async ({ page }) => {
  await signIn(page, "ana@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.locator("[data-role]")).toHaveAttribute("data-role", "student");
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Ana Silva");
  // The session cookie is HttpOnly: no script on the page can read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain("coop_session");
  await page.reload();
  await expect(page.locator("[data-role]")).toHaveAttribute("data-role", "student");
  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Sign in");
  await page.goto("/account");
  await expect(page.getByText("You are not signed in.")).toBeVisible();
});

test("staff see their role", async ({ page }) => {
  await signIn(page, "staff1@coop.example", PASSWORD);
  await expect(page.locator("[data-role]")).toHaveAttribute("data-role", "staff");
  await expect(page.locator("[data-role]")).toHaveText("co-op staff");
});

test("a wrong password is told in words, and the page stays usable", async ({ page }) => {
  await signIn(page, "staff2@coop.example", "not the password");
  await expect(page.getByRole("alert")).toHaveText("The e-mail address or password is not right.");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test("the sign-in page has no accessibility violations", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});
