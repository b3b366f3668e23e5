// Helpers: filling the self-check form from a `permit-check` case, by visible labels only.
import { expect, Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type Case = Record<string, any>;
export type Vector = { case: Case; expect: Record<string, any> };

/** The repository's copy of the shared vectors (identical to ../shared/spec/cases, tested natively). */
export function vectors(): Vector[] {
  const text = readFileSync(join(__dirname, "../../crates/core/tests/cases/rules-v1.jsonl"), "utf8");
  return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/**
 * Vancouver's UTC offset in hours at an instant, written out independently of any tz database:
 * US/Canada daylight time (second Sunday of March 10:00Z to first Sunday of November 09:00Z)
 * until BC's last change on 2026-03-08, and UTC-7 all year after it (tz 2026b).
 */
export function vancouverOffset(at: Date): number {
  if (at.getTime() >= Date.UTC(2026, 2, 8, 10)) return -7;
  const year = at.getUTCFullYear();
  const nthSunday = (month: number, n: number) => {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + 7 * (n - 1);
  };
  const start = Date.UTC(year, 2, nthSunday(2, 2), 10);
  const end = Date.UTC(year, 10, nthSunday(10, 1), 9);
  return at.getTime() >= start && at.getTime() < end ? -7 : -8;
}

/** `YYYY-MM-DDTHH:MM` wall-clock time in Vancouver, as a datetime-local input takes it. */
export function vancouverLocal(iso: string): string {
  const at = new Date(iso);
  const local = new Date(at.getTime() + vancouverOffset(at) * 3600_000);
  return local.toISOString().slice(0, 16);
}

/** Waits until the rules run in the page (the server renders only the form). */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1, { timeout: 30_000 });
  if (new URL(page.url()).pathname === "/") {
    await expect(page.locator("[data-regime]")).toBeVisible({ timeout: 30_000 });
  }
}

async function check(page: Page, label: string, value: boolean) {
  await page.getByLabel(label, { exact: true }).setChecked(value);
}

/** Fills the form with a case (zone America/Vancouver; no pinned regime or processing range). */
export async function fillCase(page: Page, c: Case) {
  const s = c.student;
  await page.getByLabel("Time zone", { exact: true }).fill(c.zone ?? "America/Vancouver");
  await check(page, "I am in the Co-op program", s.coop_program);
  await page.getByLabel("COOP 1101", { exact: true }).selectOption(s.coop1101);
  await check(page, "My program's continuance requirements are met", s.continuance_met);
  await check(page, "I study full-time (9 credits or more)", s.full_time ?? true);
  await check(page, "The co-op office has issued my placement letter", s.placement_letter ?? false);
  await page.getByLabel("Level of study", { exact: true }).selectOption(s.level ?? "post_secondary");
  await check(page, "I am in Canada", s.in_canada ?? true);
  const sp = c.study_permit;
  await page.getByLabel("Study permit expiry date", { exact: true }).fill(sp?.expires ?? "");
  await check(page, "It carries an on-campus work condition", sp?.on_campus_work ?? false);
  await check(page, "The co-op office has verified my study permit", sp?.verified ?? false);
  const cwp = c.coop_work_permit;
  await page.getByLabel("Co-op work permit or approval letter", { exact: true }).selectOption(cwp ? (cwp.kind ?? "coop_work_permit") : "none");
  if (cwp) {
    await page.getByLabel("Co-op work permit expiry date", { exact: true }).fill(cwp.expires);
    await check(page, "The co-op office has verified it", cwp.verified ?? false);
  }
  for (const [i, a] of (c.applications ?? []).entries()) {
    await page.getByRole("button", { name: "Add an application" }).click();
    const row = page.getByRole("group", { name: `Application ${i + 1}` });
    await row.getByLabel("For", { exact: true }).selectOption(a.for);
    await row.getByLabel("Submitted on (your local date and time)").fill(vancouverLocal(a.submitted_at));
    await row.getByLabel("Decision", { exact: true }).selectOption(a.decision);
  }
  for (const [i, t] of (c.work_terms ?? []).entries()) {
    await page.getByRole("button", { name: "Add a work term" }).click();
    const row = page.getByRole("group", { name: `Work term ${i + 1}` });
    await row.getByLabel("Work term starts").fill(t.start);
    await row.getByLabel("Work term ends").fill(t.end);
  }
}

/** What the page decided, as codes. */
export async function shown(page: Page) {
  const answer = page.locator(".answer");
  return {
    regime: await answer.locator("[data-regime]").getAttribute("data-regime"),
    cleared: (await answer.locator(".verdict").getAttribute("data-cleared")) === "true",
    reasons: await answer.locator("li[data-reason]").evaluateAll((els) => els.map((e) => e.getAttribute("data-reason"))),
    letter: (await answer.locator("[data-letter-eligible]").getAttribute("data-letter-eligible")) === "true",
    states: await answer.locator("dd[data-state]").evaluateAll((els) => els.map((e) => e.getAttribute("data-state"))),
  };
}

/** The password of every demo account (`coop-permits demo`). */
export const PASSWORD = "demo maple ferry 2026";

/** Signs in through the app's own sign-in page. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The date `days` from today in Vancouver, `YYYY-MM-DD`. */
export function vancouverDay(days: number): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Vancouver" }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A real one-page PDF that says `text` (with a cross-reference table a reader can follow): the
 * server inspects an upload's structure and refuses what is not a readable PDF (S7). */
export function pdf(text: string): Buffer {
  const safe = text.replace(/[()\\]/g, "");
  const content = `BT /F1 24 Tf 72 700 Td (${safe}) Tj ET`;
  const bodies = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
  ];
  let out = "%PDF-1.7\n";
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const start = Buffer.byteLength(out);
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${start}\n%%EOF\n`;
  return Buffer.from(out);
}

/** The text a PDF reader extracts (pdfjs-dist, Mozilla's reader), items joined by spaces. */
export async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const parts: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) {
      if ("str" in item) parts.push(item.str);
    }
  }
  return parts.join(" ").replace(/\s+/g, " ");
}
