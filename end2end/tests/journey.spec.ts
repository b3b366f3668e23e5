// The student's whole journey in Chromium (issue: student workflows): sign in, read the status,
// request the letter, report an application submitted at 16:30 Vancouver time on the expiry date
// (timely), upload a permit PDF, go offline, fill a form, come back online and see it sent once.
// axe-core checks the page at each step.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hydrated, PASSWORD, pdf, signIn, vancouverDay } from "./support";

async function noViolations(page: Page) {
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  // And it fits the phone: nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

// A phone-sized screen for the whole journey.
test.use({ viewport: { width: 360, height: 740 } });

test("a student goes through the guide, and a form filled offline is sent once when back online", async ({ page, context }) => {
  // Dana: in the Co-op program, COOP 1101 done; her study permit expired 10 days ago (demo data).
  await signIn(page, "dana@students.coop.example", PASSWORD);
  await expect(page.getByRole("heading", { name: "Your co-op status" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "Your steps" }).locator("li[data-step]")).toHaveCount(7);
  await noViolations(page);

  // The letter.
  const letter = page.getByRole("region", { name: "Your co-op letter" });
  await letter.getByLabel("I have read the collection notice").check();
  await letter.getByLabel("Your first work term starts on").fill(vancouverDay(60));
  await letter.getByRole("button", { name: "Request the letter" }).click();
  await expect(letter.getByText("Your request was sent to the co-op office.")).toBeVisible();
  await expect(letter.locator("li[data-request]").first()).toHaveAttribute("data-status", "pending");

  // The application to IRCC, submitted at 16:30 Vancouver time on the expiry date: timely (T4).
  const report = page.getByRole("region", { name: "Tell us about an application to IRCC" });
  await report.getByLabel("Application for").selectOption("study_permit");
  await report.getByLabel("Submitted on (your local date and time)").fill(`${vancouverDay(-10)}T16:30`);
  await report.getByLabel("Application number").fill("W123450001");
  await report.getByRole("button", { name: "Report the application" }).click();
  await expect(report.locator(".report-outcome")).toHaveAttribute("data-timely", "true");
  await noViolations(page);

  // The new permit, as a PDF.
  const documents = page.getByRole("region", { name: "Your documents" });
  await documents.getByLabel("Document number").fill("F345678901");
  await documents.getByLabel("UCI (client ID)").fill("1234-5678");
  await documents.getByLabel("Issued on").fill(vancouverDay(-5));
  await documents.getByLabel("Expires on").fill(vancouverDay(700));
  await documents.getByLabel("My study permit says I may work on campus (W2c)").check();
  await documents.getByLabel("The document (PDF, PNG or JPEG)").setInputFiles({
    name: "new-permit.pdf",
    mimeType: "application/pdf",
    buffer: pdf(`Dana's new study permit ${Date.now()}`),
  });
  await documents.getByRole("button", { name: "Submit the document" }).click();
  await expect(documents.getByText("Submitted. The co-op office will verify it (S8).")).toBeVisible();
  await expect(documents.locator("li[data-document]").first()).toHaveAttribute("data-status", "submitted");

  // Offline: a second application is checked in the browser, kept on the device, marked.
  let reportsTaken = 0;
  page.on("response", (r) => {
    if (r.url().endsWith("/api/app/report_application") && r.status() === 200) reportsTaken += 1;
  });
  await context.setOffline(true);
  await report.getByLabel("Application for").selectOption("study_permit");
  await report.getByLabel("The UTC date on IRCC's confirmation").check();
  await report.getByLabel("Submitted on (UTC date)").fill(vancouverDay(-2));
  await report.getByLabel("Application number").fill("W1234");
  await report.getByRole("button", { name: "Report the application" }).click();
  await expect(report.getByRole("alert")).toContainText("(S9)");
  await report.getByLabel("Application number").fill("W123450002");
  await report.getByRole("button", { name: "Report the application" }).click();
  await expect(report.getByText("Saved on this device: not sent yet.")).toBeVisible();
  const waiting = page.getByRole("region", { name: "Not sent yet" });
  await expect(waiting.locator("li[data-draft]")).toHaveCount(1);
  await expect(waiting).toContainText("Application to IRCC");
  await noViolations(page);

  // Back online: sent by itself, once; the draft is gone, also after a reload.
  await context.setOffline(false);
  await expect(waiting).toHaveCount(0);
  expect(reportsTaken).toBe(1);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Your co-op status" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Your steps" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Not sent yet" })).toHaveCount(0);
  expect(reportsTaken).toBe(1);
  await noViolations(page);

  // IRCC approves the first application: the student records it and is asked for the new document.
  const applications = page.getByRole("region", { name: "Your applications to IRCC" });
  const first = applications.locator("li[data-application]", { hasText: "W123450001" });
  await first.getByRole("button", { name: "IRCC approved it" }).click();
  await expect(first).toHaveAttribute("data-decision", "approved");
  await expect(applications.locator(".decision-outcome")).toContainText("submit the new document below");
  await expect(applications.locator(".decision-outcome")).toContainText("(M3)");
  await noViolations(page);
});
