import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

const FRAUD = { email: 'fraud@neuralfin.local', password: 'neuralfin-fraud' };

/** $NEURALFIN_DATA_DIR/creditcard_fraud_ulb/creditcard_sample.csv (default ../shared/data); fails loudly when missing. */
function ulbSample(): string {
  const dir = process.env.NEURALFIN_DATA_DIR ?? path.resolve('../shared/data');
  const file = path.join(dir, 'creditcard_fraud_ulb', 'creditcard_sample.csv');
  if (!existsSync(file)) throw new Error(`missing ${file}: set NEURALFIN_DATA_DIR to the shared data folder`);
  return file;
}

test('import the ULB sample (a bad file first), see its down-sampling warning, train on it', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page, FRAUD);
  await page.goto('/fraud');
  await page.getByRole('link', { name: 'Import ULB sample (CSV)' }).click();

  // A malformed file: every problem by row and column, nothing stored.
  const header = `,Time,${Array.from({ length: 28 }, (_, i) => `V${i + 1}`).join(',')},Amount,Class`;
  const row = (time: string, amount: string, cls: string) =>
    `0,${time},${Array(28).fill('0.1').join(',')},${amount},${cls}`;
  const bad = [header, row('10', '-5', '0'), row('abc', '3', '2')].join('\n');
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(bad),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  const problems = page.getByTestId('ulb-problems');
  await expect(problems).toContainText('The file was not imported');
  await expect(problems).toContainText('Amount');
  await expect(problems).toContainText('must not be negative');
  await expect(problems).toContainText('Class');

  // The real sample.
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(ulbSample());
  await page.getByRole('button', { name: 'Import' }).click();
  const imported = page.getByTestId('ulb-imported');
  await expect(imported).toContainText('1,722 transactions, 492 frauds (28.6 %)');
  await expect(imported).toContainText('down-sampled to 28.6% fraud');

  await page.getByRole('link', { name: 'Open the dataset' }).click();
  const ulbRow = page.getByTestId('fraud-datasets').locator('tr', { hasText: 'ULB' });
  await expect(ulbRow).toContainText('down-sampled to 28.6 % fraud, not the real 0.17 % rate');
  await expect(ulbRow.getByTestId('dataset-fraud-rate')).toHaveText('28.6 %');

  // Train: a time-ordered split by rows; the report repeats the warning and has no card precision.
  await page.getByRole('link', { name: 'Train a model' }).click();
  await page.getByLabel('Feed-forward candidates (hidden widths)', { exact: true }).fill('16');
  await page.getByRole('checkbox', { name: /focal loss/ }).uncheck();
  await page.getByLabel('GAN steps', { exact: true }).fill('50');
  await page.getByLabel('Seeds', { exact: true }).fill('1');
  await page.getByLabel('Epochs', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('fraud-job')).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Open the model' }).click();
  await expect(page.getByText(/down-sampled to 28\.6% fraud \(the full data has 0\.172%\)/)).toBeVisible();
  await expect(page.getByTestId('model-comparison').locator('[data-model-row="logreg"]')).toBeVisible();
  await expect(page.getByTestId('headline-cpk')).toContainText('no card ids');
  expect(errors).toEqual([]);
});
