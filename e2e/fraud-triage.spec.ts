import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

const FRAUD = { email: 'fraud@neuralfin.local', password: 'neuralfin-fraud' };

test('simulate a small dataset, train, triage an alert (with a conflicting change), retrain on the label', async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  const errors = failOnConsoleErrors(page);
  await signIn(page, FRAUD);

  // Simulate: the small preset, 30 days, live progress until the dataset exists.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fraud' }).click();
  await expect(page.getByRole('heading', { name: 'Fraud', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Simulate transactions' }).click();
  await page.getByRole('radio', { name: /^Small/ }).check();
  await page.getByLabel('Seed', { exact: true }).fill('1');
  await page.getByLabel('Days', { exact: true }).fill('30');
  await page.getByRole('button', { name: 'Start simulation' }).click();
  const simJob = page.getByTestId('fraud-job');
  await expect(simJob.getByRole('progressbar')).toBeVisible();
  await expect(simJob).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('simulation-summary')).toContainText('frauds');

  // Train: a short split ending before the history does, so that a later retrain can learn from triage.
  await page.getByRole('link', { name: 'Train a model on it' }).click();
  await page.getByLabel('Training days', { exact: true }).fill('7');
  await page.getByLabel('Feedback delay (days)', { exact: true }).fill('3');
  await page.getByLabel('Test days', { exact: true }).fill('5');
  await page.getByLabel('Test period ends on', { exact: true }).selectOption('22');
  await page.getByLabel('Validation folds', { exact: true }).fill('1');
  await page.getByLabel('Feed-forward candidates (hidden widths)', { exact: true }).fill('8');
  await page.getByRole('checkbox', { name: /focal loss/ }).uncheck();
  await page.getByLabel('GAN steps', { exact: true }).fill('30');
  await page.getByLabel('k (daily budget of P@k, CP@k)', { exact: true }).fill('5');
  await page.getByLabel('Alerts per test day', { exact: true }).fill('4');
  await page.getByLabel('Seeds', { exact: true }).fill('1');
  await page.getByLabel('Epochs', { exact: true }).fill('2');
  await expect(page.getByTestId('split-preview')).toContainText('test 2018-04-18 – 2018-04-22');
  await page.getByRole('button', { name: 'Start training' }).click();
  const trainJob = page.getByTestId('fraud-job');
  await expect(trainJob).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  await page.getByRole('link', { name: 'Open the model' }).click();

  // The model page: the net beside the logistic baseline, the GAN comparison, the curves.
  const comparison = page.getByTestId('model-comparison');
  await expect(comparison.locator('[data-model-row="logreg"]')).toContainText('Logistic regression');
  await expect(comparison.locator('[data-model-row="ffn-classWeights"]')).toContainText('deployed');
  await expect(page.getByTestId('gan-comparison')).toBeVisible();
  for (const chart of ['chart-roc', 'chart-pr', 'chart-daily-cpk']) {
    await expect(page.getByTestId(chart).locator('.recharts-line-curve').first()).toBeVisible();
  }
  await expect(page.getByTestId('triage-labels')).toContainText('0');

  // The alert queue: 5 test days × 4 alerts, highest score first.
  await page.getByRole('link', { name: 'Alert queue' }).click();
  const rows = page.getByTestId('alert-queue').locator('tbody tr');
  await expect(rows).toHaveCount(20);
  await rows.first().getByRole('link', { name: /^sim-/ }).click();
  await expect(page.getByRole('heading', { name: /Alert on sim-/ })).toBeVisible();
  await expect(page.getByTestId('score-drivers')).toBeVisible();
  await expect(page.getByTestId('customer-history').locator('tbody tr').first()).toBeVisible();
  const alertUrl = page.url();

  // A colleague's tab loaded the same alert before our change.
  const stale = await context.newPage();
  const staleErrors = failOnConsoleErrors(stale);
  await stale.goto(alertUrl);
  await expect(stale.getByTestId('alert-change')).toHaveAttribute('data-version', '1');

  // Start investigating with a note, then the stale tab tries the same: a clear conflict, nothing overwritten.
  await page.getByLabel('Note (optional)', { exact: true }).fill('Calling the cardholder.');
  await page.getByRole('button', { name: 'Start investigating' }).click();
  await expect(page.getByTestId('alert-change')).toHaveAttribute('data-version', '2');
  await stale.getByLabel('Note (optional)', { exact: true }).fill('Looks fine to me.');
  await stale.getByRole('button', { name: 'Start investigating' }).click();
  const conflict = stale.getByTestId('alert-conflict');
  await expect(conflict).toContainText('Someone else changed this alert first');
  await expect(conflict).toContainText('Your change was not saved');
  await stale.getByRole('button', { name: /Load the latest version/ }).click();
  await expect(stale.getByTestId('alert-change')).toHaveAttribute('data-version', '2');
  await expect(stale.getByLabel('Note (optional)', { exact: true })).toHaveValue('Looks fine to me.');
  await expect(stale.getByRole('button', { name: 'Confirm fraud' })).toBeVisible();
  expect(staleErrors).toEqual([]);
  await stale.close();

  // Confirm it: the status, the label from triage and the full history.
  await page.getByLabel('Note (optional)', { exact: true }).fill('Cardholder did not make this payment.');
  await page.getByRole('button', { name: 'Confirm fraud' }).click();
  await expect(page.getByTestId('alert-change')).toHaveAttribute('data-version', '3');
  await expect(page.getByTestId('alert-status').first()).toHaveText('Confirmed fraud');
  await expect(page.getByTestId('tx-label')).toContainText('fraud (from triage)');
  const history = page.getByTestId('alert-history').locator('li');
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toContainText('Investigating → Confirmed fraud');
  await expect(history.nth(0)).toContainText('Cardholder did not make this payment.');
  await expect(history.nth(1)).toContainText('Open → Investigating');
  await expect(history.nth(1)).toContainText('Calling the cardholder.');
  await expect(history.nth(2)).toContainText('Raised');

  // Feedback: the dashboard counts the decision, and a retrain trains on it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fraud' }).click();
  await expect(page.getByTestId('confirmed-share')).toContainText('1 of 1 decided');
  await expect(page.getByTestId('chart-alerts-per-day').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('retrain-plan')).toContainText('1 confirmed fraud');
  await page.getByRole('button', { name: 'Retrain with confirmed labels' }).click();
  await expect(page.getByTestId('fraud-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  await page.getByRole('link', { name: 'Open the model' }).click();
  await expect(page.getByTestId('triage-labels')).toContainText('1');
  await expect(page.getByTestId('label-sources')).toContainText('1 from triage');
  expect(errors).toEqual([]);
});
