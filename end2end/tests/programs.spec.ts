// The programs catalogue decides W2f, and letters can be verified (issue 19), in Chromium
// against the real server (demo data). Staff see which programs qualify; Nadia's program is
// two-thirds work, so she is not cleared and her letter cannot be approved; staff move her to
// an eligible program on her file, she is cleared and the letter is issued. A second browser —
// an employer's, signed in as no one — opens the address printed on the letter: valid; after
// staff revoke the letter: revoked. The self-check offers the catalogue and decides W2f too.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hydrated, PASSWORD, pdfText, signIn, vancouverDay } from "./support";

async function noViolations(page: Page) {
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
}

test("staff keep the programs; W2f decides; an employer verifies the letter until it is revoked", async ({ browser }) => {
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, "staff1@coop.example", PASSWORD);
  await hydrated(staff);
  await staff.getByRole("navigation", { name: "Co-op office" }).getByRole("link", { name: "Programs" }).click();
  await expect(staff).toHaveURL(/view=programs/);
  await expect(staff).toHaveTitle("Programs · Co-op office · coop-permits");
  await expect(staff.locator("tr[data-program=BBA]")).toHaveAttribute("data-eligible", "true");
  const hosp = staff.locator("tr[data-program=HOSP-CERT]");
  await expect(hosp).toHaveAttribute("data-eligible", "false");
  await expect(hosp).toContainText("work is more than half of it (8 of 12 months)");
  await noViolations(staff);

  // A new program from the form; a bad one is refused beside its field.
  const form = staff.getByRole("region", { name: "Add a program" });
  await form.getByLabel("Code").fill("nurs");
  await form.getByLabel("Name").fill("Diploma in Practical Nursing (Co-op)");
  await form.getByLabel("Length (months)").fill("20");
  await form.getByLabel("Work placement (months)").fill("22");
  await form.getByRole("button", { name: "Save program" }).click();
  await expect(form.locator("#program-work-months-error")).toContainText("months");
  await form.getByLabel("Work placement (months)").fill("6");
  await form.getByRole("button", { name: "Save program" }).click();
  await expect(form.locator(".review-outcome")).toContainText("(NURS) is saved");
  await expect(staff.locator("tr[data-program=NURS]")).toHaveAttribute("data-eligible", "true");

  // Nadia asks for the letter.
  const student = await (await browser.newContext()).newPage();
  await signIn(student, "nadia@students.coop.example", PASSWORD);
  await hydrated(student);
  await expect(student.locator("section.verdict")).toHaveAttribute("data-cleared", "false");
  await expect(student.locator("section.verdict")).toContainText("W2f");
  const letter = student.getByRole("region", { name: "Your co-op letter" });
  await letter.getByLabel("Your first work term starts on").fill(vancouverDay(30));
  await letter.getByLabel("I have read the collection notice").check();
  await letter.getByRole("button", { name: "Request the letter" }).click();
  await expect(letter.locator("li[data-request]").first()).toHaveAttribute("data-status", "pending");

  // In a program that fails W2f, the letter is refused, saying why.
  await staff.goto("/home?view=letters");
  await hydrated(staff);
  const request = staff.locator("li[data-letter-request]", { hasText: "Nadia Karimi" });
  await request.getByRole("button", { name: "Approve and issue the letter" }).click();
  await expect(staff.getByRole("alert")).toContainText("W2f");
  await expect(request).toHaveCount(1);

  // Staff put her in an eligible program on her file: cleared at once.
  await request.getByRole("link", { name: "Nadia Karimi" }).click();
  await hydrated(staff);
  await expect(staff.locator("section.verdict")).toHaveAttribute("data-cleared", "false");
  await expect(staff.locator("[data-program-facts=HOSP-CERT]")).toContainText("does not meet W2f");
  await staff.getByLabel("Program in the catalogue (W2f)").selectOption("BBA");
  await staff.getByRole("button", { name: "Save", exact: true }).click();
  await expect(staff.locator("section.verdict")).toHaveAttribute("data-cleared", "true");
  await expect(staff.locator("[data-program-facts=BBA]")).toContainText("it meets W2f");
  await noViolations(staff);

  await staff.goto("/home?view=letters");
  await hydrated(staff);
  await request.getByRole("button", { name: "Approve and issue the letter" }).click();
  await expect(staff.locator(".review-outcome")).toContainText("is issued");

  // The letter names the program, its length and work share, and where to verify it.
  await student.reload();
  await hydrated(student);
  const download = student.getByRole("link", { name: "Download your letter (PDF)" }).first();
  const served = await student.request.get((await download.getAttribute("href")) as string);
  expect(served.status()).toBe(200);
  const text = await pdfText(await served.body());
  expect(text).toContain("Bachelor of Business Administration (Co-op)");
  expect(text).toContain("12 of its 48 months");
  const address = text.match(/https?:\/\/\S+?\/verify\/[A-Za-z0-9_-]{22,}/)?.[0];
  expect(address, text).toBeTruthy();
  const path = new URL(address as string).pathname;

  // An employer, signed in as no one, opens it: valid, and nothing else personal.
  const employer = await (await browser.newContext()).newPage();
  await employer.goto(path);
  await expect(employer).toHaveTitle("Verify a co-op letter · coop-permits");
  const verdict = employer.locator("[data-verification]");
  await expect(verdict).toHaveAttribute("data-verification", "valid");
  await expect(employer.locator("main")).toContainText("Nadia Karimi");
  await expect(employer.locator("main")).toContainText("Bachelor of Business Administration (Co-op)");
  await expect(employer.locator("main")).not.toContainText("100000014");
  await expect(employer.locator("main")).not.toContainText("@students.coop.example");
  await noViolations(employer);
  const json = await employer.request.get(`/api/v1/letters${path}`);
  expect(await json.json()).toMatchObject({ status: "valid", student_name: "Nadia Karimi" });
  const unknown = await employer.request.get("/api/v1/letters/verify/AAAAAAAAAAAAAAAAAAAAAA");
  expect(unknown.status()).toBe(404);

  // Staff revoke it on her file; the employer's page then says so, and so does hers.
  await staff.goto("/home?view=students&q=nadia");
  await hydrated(staff);
  await staff.getByRole("link", { name: "Nadia Karimi" }).click();
  await hydrated(staff);
  await staff.getByLabel("Reason to revoke").fill("The employer withdrew the placement.");
  await staff.getByRole("button", { name: "Revoke this letter" }).click();
  await expect(staff.locator(".review-outcome")).toContainText("is revoked");
  await employer.reload();
  await expect(employer.locator("[data-verification]")).toHaveAttribute("data-verification", "revoked");
  await expect(employer.locator("main")).toContainText("no longer stands");
  await student.reload();
  await hydrated(student);
  await expect(student.locator("li[data-request]").first()).toHaveAttribute("data-status", "revoked");
  await expect(student.locator("li[data-request]").first()).toContainText("The employer withdrew the placement.");
});

