// The public self-check in Chromium against the real server: hydration, the same answers as
// permit-check, field errors, persistence, the live countdown, offline use and accessibility.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { fillCase, hydrated, shown, vancouverLocal, vectors } from "./support";

// Cases the form can express: zone Vancouver, regime by date, default processing months.
const formCases = vectors().filter(
  (v) => !v.case.regime && !v.case.processing_months && !v.case.program && (v.case.zone ?? "America/Vancouver") === "America/Vancouver",
);

test("the form can express enough vectors", () => {
  expect(formCases.length).toBeGreaterThanOrEqual(10);
});

for (const { case: c, expect: want } of formCases) {
  test(`same answer as permit-check: ${c.id}`, async ({ page }) => {
    await page.clock.setFixedTime(new Date(c.now));
    await page.goto("/");
    await hydrated(page);
    await fillCase(page, c);
    await expect(page.locator(".answer [data-regime]")).toHaveAttribute("data-regime", want.regime);
    const got = await shown(page);
    expect(got).toEqual({
      regime: want.regime,
      cleared: want.job_access.cleared,
      reasons: want.job_access.reasons,
      letter: want.letter.eligible,
      states: [want.coop_work_permit.state, want.study_permit.state],
    });
  });
}

test("the Vancouver offset helper agrees with the spec's examples", () => {
  expect(vancouverLocal("2026-12-15T23:30:00Z")).toBe("2026-12-15T16:30");
  expect(vancouverLocal("2025-12-16T00:30:00Z")).toBe("2025-12-15T16:30");
  expect(vancouverLocal("2025-07-15T23:30:00Z")).toBe("2025-07-15T16:30");
});

test("a field error appears beside its field, tied to it", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("button", { name: "Add a work term" }).click();
  const row = page.getByRole("group", { name: "Work term 1" });
  await row.getByLabel("Work term starts").fill("2027-05-04");
  await row.getByLabel("Work term ends").fill("2027-05-01");
  const end = row.getByLabel("Work term ends");
  await expect(end).toHaveAttribute("aria-invalid", "true");
  const described = await end.getAttribute("aria-describedby");
  expect(described).toBeTruthy();
  await expect(page.locator(`#${described}`)).toContainText("ends (2027-05-01) before it starts (2027-05-04)");
  await expect(page.locator(".answer")).toContainText("need a look");
});

test("the form survives a reload", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Study permit expiry date", { exact: true }).fill("2027-04-30");
  await page.getByLabel("COOP 1101", { exact: true }).selectOption("completed");
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Study permit expiry date", { exact: true })).toHaveValue("2027-04-30");
  await expect(page.getByLabel("COOP 1101", { exact: true })).toHaveValue("completed");
});

test("the countdown shows the deadline in three zones and ticks", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Time zone", { exact: true }).fill("Asia/Kolkata");
  const expiry = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Study permit expiry date", { exact: true }).fill(expiry);
  const deadline = page.locator(".deadline");
  await expect(deadline).toContainText("Your time (Asia/Kolkata)");
  await expect(deadline).toContainText("Vancouver time: before");
  await expect(deadline).toContainText("17:00");
  await expect(deadline).toContainText("UTC: before");
  const timer = page.getByRole("timer");
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first ?? "", { timeout: 5_000 });
  expect(first).toMatch(/^\d+ days \d\d:\d\d:\d\d left$/);
});

test("after one visit the self-check works offline", async ({ page, context }) => {
  await page.goto("/");
  await hydrated(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The worker controls the page only from the next load.
  await page.reload();
  await hydrated(page);
  await page.getByLabel("Study permit expiry date", { exact: true }).fill("2020-01-31");
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Study permit expiry date", { exact: true })).toHaveValue("2020-01-31");
  await expect(page.locator("dd[data-state]").nth(1)).toHaveAttribute("data-state", "out_of_status");
  await page.getByLabel("Study permit expiry date", { exact: true }).fill("2099-01-31");
  await expect(page.locator("dd[data-state]").nth(1)).toHaveAttribute("data-state", "valid");
  await context.setOffline(false);
});

test("axe finds no accessibility violations, empty and filled", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  let results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
  await fillCase(page, formCases.find((v) => (v.case.applications ?? []).length > 0 && (v.case.work_terms ?? []).length === 0)!.case);
  await page.getByRole("button", { name: "Add a work term" }).click();
  results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});

