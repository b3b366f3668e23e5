// Time to the first interactive self-check: from navigation start, in a fresh browser context
// (nothing cached), until the rules have answered in the page ([data-regime] is shown).
// usage: node bench/interactive.js URL [RUNS]
const { chromium } = require("@playwright/test");

(async () => {
  const url = process.argv[2] ?? "http://127.0.0.1:3200/";
  const runs = Number(process.argv[3] ?? 9);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForSelector("[data-regime]", { timeout: 30000 });
    const ms = await page.evaluate(() => performance.now());
    times.push(ms);
    await context.close();
  }
  await browser.close();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(JSON.stringify({ runs, median_ms: Math.round(median), min_ms: Math.round(times[0]), max_ms: Math.round(times[times.length - 1]) }));
})();
