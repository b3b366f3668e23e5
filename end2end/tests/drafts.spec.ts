// Drafts end with the session (issue 16): on a shared computer, signing out leaves nothing of a
// student's unsent submission — permit number, UCI, the scan itself — readable from the
// browser's storage, and asks first whether to discard what is unsent.
import { expect, test, type Page } from "@playwright/test";
import { hydrated, PASSWORD, pdf, signIn } from "./support";

/** Everything the page's origin keeps: local storage, and every Cache Storage entry's URL. */
async function stored(page: Page): Promise<{ local: string; cached: string[] }> {
  return page.evaluate(async () => {
    const local = JSON.stringify(Object.fromEntries(Object.entries(localStorage)));
    const cached: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) cached.push(`${name} ${request.url}`);
    }
    return { local, cached };
  });
}

test("signing out with an unsent document asks, then leaves nothing of it on the device", async ({ page, context }) => {
  await signIn(page, "jia@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  const section = page.getByRole("region", { name: "Your documents" });
  await context.setOffline(true);
  await section.getByLabel("Document", { exact: true }).selectOption("study_permit");
  await section.getByLabel("Document number").fill("F246813579");
  await section.getByLabel("UCI (client ID)").fill("9876-5432");
  await section.getByLabel("Issued on").fill("2026-09-01");
  await section.getByLabel("Expires on").fill("2028-08-31");
  await section.getByLabel("The document (PDF, PNG or JPEG)").setInputFiles({
    name: "study-permit.pdf",
    mimeType: "application/pdf",
    buffer: pdf(`Jia's study permit ${Date.now()}`),
  });
  await section.getByRole("button", { name: "Submit the document" }).click();
  await expect(section.getByText("Saved on this device: not sent yet.")).toBeVisible();
  let before = await stored(page);
  expect(before.local).toContain("F246813579");
  expect(before.cached.some((entry) => entry.startsWith("coop-drafts "))).toBe(true);

  // Back online, but the upload still does not get through: the draft stays unsent.
  await page.route("**/api/v1/me/documents", (route) =>
    route.request().method() === "POST" ? route.abort() : route.continue(),
  );
  await context.setOffline(false);
  await page.goto("/account");
  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("1 submission is not sent yet.");
  await dialog.getByRole("button", { name: "Stay signed in" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  before = await stored(page);
  expect(before.local).toContain("F246813579");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Discard them and sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  const after = await stored(page);
  expect(after.local).not.toContain("F246813579");
  expect(after.local).not.toContain("9876-5432");
  expect(after.local).not.toContain("coop-permits.drafts");
  expect(after.cached.filter((entry) => entry.startsWith("coop-drafts "))).toEqual([]);
});