test("it fits a 360 px phone screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("no errors in the console while loading and using the page", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Study permit expiry date", { exact: true }).fill("2027-04-30");
  await page.getByRole("button", { name: "Add an application" }).click();
  await page.getByRole("button", { name: "Remove application 1" }).click();
  await expect(page.locator("[data-regime]")).toBeVisible();
  expect(problems).toEqual([]);
});

test("a first visit loads the self-check's own small bundle, not the whole app", async ({ page }) => {
  const loaded: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pkg/")) loaded.push(path);
  });
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Study permit expiry date", { exact: true }).fill("2099-01-31");
  await expect(page.locator("dd[data-state]").nth(1)).toHaveAttribute("data-state", "valid");
  const scripts = loaded.filter((p) => p.endsWith(".js") || p.endsWith(".wasm"));
  expect(scripts.sort()).toEqual([
    expect.stringMatching(/^\/pkg\/coop-self-check\.[0-9a-f]{20}\.js$/),
    expect.stringMatching(/^\/pkg\/coop-self-check\.[0-9a-f]{20}\.wasm$/),
  ]);
});

test("back at the self-check from another page of the app, the same page answers", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  // The app's router moves to `/` without loading a new document.
  await page.evaluate(() => ((window as any).sameDocument = true));
  await page.locator("a.site-name").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle("Co-op work authorization self-check · coop-permits");
  await expect(page.locator("[data-regime]")).toBeVisible();
  expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
  await page.getByLabel("Study permit expiry date", { exact: true }).fill("2020-01-31");
  await expect(page.locator("dd[data-state]").nth(1)).toHaveAttribute("data-state", "out_of_status");
  await page.getByRole("button", { name: "Add a work term" }).click();
  await expect(page.getByRole("group", { name: "Work term 1" }).getByLabel("Work term starts")).toBeFocused();
});

// The browser build carries only Vancouver's and UTC's rules; any other zone is fetched from
// /tz/ once and kept for offline use (app/src/time_zones.rs).
test.describe("a student in another zone", () => {
  test.use({ timezoneId: "Asia/Tokyo" });

  test("gets their zone's rules fetched, and keeps them offline", async ({ page, context }) => {
    const fetched: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/tz/")) fetched.push(new URL(request.url()).pathname);
    });
    await page.goto("/");
    await hydrated(page);
    // The browser's own zone is taken, and its rules fetched.
    await expect(page.getByLabel("Time zone", { exact: true })).toHaveValue("Asia/Tokyo");
    await page.getByLabel("Study permit expiry date", { exact: true }).fill("2099-01-31");
    const deadline = page.locator(".deadline");
    // Midnight UTC after 2099-01-31 is 09:00 on 1 February in Japan (UTC+09:00).
    await expect(deadline).toContainText("Your time (Asia/Tokyo)");
    await expect(deadline).toContainText("09:00");
    expect(fetched).toEqual([expect.stringMatching(/^\/tz\/\d{4}[a-z]\/Asia\/Tokyo$/)]);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await hydrated(page);
    await expect(page.locator(".deadline")).toContainText("09:00");
    // Kept by the page itself: no second fetch.
    expect(fetched).toHaveLength(1);
    await context.setOffline(true);
    await page.reload();
    await hydrated(page);
    await expect(page.locator(".deadline")).toContainText("Your time (Asia/Tokyo)");
    await expect(page.locator(".deadline")).toContainText("09:00");
    await context.setOffline(false);
  });

  test("is told clearly when a new zone cannot be fetched offline", async ({ page, context }) => {
    await page.goto("/");
    await hydrated(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    const zone = page.getByLabel("Time zone", { exact: true });
    await zone.fill("Europe/Paris");
    await expect(zone).toHaveAttribute("aria-invalid", "true");
    const described = await zone.getAttribute("aria-describedby");
    await expect(page.locator(`[id="${described?.split(" ").pop()}"]`)).toContainText(
      "time-zone rules of Europe/Paris could not be loaded",
    );
    await expect(page.locator(".answer")).toContainText("could not be loaded");
    // Back online, the same choice works without retyping anything else.
    await context.setOffline(false);
    await zone.fill("Europe/Paris ");
    await expect(page.locator(".deadline, .answer [data-regime]").first()).toBeVisible();
    await expect(zone).toHaveAttribute("aria-invalid", "false");
  });
});
