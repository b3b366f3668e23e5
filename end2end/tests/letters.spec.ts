// The co-op letter (L, F1) in Chromium against the real server with the demo data: a student who
// may not request it sees L's reasons; an eligible student reads the collection notice,
// acknowledges it, requests the letter, sees it waiting, and withdraws it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { hydrated, PASSWORD, signIn } from "./support";

test("a student not registered in COOP 1101 is told why the letter cannot be requested (L2)", async ({ page }) => {
  await signIn(page, "chidi@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  const letter = page.getByRole("region", { name: "Your co-op letter" });
  await expect(letter.locator("li[data-reason]")).toHaveAttribute("data-reason", "coop1101_not_registered");
  await expect(letter.locator("li[data-reason]")).toContainText("(L2)");
  await expect(letter.getByRole("button", { name: "Request the letter" })).toHaveCount(0);
});

test("a student acknowledges the collection notice, requests the letter, and withdraws it", async ({ page }) => {
  await signIn(page, "lucia@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  const letter = page.getByRole("region", { name: "Your co-op letter" });
  const notice = letter.getByRole("region", { name: "Collection notice (F1)" });
  await expect(notice).toContainText("section 26(c)");
  await expect(notice).toContainText("Questions about this collection");

  // Without the acknowledgement the browser refuses to send the form.
  await letter.getByLabel("Your first work term starts on").fill("2027-05-03");
  await letter.getByLabel("I am also applying to extend my study permit").check();
  await letter.getByRole("button", { name: "Request the letter" }).click();
  await expect(letter.locator("li[data-request]")).toHaveCount(0);

  await letter.getByLabel("I have read the collection notice").check();
  await letter.getByRole("button", { name: "Request the letter" }).click();
  await expect(letter.getByText("Your request was sent to the co-op office.")).toBeVisible();
  const request = letter.locator("li[data-request]").first();
  await expect(request).toHaveAttribute("data-status", "pending");
  await expect(request).toContainText("first work term from 3 May 2027");
  await expect(letter.getByRole("button", { name: "Request the letter" })).toHaveCount(0);

  const axe = await new AxeBuilder({ page }).include("section.letter").analyze();
  expect(axe.violations).toEqual([]);

  // The request survives a reload (it is on the server), and can be withdrawn.
  await page.reload();
  await hydrated(page);
  await expect(request).toHaveAttribute("data-status", "pending");
  await request.getByRole("button", { name: "Withdraw this request" }).click();
  await expect(request).toHaveAttribute("data-status", "withdrawn");
  // A new request is possible again, and the notice stays acknowledged.
  await expect(letter.getByLabel("I have read the collection notice")).toBeChecked();
});
