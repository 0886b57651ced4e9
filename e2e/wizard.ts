import { expect, type Page } from '@playwright/test';

/** Driving the pool wizard (/hosts/{host}/new-pool), shared by the lab and nested-lab specs. */
export const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();
export const step = (page: Page, n: number, timeout?: number) =>
  expect(page.getByRole('heading', { level: 2, name: new RegExp(`^Step ${n} of 4`) })).toBeVisible({ timeout });
export const pick = (page: Page, type: string) => page.getByRole('radiogroup', { name: 'Pool type' }).locator(`input[value="${type}"]`).check();

/** On step 4: press Create and wait for the streamed "was created" status. */
export async function createPool(page: Page, name: string, timeout: number) {
  await step(page, 4, timeout);
  await page.getByRole('button', { name: `Create pool ${name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Pool ${name} was created` })).toBeVisible({ timeout });
}
