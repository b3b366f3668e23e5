// The co-op office's day in Chromium against the real server (demo data): a student asks for the
// letter and uploads a study permit in one browser; staff, in another, approve the letter (a PDF
// is made and issued) and verify the document beside its file; the student downloads the letter
// and is cleared. Then the office's own pages: counts that open filtered lists, a student's file
// and program edit with its history, CSV import with per-line errors, CSV export — each checked
// with axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hydrated, PASSWORD, pdf, signIn } from "./support";

async function noViolations(page: Page) {
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
}


test("a student is cleared once staff issue the letter and verify the study permit", async ({ browser }) => {
  const student = await (await browser.newContext()).newPage();
  await signIn(student, "mateo@students.coop.example", PASSWORD);
  await expect(student).toHaveURL(/\/home$/);
  await hydrated(student);
  await expect(student.locator("section.verdict")).toHaveAttribute("data-cleared", "false");

  const letter = student.getByRole("region", { name: "Your co-op letter" });
  await letter.getByLabel("Your first work term starts on").fill("2027-01-25");
  await letter.getByLabel("I have read the collection notice").check();
  await letter.getByRole("button", { name: "Request the letter" }).click();
  await expect(letter.locator("li[data-request]").first()).toHaveAttribute("data-status", "pending");

  const documents = student.getByRole("region", { name: "Your documents" });
  await documents.getByLabel("Document number").fill("F 345 678 901");
  await documents.getByLabel("UCI (client ID)").fill("2345-6789");
  await documents.getByLabel("Issued on").fill("2026-01-04");
  await documents.getByLabel("Expires on").fill("2028-08-31");
  await documents.getByLabel("My study permit says I may work on campus (W2c)").check();
  await documents.getByLabel("The document (PDF, PNG or JPEG)").setInputFiles({
    name: "permit.pdf",
    mimeType: "application/pdf",
    buffer: pdf(`Mateo's study permit ${Date.now()}`),
  });
  await documents.getByRole("button", { name: "Submit the document" }).click();
  await expect(documents.getByText("Submitted. The co-op office will verify it (S8).")).toBeVisible();

  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, "staff2@coop.example", PASSWORD);
  await expect(staff).toHaveURL(/\/home$/);
  await hydrated(staff);
  await expect(staff.locator("[data-count=letters]")).not.toHaveText("0");
  await noViolations(staff);

  await staff.getByRole("link", { name: /letter requests waiting/ }).click();
  await expect(staff).toHaveURL(/view=letters/);
  const request = staff.locator("li[data-letter-request]", { hasText: "Mateo Rossi" });
  await expect(request).toContainText("work placement letter");
  await expect(request).toContainText("waiting");
  await noViolations(staff);
  await request.getByRole("button", { name: "Approve and issue the letter" }).click();
  await expect(staff.locator(".review-outcome")).toContainText("is issued");
  await expect(request).toHaveCount(0);

  await staff.getByRole("navigation", { name: "Co-op office" }).getByRole("link", { name: "Documents to verify" }).click();
  const item = staff.locator("li[data-review]", { hasText: "Mateo Rossi" });
  await expect(item).toContainText("F345678901");
  // The file is offered beside the typed fields: a PDF as a download, never framed (issue 16).
  const uploaded = item.getByRole("link", { name: /Download the uploaded .* \(PDF\) to read it/ });
  await expect(uploaded).toHaveAttribute("href", /\/api\/v1\/me\/documents\/\d+\/file$/);
  await expect(item.locator("iframe")).toHaveCount(0);
  const served = await staff.request.get((await uploaded.getAttribute("href")) as string);
  expect(served.headers()["content-disposition"]).toMatch(/^attachment; filename="document-\d+\.pdf"$/);
  expect(served.headers()["content-security-policy"]).toContain("sandbox");
  await noViolations(staff);
  await item.getByRole("button", { name: "Verify" }).click();
  await expect(staff.locator(".review-outcome")).toContainText("verified (S8)");

  await student.reload();
  await hydrated(student);
  await expect(student.locator("section.verdict")).toHaveAttribute("data-cleared", "true");
  // Both decisions are in the student's messages.
  const messages = student.getByRole("region", { name: "Messages" });
  await expect(messages.locator("li[data-notice='letter_approved']")).toContainText("Your co-op letter is ready");
  const verified = messages.locator("li[data-notice='document_verified']");
  await expect(verified).toContainText("Your study permit is verified");
  await expect(verified).toHaveAttribute("data-read", "false");
  await verified.getByRole("button", { name: "Mark as read" }).click();
  await expect(verified).toHaveAttribute("data-read", "true");
  const download = letter.getByRole("link", { name: "Download your letter (PDF)" });
  await expect(download).toBeVisible();
  const response = await student.request.get((await download.getAttribute("href"))!);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  const bytes = await response.body();
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  expect(bytes.length).toBeGreaterThan(5000); // the embedded font's subset, at least
});

