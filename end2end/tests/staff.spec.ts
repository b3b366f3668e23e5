// Staff review a document (S8) in one browser, and the student sees the change in another: the
// review queue shows the typed fields and what the validators say; verifying clears the student.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { hydrated, PASSWORD, signIn } from "./support";

test("staff verify a submitted study permit and the student is cleared at once", async ({ browser }) => {
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, "staff1@coop.example", PASSWORD);
  await expect(staff).toHaveURL(/\/home$/);
  await staff.goto("/home?view=documents");
  await hydrated(staff);
  const queue = staff.getByRole("region", { name: "Documents to verify" });
  // Ishaan's study permit was submitted and is not verified yet (demo data).
  const item = queue.locator("li[data-review]", { hasText: "Ishaan Patel" });
  await expect(item).toBeVisible();
  await expect(item).toContainText("study permit");
  expect((await new AxeBuilder({ page: staff }).analyze()).violations).toEqual([]);

  const student = await (await browser.newContext()).newPage();
  await signIn(student, "ishaan@students.coop.example", PASSWORD);
  await expect(student.locator("[data-cleared]")).toHaveAttribute("data-cleared", "false");

  await item.getByRole("button", { name: "Verify" }).click();
  await expect(queue.locator(".review-outcome")).toContainText("verified (S8)");
  await expect(item).toHaveCount(0);

  await student.reload();
  await expect(student.locator("[data-cleared]")).toHaveAttribute("data-cleared", "true");
  const steps = student.getByRole("region", { name: "Your steps" }).locator("li[data-step]");
  await expect(steps.last()).toHaveAttribute("data-step", "done");
});
