import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, signIn } from './helpers';

const ANALYST = { email: 'analyst@neuralfin.local', password: 'neuralfin-analyst' };
const DATA_DIR = process.env.NEURALFIN_DATA_DIR ?? path.resolve('../shared/data');
const AAPL = path.join(DATA_DIR, 'stocks_ml4t', 'AAPL.csv');

test('import AAPL, run a small LSTM walk-forward backtest, see its charts and metrics beside the baselines', async ({
  page,
}) => {
  // the real dataset is required: a missing folder fails the run rather than skipping it
  expect(existsSync(AAPL), `needs ${AAPL} (set NEURALFIN_DATA_DIR to the shared data folder)`).toBe(true);
  const errors = failOnConsoleErrors(page);
  await signIn(page, ANALYST);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Forecast' }).click();
  await expect(page.getByRole('heading', { name: 'Forecast', exact: true })).toBeVisible();
  // the bundled samples are listed and labelled synthetic
  await expect(page.getByTestId('price-datasets').getByText('synthetic', { exact: true }).first()).toBeVisible();

  // import: check the file first, read the report, then import
  await page.getByRole('link', { name: 'Import prices' }).click();
  await page.getByLabel('Price file (CSV, up to 25 MB)').setInputFiles(AAPL);
  await expect(page.getByLabel('Dataset name')).toHaveValue('AAPL');
  await page.getByRole('button', { name: 'Check file' }).click();
  const report = page.getByTestId('validation-report');
  await expect(report).toBeVisible();
  await expect(report.getByTestId('report-rows')).toHaveText('3,175 valid of 3,175');
  await expect(report.getByTestId('report-errors')).toContainText('0 errors');
  await page.getByRole('button', { name: 'Import 3,175 rows' }).click();
  await expect(page.getByRole('status')).toContainText('Imported “AAPL”: 3,175 daily bars.');

  // a small LSTM backtest: 3 folds of 63 days, rolling 252-day window, tiny network, one seed
  await page.getByRole('link', { name: 'Start a backtest on AAPL' }).click();
  await expect(page.getByRole('heading', { name: 'New walk-forward backtest' })).toBeVisible();
  await expect(page.getByLabel('Price dataset')).toHaveValue(/.+/);
  await expect(page.locator('#bt-dataset option:checked')).toHaveText('AAPL');
  await page.getByLabel('Model type').selectOption('lstm');
  await page.getByLabel('Input window (days)').fill('20');
  await page.getByLabel('Hidden units').fill('8');
  await page.getByLabel('Max epochs').fill('3');
  await page.getByLabel('Rolling (the last N samples)').check();
  await page.getByLabel('Train window N (samples)').fill('252');
  await page.getByLabel('Retrain every k days').fill('63');
  await page.getByLabel('Max folds (optional)').fill('3');
  await page.getByLabel('Seeds').fill('1');

  // a bad value is refused with a message under its field, and nothing is queued
  await page.getByLabel('Hidden units').fill('0');
  await page.getByRole('button', { name: 'Start backtest' }).click();
  await expect(page.getByTestId('form-error')).toContainText('Some settings need fixing');
  await expect(page.getByTestId('field-error').first()).toContainText('hidden must be an integer in [1, 512]');
  await page.getByLabel('Hidden units').fill('8');
  await page.getByRole('button', { name: 'Start backtest' }).click();

  // live progress, then the results
  await expect(page).toHaveURL(/\/forecast\/jobs\//);
  const job = page.getByTestId('backtest-job');
  await expect(job.getByRole('progressbar', { name: 'Backtest progress' })).toBeVisible();
  await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  await expect(page.getByRole('heading', { name: 'Training loss per epoch' })).toBeVisible();
  await page.getByRole('link', { name: 'Open the results' }).click();

  await expect(page).toHaveURL(/\/forecast\/runs\//);
  await expect(page.getByRole('heading', { name: /LSTM · h1 · AAPL/ })).toBeVisible();
  for (const id of ['chart-price', 'chart-equity', 'chart-drawdown', 'chart-residuals']) {
    await expect(page.getByTestId(id).locator('.recharts-surface').first()).toBeVisible();
  }
  const metrics = page.getByTestId('forecast-metrics');
  for (const column of ['LSTM', 'Naive (no change)', 'Drift', 'AR(5)', 'MA(20)']) {
    await expect(metrics.getByRole('columnheader', { name: column })).toBeVisible();
  }
  for (const metric of ['rmse', 'mae', 'mase', 'directionalAccuracy', 'ic', 'dmPValue']) {
    // the metric's name, then the forecaster and the four baselines
    await expect(metrics.locator(`tr[data-metric="${metric}"] td`)).toHaveCount(6);
  }
  // naive scores MASE 1 by definition
  await expect(metrics.locator('tr[data-metric="mase"] td').nth(2)).toHaveText('1.000');
  await expect(page.getByTestId('chance-band')).toContainText('directional calls');
  await expect(page.getByTestId('trading-metrics').getByRole('columnheader', { name: 'Buy and hold' })).toBeVisible();
  await expect(page.getByTestId('folds').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('next-forecast')).toContainText('80 % interval');

  // CSV exports
  const predictions = await page.request.get(
    (await page.getByRole('link', { name: 'Predictions CSV' }).getAttribute('href')) as string,
  );
  expect(predictions.status()).toBe(200);
  const lines = (await predictions.text()).trim().split('\n');
  expect(lines[0]).toMatch(/^date,target_date,base_price,actual_price,actual_return,lstm_p10/);
  expect(lines).toHaveLength(1 + 189);
  const metricsCsv = await page.request.get(
    (await page.getByRole('link', { name: 'Metrics CSV' }).getAttribute('href')) as string,
  );
  expect(await metricsCsv.text()).toContain('Buy and hold');

  // save the run's forecaster to the registry (a job that trains only the final model), then forecast from it
  await page.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByRole('button', { name: /Forecast the next 1 day/ })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: /Forecast the next 1 day/ }).click();
  await expect(page.getByTestId('forecast-p50').last()).toBeVisible();

  // the run is on the leaderboard with its baselines
  await page.getByRole('link', { name: '← Forecast' }).click();
  await expect(page.getByTestId('leaderboard-h1')).toContainText('LSTM · h1 · AAPL');
  await expect(page.getByTestId('leaderboard-h1')).toContainText('Naive');
  expect(errors).toEqual([]);
});