test("the self-check offers the catalogue, decides W2f, and keeps it offline", async ({ page, context }) => {
  await page.goto("/");
  await hydrated(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The worker controls the page only from the next load.
  await page.reload();
  await hydrated(page);
  const program = page.getByLabel("My program", { exact: true });
  await expect(program.locator("option", { hasText: "Certificate in Hospitality Operations (Co-op)" })).toHaveCount(1);
  await page.getByLabel("COOP 1101").selectOption("completed");
  await page.getByLabel("My program's continuance requirements are met").check();
  await page.getByLabel("The co-op office has issued my placement letter").check();
  await page.getByLabel("Study permit expiry date", { exact: true }).fill(vancouverDay(400));
  await page.getByLabel("It carries an on-campus work condition").check();
  await page.getByLabel("The co-op office has verified my study permit").check();
  const answer = page.getByRole("region", { name: "Your answer" });
  await expect(answer).not.toContainText("W2f");
  await program.selectOption({ label: "Certificate in Hospitality Operations (Co-op)" });
  await expect(answer).toContainText("W2f");
  // Offline, the page still knows the programs and the choice.
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("My program", { exact: true })).toHaveValue("HOSP-CERT");
  await expect(page.getByRole("region", { name: "Your answer" })).toContainText("W2f");
  await page.getByLabel("My program", { exact: true }).selectOption({ label: "Not listed / I don't know" });
  await expect(page.getByRole("region", { name: "Your answer" })).not.toContainText("W2f");
  await context.setOffline(false);
});
