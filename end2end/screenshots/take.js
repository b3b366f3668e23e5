// The README's screenshots of the student side, on a phone-sized screen, from a server running
// the demo data. usage: node screenshots/take.js URL OUT_DIR   (see scripts/screenshots.sh)
const { chromium } = require("@playwright/test");
const { join } = require("node:path");

const PASSWORD = "demo maple ferry 2026";

(async () => {
  const url = (process.argv[2] ?? "http://127.0.0.1:3300").replace(/\/$/, "");
  const out = process.argv[3] ?? "../docs/screenshots";
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    timezoneId: "America/Vancouver",
    locale: "en-CA",
  });
  const page = await context.newPage();
  const hydrated = () => page.waitForSelector("html[data-hydrated]");

  await page.goto(`${url}/`);
  await hydrated();
  await page.getByLabel("Study permit expiry date").fill("2027-01-15");
  await page.waitForSelector("[data-regime]");
  await page.screenshot({ path: join(out, "self-check.png"), fullPage: true });

  await page.goto(`${url}/sign-in`);
  await hydrated();
  await page.getByLabel("E-mail address").fill("ishaan@students.coop.example");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/home$/);
  await page.getByRole("region", { name: "Your steps" }).waitFor();
  await page.getByRole("region", { name: "Your documents" }).locator("li[data-document]").first().waitFor();
  await page.screenshot({ path: join(out, "student-home.png"), fullPage: true });

  // A form filled without a connection: kept on the device, marked "not sent yet".
  await context.setOffline(true);
  const report = page.getByRole("region", { name: "Tell us about an application to IRCC" });
  await report.getByLabel("The UTC date on IRCC's confirmation").check();
  await report.getByLabel("Submitted on (UTC date)").fill("2026-11-20");
  await report.getByLabel("Application number").fill("W123456789");
  await report.getByRole("button", { name: "Report the application" }).click();
  const waiting = page.getByRole("region", { name: "Not sent yet" });
  await waiting.waitFor();
  await waiting.screenshot({ path: join(out, "not-sent-yet.png") });
  await context.close();
  await browser.close();
})();
