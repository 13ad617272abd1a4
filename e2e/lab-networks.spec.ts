import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

const TYPES = ['perceptron', 'feed-forward', 'resnet', 'rnn', 'lstm', 'esn', 'cnn', 'gan', 'transformer'];

test('every network-type page renders and trains a few steps without console errors', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page);
  for (const id of TYPES) {
    await page.goto(`/lab/networks/${id}`);
    await expect(page.getByRole('button', { name: 'Train' })).toBeVisible();
    await page.getByRole('button', { name: 'Step' }).click();
    await expect(page.getByTestId('demo-step'), id).not.toHaveText('0');
    const train = page.getByRole('button', { name: 'Train' });
    // a closed-form model (the ESN) is finished after its one step
    if (await train.isEnabled()) {
      await train.click();
      await page.waitForTimeout(800);
    }
    await expect(page.getByTestId('demo-notes')).toBeVisible();
  }
  expect(errors).toEqual([]);
});

test('the pathology experiments run in the browser and show their results', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page);
  await page.goto('/lab/pathologies');
  const section = page.getByTestId('pathology-dead-relu');
  await section.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('pathology-dead-relu-status')).toHaveText('done', { timeout: 60_000 });
  await expect(section.getByText(/lr 1: \d+% dead/)).toBeVisible();
  expect(errors).toEqual([]);
});
