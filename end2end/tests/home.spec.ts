// A student's home page in Chromium: the guide's steps with where each stands, the next
// deadline in three clocks with a live countdown (T4), and the reminder dates (R1).
import { expect, test } from "@playwright/test";
import { hydrated, PASSWORD, signIn } from "./support";

test("a student sees their steps, the next deadline ticking down, and their reminder dates", async ({ page }) => {
  // Ishaan: a study permit on file that the office has not verified yet (demo data).
  await signIn(page, "ishaan@students.coop.example", PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  const steps = page.getByRole("region", { name: "Your steps" }).locator("li[data-step]");
  await expect(steps).toHaveCount(7);
  await expect(steps.first()).toHaveAttribute("data-step", "done");
  await expect(steps.first()).toContainText("(L1)");
  await expect(steps.last()).toHaveAttribute("data-step", "waiting");
  await expect(steps.last()).toContainText("verifies it (S8)");

  const deadline = page.getByRole("region", { name: /Deadline to keep your/ });
  await expect(deadline).toContainText("(T4, M1)");
  await expect(deadline.getByRole("listitem")).toHaveCount(3);
  await expect(deadline.getByRole("listitem").nth(1)).toContainText("Vancouver time: before");
  await expect(deadline.getByRole("listitem").nth(2)).toContainText("UTC: before");
  const timer = deadline.getByRole("timer");
  await expect(timer).toContainText("left");
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first!, { timeout: 3_000 });

  await expect(page.getByRole("region", { name: "Reminder dates (R1)" }).getByRole("listitem").first()).toBeVisible();
});
