// Submitting a document (S1–S8) in Chromium against the real server: the browser checks the
// fields and the file's content with coop-core before sending; a good study permit is taken for
// review, listed, viewable, and can be withdrawn.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { hydrated, PASSWORD, pdf, signIn } from "./support";


test("a student submits a study permit, checked in the browser first, and withdraws it", async ({ page }) => {
  await signIn(page, "kwame@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  const section = page.getByRole("region", { name: "Your documents" });
  // The list has loaded (the demo put Kwame's study permit on file).
  await expect(section.locator("li[data-document]").first()).toBeVisible();
  const before = await section.locator("li[data-document]").count();
  let uploads = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/api/v1/me/documents")) uploads += 1;
  });

  // Checked in the browser: every field's problem beside it, and a text file is not a PDF (S7).
  await section.getByLabel("Document number").fill("12");
  await section.getByLabel("UCI (client ID)").fill("1");
  await section.getByLabel("Issued on").fill("2026-01-04");
  await section.getByLabel("Expires on").fill("2028-08-31");
  await section.getByLabel("The document (PDF, PNG or JPEG)").setInputFiles({
    name: "permit.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("this is only text"),
  });
  await section.getByRole("button", { name: "Submit the document" }).click();
  await expect(section.getByLabel("Document number")).toHaveAttribute("aria-invalid", "true");
  await expect(section.locator("#doc-number-error")).toContainText("(S3)");
  await expect(section.locator("#doc-uci-error")).toContainText("(S2)");
  await expect(section.locator("#doc-file-error")).toContainText("PDF, PNG or JPEG (S7)");
  await expect(section.locator("li[data-document]")).toHaveCount(before);
  expect(uploads).toBe(0);

  await section.getByLabel("Document number").fill("F 234 567 890");
  await section.getByLabel("UCI (client ID)").fill("1234-5678");
  await section.getByLabel("My study permit says I may work on campus (W2c)").check();
  await section.getByLabel("The document (PDF, PNG or JPEG)").setInputFiles({
    name: "permit.pdf",
    mimeType: "application/pdf",
    buffer: pdf(`study permit ${Date.now()}`),
  });
  await section.getByRole("button", { name: "Submit the document" }).click();
  await expect(section.getByText("Submitted. The co-op office will verify it (S8).")).toBeVisible();
  expect(uploads).toBe(1);
  const submitted = section.locator("li[data-document]").first();
  await expect(submitted).toHaveAttribute("data-status", "submitted");
  await expect(submitted).toContainText("F234567890, expires 31 Aug 2028");
  await expect(section.getByLabel("Document number")).toHaveValue("");

  // The stored file comes back as sent.
  const href = await submitted.getByRole("link", { name: "View the file" }).getAttribute("href");
  const file = await page.request.get(href!);
  expect(file.headers()["content-type"]).toBe("application/pdf");
  expect((await file.body()).toString()).toContain("study permit");

  const axe = await new AxeBuilder({ page }).include("section.documents").analyze();
  expect(axe.violations).toEqual([]);

  await submitted.getByRole("button", { name: "Withdraw this document" }).click();
  await expect(submitted).toHaveAttribute("data-status", "withdrawn");
  await expect(submitted.getByRole("button", { name: "Withdraw this document" })).toHaveCount(0);
});

test("a document submitted offline is kept with its file and sent once when back online", async ({ page, context }) => {
  await signIn(page, "bao@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  const section = page.getByRole("region", { name: "Your documents" });
  await expect(section.locator("li[data-document]").first()).toBeVisible();
  let taken = 0;
  page.on("response", (r) => {
    if (r.url().endsWith("/api/v1/me/documents") && r.request().method() === "POST" && r.status() === 201) taken += 1;
  });
  await context.setOffline(true);
  await section.getByLabel("Document", { exact: true }).selectOption("coop_work_permit");
  await section.getByLabel("Document number").fill("U456789012");
  await section.getByLabel("UCI (client ID)").fill("1234-5678");
  await section.getByLabel("Issued on").fill("2026-10-01");
  await section.getByLabel("Expires on").fill("2027-04-30");
  await section.getByLabel("The document (PDF, PNG or JPEG)").setInputFiles({
    name: "work-permit.png",
    mimeType: "image/png",
    // A PNG header for an 800 x 600 image, made unique by the time.
    buffer: Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.from("IHDR"),
      Buffer.from([0, 0, 0x03, 0x20, 0, 0, 0x02, 0x58, 8, 2, 0, 0, 0]),
      Buffer.from(`${Date.now()}`),
    ]),
  });
  await section.getByRole("button", { name: "Submit the document" }).click();
  await expect(section.getByText("Saved on this device: not sent yet.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Not sent yet" })).toContainText("Document");

  await context.setOffline(false);
  await expect(page.getByRole("region", { name: "Not sent yet" })).toHaveCount(0);
  await expect(section.locator("li[data-document]").first()).toContainText("U456789012");
  await expect(section.locator("li[data-document]").first()).toHaveAttribute("data-status", "submitted");
  expect(taken).toBe(1);
});
