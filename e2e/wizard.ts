import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { virsh } from '../test/helpers/virsh';

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

// The lab is shared and busy: a page waits on SSH reads of the whole host.
export const slow = expect.configure({ timeout: 120_000 });

export const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
/** Run a clean-up step that may find nothing to clean. */
export const ok = (f: () => unknown) => {
  try {
    f();
  } catch {}
};
export const poolInfo = (pool: string) => virsh('pool-info', '--', pool);
export const allPools = () =>
  virsh('pool-list', '--all', '--name')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
/** The lab's pools whose names contain `tag` (a spec's own prefix). */
export const poolsTagged = (tag: string) => allPools().filter((p) => p.includes(tag));
/** Stop and undefine every pool whose name contains `tag`. */
export function removePools(tag: string) {
  let pools: string[] = [];
  ok(() => (pools = poolsTagged(tag)));
  for (const p of pools) {
    ok(() => virsh('pool-destroy', '--', p));
    ok(() => virsh('pool-undefine', '--', p));
  }
}

export async function openWizard(page: Page) {
  await page.goto('/hosts/lab');
  await page.getByRole('link', { name: 'New pool' }).click();
  await slow(page.getByRole('heading', { level: 1, name: 'New storage pool' })).toBeVisible();
}

/** Go to step 4, wait for the pool XML, create and wait for "was created". */
export async function createAndWait(page: Page, name: string) {
  await step(page, 4);
  await slow(page.getByRole('region', { name: 'Pool XML' })).toContainText(`<name>`);
  await createPool(page, name, 90_000);
}
