import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

test('the playground learns XOR in the browser to at least 95% test accuracy', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page, { email: 'analyst@neuralfin.local', password: 'neuralfin-analyst' });
  await page.goto('/lab/playground');
  // Chromium validates the module: the playground trains on the engine's WebAssembly SIMD kernels
  await expect(page.getByTestId('kernels')).toHaveText('WebAssembly SIMD kernels');
  await page.getByRole('button', { name: 'XOR' }).click();
  await expect(page.getByRole('button', { name: 'XOR' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect
    .poll(async () => Number.parseFloat((await page.getByTestId('test-accuracy').textContent()) ?? '0'), {
      timeout: 60_000,
      intervals: [500],
    })
    .toBeGreaterThanOrEqual(95);
  const ups = await page.getByTestId('updates-per-second').textContent();
  test.info().annotations.push({ type: 'updates per second', description: ups ?? '' });
  await page.getByRole('button', { name: 'Pause' }).click();
  const steps = Number(await page.getByTestId('step-count').textContent());
  expect(steps).toBeGreaterThan(0);
  // a new seed resets the step counter
  const seed = await page.getByTestId('seed').textContent();
  await page.getByRole('button', { name: 'Reset (new seed)' }).click();
  await expect(page.getByTestId('seed')).not.toHaveText(seed ?? '');
  await expect(page.getByTestId('step-count')).toHaveText('0');
  expect(errors).toEqual([]);
});

test('the activation gallery plots every activation of the course', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page);
  await page.goto('/lab/activations');
  for (const name of ['identity', 'binaryStep', 'sigmoid', 'tanh', 'arctan', 'relu', 'prelu', 'elu', 'softplus']) {
    await expect(page.getByTestId(`activation-${name}`)).toBeVisible();
    await expect(page.getByTestId(`activation-plot-${name}`).locator('svg path.recharts-curve').first()).toBeVisible();
  }
  expect(errors).toEqual([]);
});
