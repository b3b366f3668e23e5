// Accounts in Chromium against the real server with the demo data (coop-permits demo): signing
// in through the single-page app lands on the role's own home page; signing out ends the
// session, and the back button does not bring a private page back; the cookie is out of reach
// of scripts; a wrong password is told in words.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hydrated, PASSWORD, signIn, vancouverDay } from "./support";


async function signOut(page: Page) {
  await page.getByRole("navigation", { name: "Account" }).getByRole("link").last().click();
  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Sign in");
}

test("a student signs in to their own status, stays signed in, signs out, and back shows nothing private", async ({ page }) => {
  await signIn(page, "ana@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { name: "Your co-op status" })).toBeVisible();
  // Ana's record makes her cleared under the study permit (demo data, checked by the rules).
  await expect(page.locator("[data-cleared]")).toHaveAttribute("data-cleared", "true");
  await expect(page.locator("dd[data-state]").first()).toHaveAttribute("data-state", "valid");
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Ana Silva");
  // The session cookie is HttpOnly: no script on the page can read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain("coop_session");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Your co-op status" })).toBeVisible();
  await hydrated(page);
  await expect(page.locator("[data-role]")).toHaveCount(0);
  await signOut(page);
  await page.goBack();
  await expect(page.getByText("Your co-op status")).toHaveCount(0);
  await expect(page.getByText("Ana Silva")).toHaveCount(0);
  await page.goto("/home");
  await expect(page.getByText("You are not signed in.")).toBeVisible();
});

test("a student who is not cleared sees each reason with its rule", async ({ page }) => {
  await signIn(page, "hana@students.coop.example", PASSWORD);
  await expect(page.locator("[data-cleared]")).toHaveAttribute("data-cleared", "false");
  await expect(page.locator("li[data-reason]").first()).toContainText("(W2e;");
});

test("staff sign in to the office's overview and search the student list", async ({ page }) => {
  await signIn(page, "staff1@coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { name: "Co-op office" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("navigation", { name: "Co-op office" }).getByRole("link", { name: "Students" }).click();
  await expect(page).toHaveURL(/view=students/);
  await expect(page.locator("tr[data-student]")).toHaveCount(14);
  await page.getByLabel("Name, student number or e-mail").fill("farah");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/q=farah/);
  await expect(page.locator("tr[data-student]")).toHaveCount(1);
  await expect(page.locator("tr[data-student]")).toContainText("Farah Haddad");
  await page.goto("/account");
  await expect(page.locator("[data-role]")).toHaveAttribute("data-role", "staff");
  await expect(page.locator("[data-role]")).toHaveText("co-op staff");
  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goBack();
  await expect(page.locator("tr[data-student]")).toHaveCount(0);
});

test("a wrong password is told in words, and the page stays usable", async ({ page }) => {
  await signIn(page, "staff2@coop.example", "not the password");
  await expect(page.getByRole("alert")).toHaveText("The e-mail address or password is not right.");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/home$/);
});

