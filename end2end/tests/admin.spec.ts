// The admin's pages in Chromium, against the real server with the demo data: users (search, add
// with an invitation, change a role, disable and enable, invite again) and API tokens (created
// and shown once, revoked); the invited person sets their password from the link and signs in;
// "Forgot your password?" answers the same for every address; every page has its own title.
// The server here has no mail server, so the admin is handed the invitation's link.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hydrated, PASSWORD, signIn } from "./support";

/** The title in the page the server sends, before any script runs. */
async function servedTitle(page: Page, path: string): Promise<string> {
  const html = await (await page.request.get(path)).text();
  return (html.match(/<title>([^<]*)/) ?? ["", ""])[1];
}

async function openOfficeView(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Co-op office" }).getByRole("link", { name }).click();
  await hydrated(page);
}

test("the admin invites a user, who sets a password from the link; roles, disabling and invitations", async ({ page, browser }) => {
  await signIn(page, "admin@coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  await openOfficeView(page, "Users");
  await expect(page).toHaveURL(/view=users/);
  await expect(page).toHaveTitle("Users · Co-op office · coop-permits");
  await expect(page.locator("tr[data-user]").first()).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  // A bad address is told beside its field; nothing is added.
  const add = page.getByRole("region", { name: "Add a user" });
  await add.getByLabel("E-mail address").fill("not-an-address@x");
  await add.getByLabel("Name").fill("Quinn Advisor");
  await add.getByLabel("Role").selectOption("staff");
  await add.getByRole("button", { name: "Add and invite" }).click();
  await expect(add.locator("#invite-email-error")).not.toBeEmpty();

  await add.getByLabel("E-mail address").fill("quinn@coop.example");
  await add.getByRole("button", { name: "Add and invite" }).click();
  const handed = add.locator(".invitation-link code");
  await expect(handed).toContainText("/set-password?token=");
  const link = (await handed.textContent()) ?? "";

  await page.getByLabel("E-mail or name").fill("quinn");
  await page.getByRole("button", { name: "Show" }).click();
  const row = page.locator("tr[data-user]", { hasText: "quinn@coop.example" });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td[data-invitation]")).toContainText("not accepted yet");

  // The invited person, in a browser of their own.
  const theirs = await browser.newContext();
  const invited = await theirs.newPage();
  await invited.goto(new URL(link).pathname + new URL(link).search);
  await hydrated(invited);
  await expect(invited).toHaveTitle("Set your password · coop-permits");
  expect((await new AxeBuilder({ page: invited }).analyze()).violations).toEqual([]);
  await invited.getByLabel("New password").fill("quinn@coop.example");
  await invited.getByRole("button", { name: "Set the password" }).click();
  await expect(invited.locator("#set-password-error")).not.toBeEmpty();
  await invited.getByLabel("New password").fill("harbour cedar lantern violet");
  await invited.getByRole("button", { name: "Set the password" }).click();
  await expect(invited.getByRole("status")).toContainText("Your password is set");
  // The link works once.
  await invited.reload();
  await hydrated(invited);
  await invited.getByLabel("New password").fill("another long passphrase here");
  await invited.getByRole("button", { name: "Set the password" }).click();
  await expect(invited.locator("#set-password-token-error")).toContainText("does not work any more");
  await signIn(invited, "quinn@coop.example", "harbour cedar lantern violet");
  await expect(invited).toHaveURL(/\/home$/);
  await expect(invited.getByRole("heading", { name: "Co-op office" })).toBeVisible();

  // The admin sees it accepted, makes Quinn an admin (their sessions end), disables and enables.
  await page.reload();
  await hydrated(page);
  await expect(row.locator("td[data-invitation]")).toHaveText("accepted");
  await row.getByRole("button", { name: "Make admin: quinn@coop.example" }).click();
  await expect(row).toHaveAttribute("data-role", "admin");
  await invited.reload();
  await expect(invited.getByRole("heading", { name: "Co-op office" })).toHaveCount(0);
  await row.getByRole("button", { name: "Disable: quinn@coop.example" }).click();
  await expect(row).toHaveAttribute("data-disabled", "true");
  await row.getByRole("button", { name: "Enable: quinn@coop.example" }).click();
  await expect(row).toHaveAttribute("data-disabled", "false");
  await theirs.close();

  // An invitation not yet accepted can be sent again.
  await add.getByLabel("E-mail address").fill("rowan@students.coop.example");
  await add.getByLabel("Name").fill("Rowan Tran");
  await add.getByLabel("Role").selectOption("student");
  await add.getByLabel("Student number (students only)").fill("300000999");
  await add.getByRole("button", { name: "Add and invite" }).click();
  await expect(add.locator(".invitation-link code")).toContainText("/set-password?token=");
  await page.getByLabel("E-mail or name").fill("rowan");
  await page.getByRole("button", { name: "Show" }).click();
  const rowan = page.locator("tr[data-user]", { hasText: "rowan@students.coop.example" });
  await rowan.getByRole("button", { name: "Send the invitation again: rowan@students.coop.example" }).click();
  await expect(page.locator(".invitation-link code").first()).toContainText("/set-password?token=");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

test("the admin creates an API token, shown once, that works until revoked", async ({ page }) => {
  await signIn(page, "admin@coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  await openOfficeView(page, "API tokens");
  await expect(page).toHaveTitle("API tokens · Co-op office · coop-permits");
  const form = page.getByRole("region", { name: "Create a token" });
  await form.getByLabel("Staff member it acts as (e-mail)").fill("staff2@coop.example");
  await form.getByLabel("Name (what it is for)").fill("career portal");
  await form.getByRole("button", { name: "Create the token" }).click();
  const secret = (await form.locator(".token-secret code").textContent()) ?? "";
  expect(secret.length).toBeGreaterThan(20);
  const row = page.locator("tr[data-token]", { hasText: "career portal" });
  await expect(row).toHaveAttribute("data-state", "active");
  await expect(row).toContainText("staff2@coop.example");
  const asToken = { headers: { Authorization: `Bearer ${secret}` } };
  const context = page.context();
  const withToken = await context.request.get("/api/v1/students", asToken);
  expect(withToken.status()).toBe(200);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await row.getByRole("button", { name: "Revoke the token career portal" }).click();
  await expect(row).toHaveAttribute("data-state", "revoked");
  const revoked = await context.request.get("/api/v1/students", { headers: asToken.headers });
  expect(revoked.status()).toBe(401);
  // A staff member who is not an admin has neither page.
  await page.goto("/account");
  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await signIn(page, "staff1@coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("navigation", { name: "Co-op office" }).getByRole("link", { name: "Users" })).toHaveCount(0);
});

test("forgot your password: the same answer for every address, and the page is accessible", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page).toHaveTitle("Forgot your password? · coop-permits");
  await hydrated(page);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  for (const address of ["ana@students.coop.example", "nobody@nowhere.example"]) {
    await page.getByLabel("E-mail address").fill(address);
    await page.getByRole("button", { name: "Send the link" }).click();
    await expect(page.locator(".reset-sent")).toHaveText(
      "If this address has an account, the e-mail is on its way. Check your inbox (and junk folder).",
    );
  }
});

test("every page has its own title, in the page the server sends and after moving in the app", async ({ page }) => {
  const titles: [string, string][] = [
    ["/", "Co-op work authorization self-check · coop-permits"],
    ["/sign-in", "Sign in · coop-permits"],
    ["/forgot-password", "Forgot your password? · coop-permits"],
  ];
  for (const [path, title] of titles) {
    expect(await servedTitle(page, path)).toBe(title);
    await page.goto(path);
    await hydrated(page);
    await expect(page).toHaveTitle(title);
  }
  await signIn(page, "staff1@coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page).toHaveTitle("Overview · Co-op office · coop-permits");
  await hydrated(page);
  await openOfficeView(page, "Students");
  await expect(page).toHaveTitle("Students · Co-op office · coop-permits");
  await openOfficeView(page, "History");
  await expect(page).toHaveTitle("History · Co-op office · coop-permits");
  expect(await servedTitle(page, "/home?view=letters")).toBe("Letter requests · Co-op office · coop-permits");
  await page.goto("/account");
  await expect(page).toHaveTitle("Your account · coop-permits");
});
