import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

test('start the demo job from the Jobs page and watch its progress bar reach done', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  await page.getByRole('button', { name: 'Start demo job' }).click();

  const row = page.locator('tr[data-job-id]').first();
  await expect(row).toHaveAttribute('data-status', /queued|running/);
  const bar = row.getByRole('progressbar');
  // progress is reported while it runs, not only at the end
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await expect(row).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  expect(errors).toEqual([]);
});