test("staff open a filtered list from a count, edit a student's program record and see it in the history", async ({ page }) => {
  await signIn(page, "staff2@coop.example", PASSWORD);
  await hydrated(page);
  await page.getByRole("link", { name: /Not cleared \(J\)/ }).click();
  await expect(page).toHaveURL(/job_access=not_cleared/);
  await expect(page.getByLabel("Co-op jobs (J)")).toHaveValue("not_cleared");
  const jia = page.locator("tr[data-student]", { hasText: "Jia Li" });
  await expect(jia.locator("[data-cleared]")).toHaveAttribute("data-cleared", "false");
  await noViolations(page);
  const csv = await page.request.get((await page.getByRole("link", { name: "Download this list (CSV)" }).getAttribute("href"))!);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const text = (await csv.body()).toString("utf8");
  expect(text.startsWith("\ufeffstudent_number,email,name,")).toBe(true);
  expect(text).toContain("Jia Li");
  expect(text).not.toContain("Ana Silva"); // cleared

  await jia.getByRole("link", { name: "Jia Li" }).click();
  await expect(page).toHaveURL(/student=\d+/);
  await expect(page.locator("section.verdict")).toContainText("(L1");
  await noViolations(page);
  await page.getByLabel("In the Co-op program (L1, J1)").selectOption("true");
  await page.getByLabel("COOP 1101 (L2)").selectOption("registered");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator(".review-outcome")).toContainText("re-evaluated (J)");
  await expect(page.locator("section.verdict")).not.toContainText("(L1");
  const history = page.locator("table.history tbody tr").first();
  await expect(history).toContainText("student.update");
  await expect(history).toContainText("coop_program: false → true");
  await expect(history).toContainText("coop1101: none → registered");

  await page.goto("/home?view=history&action=student.update");
  await hydrated(page);
  await expect(page.locator("tr[data-action='student.update']").first()).toContainText("coop_program: false → true");
  await noViolations(page);
});

test("staff preview a CSV import with its errors, then import the valid lines once", async ({ page }) => {
  await signIn(page, "staff2@coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await page.goto("/home?view=import");
  await hydrated(page);
  const csv = [
    "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time",
    "200000001,nora@students.coop.example,Nora Berg,Diploma in Accounting,true,registered,true,true",
    "200000002,not-an-address,Omar Aziz,Diploma in Accounting,maybe,registered,true,true",
  ].join("\n");
  await page.getByLabel("Or paste the lines").fill(csv);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator(".import-summary")).toContainText("Preview: 1 new");
  await expect(page.locator(".import-errors li[data-line='3']")).toHaveCount(2);
  await expect(page.locator(".import-errors")).toContainText("Line 3, email");
  await expect(page.locator(".import-errors")).toContainText("Line 3, coop_program");
  await noViolations(page);
  await page.getByRole("button", { name: "Import 1 valid lines" }).click();
  await expect(page.locator(".import-summary")).toContainText("Imported: 1 new");
  // The same file again changes nothing.
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator(".import-summary")).toContainText("0 new, 0 to update, 1 unchanged");

  await page.goto("/home?view=students&q=Nora");
  await expect(page.locator("tr[data-student]")).toHaveCount(1);
  await expect(page.locator("tr[data-student]")).toContainText("200000001");
});

test("a reminder due today is in the student's messages; staff see it, send it again and pause reminders", async ({ browser }) => {
  // Farah's study permit expires in 60 days (demo data): the job's first pass delivered D-60.
  const student = await (await browser.newContext()).newPage();
  await signIn(student, "farah@students.coop.example", PASSWORD);
  await hydrated(student);
  const reminder = student.getByRole("region", { name: "Messages" }).locator("li[data-notice='reminder']");
  await expect(reminder).toContainText("Your study permit expires in 60 days");
  await expect(reminder).toContainText("(T4, M1)");
  await noViolations(student);

  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, "staff2@coop.example", PASSWORD);
  await expect(staff).toHaveURL(/\/home$/);
  await staff.goto("/home?view=students&q=farah");
  await hydrated(staff);
  await staff.getByRole("link", { name: "Farah Haddad" }).click();
  const section = staff.getByRole("region", { name: "Reminders (R1)" });
  await expect(section).toContainText("60 days before");
  await expect(section).toContainText("in app");
  await section.getByRole("button", { name: /^Send again: the reminder due / }).click();
  await expect(section).toContainText("Sent again in the student's app (R2)");
  await expect(section.locator("li[data-reminder]").first()).toContainText("sent again by the office 1 time");
  await student.reload();
  await hydrated(student);
  await expect(reminder).toHaveCount(2);
  await section.getByLabel("Reason for pausing reminders").fill("On exchange abroad until January");
  await section.getByRole("button", { name: "Pause reminders" }).click();
  await expect(section.locator("[data-reminders='paused']")).toContainText("On exchange abroad until January");
  await noViolations(staff);
  await section.getByRole("button", { name: "Resume reminders" }).click();
  await expect(section.getByRole("button", { name: "Pause reminders" })).toBeVisible();
});
