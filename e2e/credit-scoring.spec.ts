import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

const RISK = { email: 'risk@neuralfin.local', password: 'neuralfin-risk' };

/** $NEURALFIN_DATA_DIR/german_credit/credit-g.csv (default ../shared/data); fails loudly when missing. */
function germanCreditFile(): string {
  const dir = process.env.NEURALFIN_DATA_DIR ?? path.resolve('../shared/data');
  const file = path.join(dir, 'german_credit', 'credit-g.csv');
  if (!existsSync(file)) throw new Error(`missing ${file}: set NEURALFIN_DATA_DIR to the shared data folder`);
  return file;
}

test('risk team imports German Credit, trains a small model and scores a hand-made application with reasons', async ({
  page,
}) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page, RISK);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credit' }).click();
  await expect(page.getByRole('heading', { name: 'Credit', exact: true })).toBeVisible();
  await expect(page.getByTestId('credit-datasets')).toContainText('synthetic');

  // import: preview with inferred types, the target and its bad value suggested, then import
  await page.getByRole('link', { name: 'Import applications (CSV)' }).click();
  await page.getByLabel('Applications file (CSV, up to 25 MB)').setInputFiles(germanCreditFile());
  await expect(page.getByTestId('preview-summary')).toContainText('1,000 rows · 21 columns · header row found');
  await expect(page.getByLabel('Target column (the outcome)')).toHaveValue('class');
  await expect(page.getByLabel('Value meaning “bad” (defaulted)')).toHaveValue('bad');
  await expect(page.getByLabel('Type of duration')).toHaveValue('numeric');
  await expect(page.getByLabel('Type of purpose')).toHaveValue('categorical');
  await page.getByLabel('Dataset name').fill('German Credit (e2e)');
  await page.getByRole('button', { name: 'Import 1,000 applications' }).click();
  await expect(page.getByTestId('import-done')).toContainText('1,000 applications (300 bad, 700 good');

  // train a small model: 3 folds, 1 seed, few epochs; follow the job live
  await page.getByRole('link', { name: 'Train a model on it' }).click();
  await expect(page.getByLabel('Dataset')).toContainText('German Credit (e2e)');
  await page.getByLabel('Model kind').selectOption('mlp');
  await page.getByLabel('Model name (optional)').fill('MLP e2e');
  await page.getByLabel('Max epochs').fill('30');
  await page.getByLabel('Folds').fill('3');
  await page.getByLabel('Seeds').fill('1');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page).toHaveURL(/\/credit\/jobs\/[\w-]+$/);
  await expect(page.getByRole('progressbar', { name: 'Training progress' })).toBeVisible();
  await expect(page.getByTestId('training-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });

  // the model page: metrics with spread beside the baselines, charts, policy, confusion matrix
  await page.getByRole('link', { name: 'Open the model' }).click();
  await expect(page.getByRole('heading', { name: 'MLP e2e' })).toBeVisible();
  await expect(page.getByTestId('headline-auc')).toContainText(/0\.\d{3} ± 0\.\d{3}/);
  const comparison = page.getByTestId('model-comparison');
  for (const name of ['MLP', 'Logistic regression', 'Perceptron']) await expect(comparison).toContainText(name);
  await expect(page.getByTestId('chart-roc').locator('svg path.recharts-curve').first()).toBeVisible();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await expect(page.getByTestId('expected-cost')).toContainText('per application');

  // score: an out-of-range value gives a per-field error and stores nothing
  await page.getByRole('link', { name: 'Score applications' }).click();
  const form = page.getByRole('form', { name: 'Application' });
  await form.getByLabel('Loan duration').fill('1000');
  await form.getByRole('button', { name: 'Score application' }).click();
  await expect(form.locator('[data-field="duration"]')).toContainText('Loan duration must be between');
  await expect(page.getByTestId('recent-decisions')).toContainText('No decisions yet.');

  // a hand-made risky application: overdrawn account, long and large loan, critical history
  await form.getByLabel('Checking account balance').selectOption('<0');
  await form.getByLabel('Loan duration').fill('48');
  await form.getByLabel('Credit amount').fill('15000');
  await form.getByLabel('Savings account / bonds').selectOption('<100');
  await form.getByLabel('Age').fill('23');
  await form.getByRole('button', { name: 'Score application' }).click();
  const result = page.getByTestId('score-result');
  await expect(result.getByTestId('decision-badge')).toHaveText(/refer|decline/);
  await expect(result.getByTestId('result-pd')).toContainText('%');
  await expect(result.getByTestId('result-score')).toContainText('pts');
  const reasons = result.getByTestId('reasons').getByRole('listitem');
  await expect(reasons.first()).toBeVisible();
  expect(await reasons.count()).toBeLessThanOrEqual(4);
  await expect(result.getByTestId('reasons')).toContainText('Checking account balance is below 0 DM');
  // the decision is stored and listed
  await expect(page.getByTestId('recent-decisions').locator('tr[data-decision-id]')).toHaveCount(1);
  expect(errors).toEqual([]);
});
