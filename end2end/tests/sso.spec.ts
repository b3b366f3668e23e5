// Single sign-on in Chromium, against the real server and a real OpenID provider (the npm
// package oidc-provider with its development login form, started by playwright.config.ts): a
// registered staff member and a student sign in with the institution's account and /api/v1/me
// names them; signing out ends the provider's session too; a person the office has not
// registered is told to contact the co-op office, and gets no session.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hydrated } from "./support";

const PROVIDER = `http://127.0.0.1:${process.env.E2E_OIDC_PORT ?? 3110}`;

/** From the sign-in page, through the provider's login form as `login`, back to the app. */
async function signOn(page: Page, login: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByRole("link", { name: "Sign in with Example Polytechnic account" }).click();
  await expect(page).toHaveURL(new RegExp(`^${PROVIDER}/interaction/`));
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password: the provider's test form");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

async function me(page: Page) {
  const answer = await page.request.get("/api/v1/me");
  return { status: answer.status(), body: answer.ok() ? await answer.json() : null };
}

test("staff sign in with the institution's account; signing out ends the provider's session too", async ({ page }) => {
  await signOn(page, "staff1@coop.example");
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { name: "Co-op office" })).toBeVisible();
  const who = await me(page);
  expect(who.status).toBe(200);
  expect(who.body.user.email).toBe("staff1@coop.example");
  expect(who.body.user.role).toBe("staff");

  await page.goto("/account");
  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  // The provider asks to confirm ending its own session, then sends the browser back.
  await expect(page).toHaveURL(new RegExp(`^${PROVIDER}/`));
  await page.getByRole("button", { name: /Yes, sign me out/ }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  expect((await me(page)).status).toBe(401);
  // Signing on again asks for the login again: the provider's session ended as well.
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByRole("link", { name: "Sign in with Example Polytechnic account" }).click();
  await expect(page.locator("input[name=login]")).toBeVisible();
});

test("a student signs in with the institution's account to their own status", async ({ page }) => {
  await signOn(page, "ana@students.coop.example");
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { name: "Your co-op status" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Ana Silva");
  const who = await me(page);
  expect(who.body.user.role).toBe("student");
  expect(who.body.student.name).toBe("Ana Silva");
});

test("someone the office has not registered is told to contact it, and gets no session", async ({ page }) => {
  await signOn(page, "stranger@elsewhere.example");
  await expect(page).toHaveURL(/\/sign-in\?sso=unregistered$/);
  await expect(page.getByRole("alert").first()).toContainText("Contact the co-op office to be added.");
  expect((await me(page)).status).toBe(401);
  await hydrated(page);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});