test("the sign-in page and the homes have no accessibility violations", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await signIn(page, "bao@students.coop.example", PASSWORD);
  await expect(page.getByRole("heading", { name: "Your co-op status" })).toBeVisible();
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

/** Vancouver's date `days` from today, as YYYY-MM-DD (the demo dates its records so). */
test("a student reports an application submitted at 16:30 Vancouver time on the expiry date: timely", async ({ page }) => {
  // Dana's study permit expired 10 days ago (demo data).
  await signIn(page, "dana@students.coop.example", PASSWORD);
  await expect(page.getByRole("heading", { name: "Your co-op status" })).toBeVisible();
  await hydrated(page);
  const form = page.getByRole("region", { name: "Tell us about an application to IRCC" });
  await form.getByLabel("Application for").selectOption("study_permit");
  await form.getByLabel("Submitted on (your local date and time)").fill(`${vancouverDay(-10)}T16:30`);
  await form.getByLabel("Application number").fill("W12");
  await form.getByRole("button", { name: "Report the application" }).click();
  await expect(form.getByRole("alert")).toContainText("S9");
  await form.getByLabel("Application number").fill("W123456789");
  await form.getByRole("button", { name: "Report the application" }).click();
  const outcome = form.locator(".report-outcome");
  await expect(outcome).toHaveAttribute("data-timely", "true");
  await expect(outcome).toContainText("maintained status, M1");
  await expect(outcome).toContainText("23:30 UTC");
  await expect(page.locator("dd[data-state]").first()).toHaveAttribute("data-state", "maintained");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

test("a student keeps their zone and work terms; program facts are read-only", async ({ page }) => {
  await signIn(page, "gabriel@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "My record" }).click();
  await expect(page.getByRole("heading", { name: "My record" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText("Your program (kept by the co-op office)")).toBeVisible();
  // Facts are shown, not editable.
  await expect(page.locator("section[aria-labelledby=facts-title] input")).toHaveCount(0);
  const zoneForm = page.getByRole("form", { name: "Change your time zone" });
  await zoneForm.getByLabel("Time zone").fill("Mars/Base");
  await zoneForm.getByRole("button", { name: "Save the time zone" }).click();
  await expect(page.getByRole("alert").first()).toContainText("is not a time zone");
  await zoneForm.getByLabel("Time zone").fill("asia/tokyo");
  await zoneForm.getByRole("button", { name: "Save the time zone" }).click();
  await expect(page.locator("[data-zone]")).toHaveAttribute("data-zone", "Asia/Tokyo");
  const termForm = page.getByRole("form", { name: "Add a work term" });
  await termForm.getByLabel("Work term starts").fill("2027-05-04");
  await termForm.getByLabel("Work term ends").fill("2027-05-01");
  await termForm.getByRole("button", { name: "Add the work term" }).click();
  await expect(page.getByRole("alert").first()).toContainText("ends (2027-05-01) before it starts (2027-05-04)");
  await termForm.getByLabel("Work term ends").fill("2027-08-27");
  await termForm.getByLabel("Employer (optional)").fill("Acme Ltd.");
  await termForm.getByRole("button", { name: "Add the work term" }).click();
  await expect(page.locator("li[data-term]")).toHaveCount(1);
  await expect(page.locator("li[data-term]")).toContainText("2027-05-04 to 2027-08-27, Acme Ltd.");
  await page.reload();
  await hydrated(page);
  await expect(page.locator("li[data-term]")).toHaveCount(1);
  await page.getByRole("button", { name: "Remove the work term 2027-05-04 to 2027-08-27" }).click();
  await expect(page.locator("li[data-term]")).toHaveCount(0);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

/** The zip's entry names, from its central directory (names are stored uncompressed). */
function zipNames(zip: Buffer): string[] {
  const names: string[] = [];
  for (let at = zip.indexOf("PK\x01\x02"); at >= 0; at = zip.indexOf("PK\x01\x02", at + 4)) {
    const length = zip.readUInt16LE(at + 28);
    names.push(zip.subarray(at + 46, at + 46 + length).toString("utf8"));
  }
  return names;
}

test("a student downloads everything the office holds, and staff export a student's file", async ({ page }) => {
  await signIn(page, "ana@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await page.goto("/account");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Your data" })).toBeVisible();
  const [mine] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download my data (zip)" }).click(),
  ]);
  expect(mine.suggestedFilename()).toMatch(/^coop-permits-100000001-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await (await import("node:fs/promises")).readFile(await mine.path());
  expect(zip.subarray(0, 2).toString()).toBe("PK");
  expect(zipNames(zip)).toContain("data.json");
  await signOut(page);

  await signIn(page, "staff1@coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await page.goto("/home?view=students&q=100000001");
  await hydrated(page);
  await page.locator("tr[data-student] a").first().click();
  await expect(page.locator("[data-student-page]")).toBeVisible();
  const [theirs] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export everything held (zip, FIPPA s. 5)" }).click(),
  ]);
  const full = await (await import("node:fs/promises")).readFile(await theirs.path());
  expect(zipNames(full)).toContain("data.json");
  expect(theirs.suggestedFilename()).toBe(mine.suggestedFilename());
});
